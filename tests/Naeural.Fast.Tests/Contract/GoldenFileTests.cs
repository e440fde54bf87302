using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Serialization;
using Naeural.Actors.Serialization;
using Xunit;

namespace Naeural.Fast.Tests.Contract;

/// <summary>
/// The wire and journal contract, kept by golden files: a sample of every wire type as <see cref="ContractSerializer"/>
/// writes it (<c>Golden/contract/&lt;wire name&gt;.json</c>), and as the previous format wrote it
/// (<c>Golden/v1/&lt;manifest&gt;.bin</c>, <see cref="HyperionV1Serializer"/>, of every type a node took; written once and never
/// again). Each file must still
/// read, under the name it was written with, to a message that says all it said. Renaming or moving a CLR type changes
/// none of that; renaming a field, changing its type or what its values are read as fails here. A type without a golden
/// file fails too: <c>NAEURAL_WRITE_GOLDEN=1 dotnet test tests/Naeural.Fast.Tests</c> writes the missing ones, to commit.
/// </summary>
public sealed class GoldenFileTests : IDisposable
{
    private static readonly bool Write = Environment.GetEnvironmentVariable("NAEURAL_WRITE_GOLDEN") == "1";
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ActorSystem _system = WireTypes.System("golden");

    private SerializerWithStringManifest Contract => (SerializerWithStringManifest)_system.Serialization.FindSerializerForType(typeof(object));

    public static TheoryData<string> ContractFiles() => Files("contract", "*.json");

    public static TheoryData<string> V1Files() => Files("v1", "*.bin");

    [Fact]
    public void Every_wire_type_has_a_golden_file_of_the_contract_and_every_stored_one_of_the_previous_format()
    {
        if (Write)
        {
            WriteMissing();
        }

        var contract = Directory.GetFiles(WireTypes.GoldenDirectory("contract"), "*.json").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var v1 = Directory.GetFiles(WireTypes.GoldenDirectory("v1"), "*.bin").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var missing = WireTypes.All.Select(MessageAllowList.ManifestFor).Where(name => !contract.Contains(name))
            .Concat(WireTypes.Stored.Select(HyperionV1Serializer.ManifestFor).Where(name => !v1.Contains(name)).Select(name => "v1 " + name)).ToList();
        Assert.True(missing.Count == 0, "no golden file for: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public void A_golden_file_of_the_contract_reads_back_to_all_it_said(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var message = _system.Serialization.Deserialize(bytes, ContractSerializer.SerializerId, Path.GetFileNameWithoutExtension(file));

        var differences = JsonSubset.Differences(JsonNode.Parse(bytes), JsonNode.Parse(Contract.ToBinary(message)));
        Assert.True(differences.Count == 0, $"{Path.GetFileName(file)} ({message.GetType().Name}):\n{string.Join("\n", differences)}");
    }

    [Theory]
    [MemberData(nameof(V1Files))]
    public void A_golden_file_of_the_previous_format_reads_to_the_same_message_as_the_contract_one(string file)
    {
        var message = _system.Serialization.Deserialize(File.ReadAllBytes(file), HyperionV1Serializer.SerializerId, Path.GetFileNameWithoutExtension(file));

        var wireName = MessageAllowList.ManifestFor(message.GetType());
        var contract = JsonNode.Parse(File.ReadAllBytes(Path.Combine(WireTypes.GoldenDirectory("contract"), wireName + ".json")));
        var differences = JsonSubset.Differences(contract, JsonNode.Parse(Contract.ToBinary(message)));
        Assert.True(differences.Count == 0, $"{Path.GetFileName(file)} ({message.GetType().Name}):\n{string.Join("\n", differences)}");
    }

    [Fact]
    public void The_check_catches_a_renamed_field_and_a_changed_value()
    {
        var golden = JsonNode.Parse("""{"Owner":"0xab","Amount":"5","Items":[1,2]}""");

        Assert.Empty(JsonSubset.Differences(golden, JsonNode.Parse("""{"Owner":"0xab","Amount":"5","Items":[1,2],"Added":true}""")));
        Assert.Contains("$.Amount", Assert.Single(JsonSubset.Differences(golden, JsonNode.Parse("""{"Owner":"0xab","Total":"5","Items":[1,2]}"""))));
        Assert.Contains("$.Amount", Assert.Single(JsonSubset.Differences(golden, JsonNode.Parse("""{"Owner":"0xab","Amount":5,"Items":[1,2]}"""))));
        Assert.Contains("$.Items", Assert.Single(JsonSubset.Differences(golden, JsonNode.Parse("""{"Owner":"0xab","Amount":"5","Items":[1]}"""))));
    }

    public void Dispose() => _system.Dispose();

    private void WriteMissing()
    {
        var samples = new Samples(_system.DeadLetters);
        var contractDirectory = Directory.CreateDirectory(WireTypes.GoldenDirectory("contract")).FullName;
        foreach (var type in WireTypes.All)
        {
            var path = Path.Combine(contractDirectory, MessageAllowList.ManifestFor(type) + ".json");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, JsonNode.Parse(Contract.ToBinary(samples.Of(type)))!.ToJsonString(Pretty) + "\n", new UTF8Encoding(false));
            }
        }

        // The previous format's files are written once, with this release's types as that format knew them.
        var v1Directory = WireTypes.GoldenDirectory("v1");
        if (!Directory.Exists(v1Directory))
        {
            Directory.CreateDirectory(v1Directory);
            using var previous = WireTypes.System("golden-v1", WireFormat.V1);
            var v1 = (SerializerWithStringManifest)previous.Serialization.FindSerializerForType(typeof(object));
            var v1Samples = new Samples(previous.DeadLetters);
            foreach (var type in WireTypes.OfNodes)
            {
                var sample = v1Samples.Of(type);
                File.WriteAllBytes(Path.Combine(v1Directory, v1.Manifest(sample) + ".bin"), v1.ToBinary(sample));
            }
        }
    }

    private static TheoryData<string> Files(string format, string pattern)
    {
        var directory = WireTypes.GoldenDirectory(format);
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        var data = new TheoryData<string>();
        foreach (var file in files)
        {
            data.Add(file);
        }

        return data;
    }
}

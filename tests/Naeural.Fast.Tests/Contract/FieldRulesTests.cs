using System.Runtime.Serialization;
using System.Text;
using Akka.Serialization;
using Naeural.Actors.Serialization;
using Xunit;

namespace Naeural.Fast.Tests.Contract;

/// <summary>The evolution rule as the serializer enforces it: what a reader does with fields a writer added, left out or never had.</summary>
public sealed class FieldRulesTests : IDisposable
{
    private readonly Akka.Actor.ActorSystem _system = WireTypes.System("field-rules");

    private SerializerWithStringManifest Contract => (SerializerWithStringManifest)_system.Serialization.FindSerializerForType(typeof(object));

    [Fact]
    public void A_field_a_newer_writer_added_is_skipped()
    {
        var read = Read("payloads.payload-batch", """{"PipelineId":"0xabc/p","Payloads":[],"AddedLater":{"x":1}}""");

        Assert.Equal("0xabc/p", ((Naeural.Actors.Payloads.PayloadBatch)read).PipelineId);
    }

    [Fact]
    public void A_missing_field_without_a_default_is_refused_so_no_handler_meets_an_empty_list_that_throws()
    {
        // PayloadBatch.Payloads is an ImmutableArray: left out, it would read as the default instance, which throws when iterated.
        var error = Assert.Throws<SerializationException>(() => Read("payloads.payload-batch", """{"PipelineId":"0xabc/p"}"""));

        Assert.Contains("does not decode", error.Message);
    }

    [Fact]
    public void A_null_list_an_integer_enum_and_a_huge_number_are_refused()
    {
        Assert.Throws<SerializationException>(() => Read("payloads.payload-batch", """{"PipelineId":"0xabc/p","Payloads":null}"""));
        const string report = """{"PipelineId":"0xabc/p","Status":STATUS,"Version":1,"SpecJson":null,"RunningInstances":[],"NodeId":"0x1"}""";
        Assert.IsType<Naeural.Actors.Pipelines.PipelineStatusReport>(Read("pipelines.pipeline-status-report", report.Replace("STATUS", "\"Running\"")));
        Assert.Throws<SerializationException>(() => Read("pipelines.pipeline-status-report", report.Replace("STATUS", "7")));
        Assert.Throws<SerializationException>(() => Read("ledger.channels.minted", $$"""{"To":"0xabc","Amount":"{{new string('9', 79)}}"}"""));
        Assert.Equal(System.Numerics.BigInteger.Pow(10, 77),
            ((Naeural.Ledger.Channels.Minted)Read("ledger.channels.minted", $$"""{"To":"0xabc","Amount":"1{{new string('0', 77)}}"}""")).Amount);
    }

    [Fact]
    public void A_null_in_a_present_field_reaches_its_handler_so_the_sender_gets_a_clear_refusal()
    {
        // Refusing it in the serializer would drop the message unanswered: a remote client sending SignedCommand(null) (the
        // command fuzz test does) would wait out its timeout instead of reading the front door's refusal.
        var read = (Naeural.Actors.Commands.SignedCommand)Read("commands.signed-command", """{"Json":null}""");

        Assert.Null(read.Json);
    }

    [Fact]
    public void A_missing_field_with_a_default_reads_as_that_default()
    {
        // PipelineCreated.OwnerPublicKey was added with a default (null): older bytes lack it.
        var read = (Naeural.Actors.Pipelines.PipelineCreated)Read("pipelines.pipeline-created",
            """{"Owner":"0xabc","SpecJson":"{}","Stamp":{"Signer":"0xabc","Nonce":"n","TimeMs":1}}""");

        Assert.Null(read.OwnerPublicKey);
    }

    public void Dispose() => _system.Dispose();

    private object Read(string manifest, string json) => Contract.FromBinary(Encoding.UTF8.GetBytes(json), manifest);
}

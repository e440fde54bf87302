using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using CsCheck;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Api;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;
using Naeural.Host.Hosting;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// Random and mutated pipeline JSON and commands against a real node: through its front door (in-process and over remoting)
/// and straight to its pipeline region. Every one is answered with a known code, nothing escapes into the actor system, a
/// control pipeline keeps delivering throughout, and after a restart on the same data folder every pipeline is as it was.
/// Seed: <c>NAEURAL_FUZZ_SEED</c> (CsCheck prints the one to set when a case fails); cases: <c>NAEURAL_FUZZ_CASES</c> (300).
/// </summary>
public sealed class CommandFuzzTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string[] Names = ["fz-a", "fz-b", "fz-c", "fz-d", "fz-e", "fz-f"];
    private static readonly string[] Actions = [.. PipelineActions.All, .. JobActions.All, "DELETE_EVERYTHING", "create_pipeline", ""];
    private static readonly IReadOnlySet<string> RejectionCodeSet = typeof(RejectionCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();
    private static readonly IReadOnlySet<string> AcceptedCodes = new HashSet<string>
    {
        NotificationCodes.PipelineOk, NotificationCodes.ConfigOk, PlacementCodes.Pending, JobCodes.Started,
    };

    private readonly Developer _owner = new();
    private readonly Developer _intruder = new();

    [Fact]
    public async Task Random_and_mutated_commands_are_all_answered_the_node_keeps_serving_and_recovers_what_it_accepted()
    {
        using var data = new TempDirectory();
        var options = new NodeOptions { Port = 0, DataDirectory = data.Sub("node"), HeartbeatSeconds = 0.5, Http = new HttpOptions { Port = 0 } };
        var cases = int.TryParse(Environment.GetEnvironmentVariable("NAEURAL_FUZZ_CASES"), out var n) ? n : 300;
        var touched = new ConcurrentDictionary<string, bool>(); // pipeline id → accepted at least once (or pending)
        var pending = new ConcurrentDictionary<string, bool>();
        Dictionary<string, (PipelineStatus, long, string?)> before;

        await using (var node = await StartAsync(options))
        {
            var trouble = Watch(node.System);
            var control = new PayloadCollector();
            var client = _owner.ClientFor(node);
            await client.DeployAsync(Specs.Sensor("control", "PASS_THROUGH", rate: 20));
            await using var subscription = await control.SubscribeAsync(client, "control");
            await using var remote = NaeuralClient.Connect(node.EdgeAddress.ToString(), null, Developer.Options);
            var region = ClusterSharding.Get(node.System).ShardRegion(PipelineEntity.TypeName);
            var operatorKey = node.Service<Naeural.Ledger.Identity.NodeKey>();
            var seen = 0;

            await Gen.Select(Gen.Int[0, 14], Gen.Int, Gen.Int[0, 9]).SampleAsync(async (kind, seed, route) =>
            {
                var rng = new Random(seed);
                var (command, target) = Make(kind, rng, operatorKey);
                object reply;
                if (kind == 13 || route == 0)
                {
                    // Straight to the pipeline region, bypassing the front door: the entity checks everything itself.
                    var id = rng.Next(3) == 0 ? $"{rng.Next()}/{Names[rng.Next(Names.Length)]}" : target;
                    touched.TryAdd(id, false);
                    reply = await AnsweredAsync(node, id, region.Ask<object>(new PipelineCommandRequest(id, command), Answer));
                }
                else
                {
                    var door = route <= 3 ? remote.System.ActorSelection(node.EdgeAddress + NodeApi.Path) : node.System.ActorSelection(NodeApi.Path);
                    touched.TryAdd(target, false);
                    reply = await AnsweredAsync(node, target, door.Ask<object>(command, Answer));
                }

                AssertKnown(reply, command);
                if (reply is CommandAccepted accepted && accepted.PipelineId.Contains('/'))
                {
                    touched[accepted.PipelineId] = true;
                    if (accepted.Code == PlacementCodes.Pending)
                    {
                        pending.TryAdd(accepted.PipelineId, true);
                    }
                    else if (accepted.Action is PipelineActions.Create or PipelineActions.Start && !JobActions.All.Contains(accepted.Action))
                    {
                        await StopAsync(node, accepted.PipelineId); // keep the 2-core machine for the control pipeline
                    }
                }

                if (++seen % 50 == 0)
                {
                    await ControlDeliversAsync(control);
                }
            }, writeLine: output.WriteLine, seed: Environment.GetEnvironmentVariable("NAEURAL_FUZZ_SEED"), iter: cases, threads: 1,
                print: c => $"kind {c.Item1}, seed {c.Item2}, route {c.Item3}: {Preview(Make(c.Item1, new Random(c.Item2), operatorKey).Command)}");

            await ControlDeliversAsync(control);
            AssertNoTrouble(trouble);
            before = await SnapshotAsync(node, touched.Keys.Except(pending.Keys));
            output.WriteLine($"{cases} cases; {touched.Count(t => t.Value)} pipeline ids accepted at least once, {pending.Count} pending, " +
                             $"{before.Count(b => b.Value.Item1 != PipelineStatus.None)} exist");
        }

        await using (var restarted = await StartAsync(options))
        {
            var trouble = Watch(restarted.System);
            var after = await SnapshotAsync(restarted, before.Keys);
            foreach (var (id, state) in before)
            {
                Assert.True(after[id] == state, $"{id} was {state} before the restart and is {after[id]} after");
                if (!touched[id])
                {
                    Assert.Equal(PipelineStatus.None, after[id].Item1); // never accepted: does not exist
                }
            }

            Assert.Contains(after, a => a.Value.Item1 != PipelineStatus.None); // the control pipeline, at least
            AssertNoTrouble(trouble);
        }
    }

    /// <summary>A command of kind <paramref name="kind"/>: valid, mutated as JSON, mutated as text, or random.</summary>
    private (SignedCommand Command, string Target) Make(int kind, Random rng, IMessageSigner operatorKey)
    {
        var name = rng.Next(5) == 0 ? RandomString(rng, 1, 70) : Names[rng.Next(Names.Length)];
        var signer = rng.Next(8) switch { 0 => _intruder.Key, 1 => operatorKey, _ => (IMessageSigner)_owner.Key };
        var target = CommandEnvelope.PipelineIdOf(_owner.Address, name);
        var spec = JsonNode.Parse(Specs.Sensor("placeholder", rng.Next(2) == 0 ? "COUNTER" : "PASS_THROUGH", rate: 5))!.AsObject();
        spec[PipelineSpec.NameKey] = rng.Next(10) == 0 ? RandomString(rng, 0, 20) : name;
        if (rng.Next(4) == 0)
        {
            spec[PipelineSpec.EncryptPayloadsKey] = true;
        }

        string Sign(string action, JsonNode? payload, string? owner = null, DateTimeOffset? at = null) =>
            SignedCommand.Create(action, name, payload, signer, at ?? DateTimeOffset.UtcNow, owner ?? (rng.Next(4) == 0 ? _owner.Address : null)).Json;

        var text = kind switch
        {
            0 => Sign(PipelineActions.Create, spec),
            1 => Sign(PipelineActions.Create, Mutate(spec, rng, depth: 0)),
            2 => Sign(Actions[rng.Next(Actions.Length)], rng.Next(3) == 0 ? RandomJson(rng, 0) : Mutate(spec, rng, depth: 0)),
            3 => Sign(RandomString(rng, 0, 40), spec),
            4 => Truncate(Sign(PipelineActions.Create, spec), rng),
            5 => InsertLoneSurrogate(Sign(PipelineActions.Create, spec), rng),
            6 => FlipSignature(Sign(PipelineActions.Create, spec), rng),
            7 => rng.Next(10) == 0 ? null : RandomString(rng, 0, 2000, validUtf16: false),
            8 => Sign(PipelineActions.Create, spec, at: rng.Next(2) == 0 ? DateTimeOffset.UtcNow.AddHours(rng.Next(-48, 48)) : DateTimeOffset.UnixEpoch),
            9 => Resign(Sign(PipelineActions.Create, spec), rng, signer),
            10 => DuplicateKey(Sign(PipelineActions.Create, spec), rng),
            11 => Sign(PipelineActions.Create, Nest(spec, rng.Next(20, 40))),
            12 => Sign(rng.Next(2) == 0 ? PipelineActions.UpdateConfig : PipelineActions.AddInstance, Mutate(spec, rng, depth: 0)),
            14 => Sign(rng.Next(3) == 0 ? PipelineActions.UpdateConfig : PipelineActions.Create, Extreme(spec, rng)),
            _ => Sign(Actions[rng.Next(Actions.Length)], Mutate(spec, rng, depth: 0)),
        };
        return (new SignedCommand(text!), target);
    }

    private static JsonNode? Mutate(JsonNode? node, Random rng, int depth)
    {
        if (node is JsonObject obj && obj.Count > 0 && depth < 4)
        {
            var copy = (JsonObject)obj.DeepClone();
            var keys = copy.Select(p => p.Key).ToList();
            var key = keys[rng.Next(keys.Count)];
            switch (rng.Next(6))
            {
                case 0:
                    copy.Remove(key); // drop
                    break;
                case 1:
                    copy[key] = RandomJson(rng, depth); // retype
                    break;
                case 2:
                    copy[RandomString(rng, 1, 12)] = RandomJson(rng, depth); // a new key
                    break;
                case 3:
                    copy[key.ToLowerInvariant() == key ? key.ToUpperInvariant() : key.ToLowerInvariant()] = copy[key]?.DeepClone(); // its case twin
                    break;
                default:
                    copy[key] = Mutate(copy[key], rng, depth + 1); // deeper
                    break;
            }

            return copy;
        }

        if (node is JsonArray array && array.Count > 0 && depth < 4)
        {
            var copy = (JsonArray)array.DeepClone();
            var i = rng.Next(copy.Count);
            if (rng.Next(3) == 0)
            {
                copy.Add(copy[i]?.DeepClone()); // duplicate an element
            }
            else
            {
                copy[i] = Mutate(copy[i], rng, depth + 1);
            }

            return copy;
        }

        return RandomJson(rng, depth);
    }

    private static JsonNode? RandomJson(Random rng, int depth) => rng.Next(depth > 3 ? 7 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(rng.Next(2) == 0),
        2 => JsonValue.Create(rng.Next(int.MinValue, int.MaxValue)),
        3 => JsonNode.Parse(new[] { "1e308", "-1e308", "123456789012345678901234567890", "0.0000000000000000001", "-0", "1e-400", "1e400", "-1e999" }[rng.Next(8)]),
        4 => JsonValue.Create(RandomString(rng, 0, 30)),
        5 => JsonValue.Create(rng.NextDouble() * 1000),
        6 => JsonValue.Create(new[] { "YES", "NO", "KEEPALIVE", "SyntheticSensor", "COUNTER", "main", "" }[rng.Next(7)]),
        7 => new JsonArray([.. Enumerable.Range(0, rng.Next(4)).Select(_ => RandomJson(rng, depth + 1))]),
        _ => new JsonObject(Enumerable.Range(0, rng.Next(4)).Select(i => KeyValuePair.Create($"{RandomString(rng, 1, 8)}{i}", RandomJson(rng, depth + 1)))),
    };

    /// <summary>A numeric or boolean key the source or plugin really reads, set to an extreme or mistyped value.</summary>
    private static JsonObject Extreme(JsonObject spec, Random rng)
    {
        var copy = (JsonObject)spec.DeepClone();
        var value = JsonNode.Parse(new[] { "1e400", "-1e999", "1e308", "-1", "0", "123456789012345678901234567890", "NaN", "\"Infinity\"", "[]", "{}", "null", "true" }[rng.Next(12)]
            is var v && v == "NaN" ? "\"NaN\"" : v);
        var instance = copy["PLUGINS"]![0]!["INSTANCES"]![0]!.AsObject();
        switch (rng.Next(6))
        {
            case 0: copy["CAP_RESOLUTION"] = value; break;
            case 1: copy["SEED"] = value; break;
            case 2: copy["MAX_FRAMES"] = value; break;
            case 3: instance["PROCESS_DELAY"] = value; break;
            case 4: instance["EMIT_EVERY"] = value; break;
            default: instance["MAX_INPUTS_QUEUE_SIZE"] = value; break;
        }

        return copy;
    }

    private static JsonObject Nest(JsonObject spec, int depth)
    {
        JsonNode inner = JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            inner = new JsonObject { ["N"] = inner };
        }

        var copy = (JsonObject)spec.DeepClone();
        copy["DEEP"] = inner;
        return copy;
    }

    /// <summary>Random text: control characters, JSON punctuation, non-ASCII, surrogate pairs (or, as raw text, lone surrogates).</summary>
    private static string RandomString(Random rng, int min, int max, bool validUtf16 = true)
    {
        var length = rng.Next(min, max + 1);
        var text = new StringBuilder(length + 1);
        while (text.Length < length)
        {
            switch (rng.Next(10))
            {
                case 0:
                    text.Append((char)rng.Next(0, 32));
                    break;
                case 1 when validUtf16:
                    text.Append(char.ConvertFromUtf32(rng.Next(0x10000, 0x110000)));
                    break;
                case 1:
                    text.Append((char)rng.Next(0xD800, 0xE000));
                    break;
                case 2:
                    var c = (char)rng.Next(0x80, 0xFFFE);
                    text.Append(char.IsSurrogate(c) ? 'é' : c);
                    break;
                case 3:
                    text.Append("\"{}[]:,\\"[rng.Next(8)]);
                    break;
                default:
                    text.Append((char)rng.Next(32, 127));
                    break;
            }
        }

        return text.ToString();
    }

    private static string Truncate(string text, Random rng) => text[..rng.Next(text.Length)];

    private static string InsertLoneSurrogate(string text, Random rng)
    {
        var at = text.IndexOf("\"NAME\":\"", StringComparison.Ordinal) is var i and >= 0 && rng.Next(2) == 0 ? i + 8 : rng.Next(text.Length);
        return text.Insert(at, rng.Next(2) == 0 ? "\uD800" : "\uDC00");
    }

    private static string FlipSignature(string text, Random rng)
    {
        var json = JsonNode.Parse(text)!.AsObject();
        var field = rng.Next(3) switch { 0 => SignedJson.HashField, 1 => SignedJson.SenderField, _ => SignedJson.SignatureField };
        var value = json[field]!.GetValue<string>().ToCharArray();
        var at = rng.Next(2, value.Length);
        value[at] = value[at] == 'a' ? 'b' : 'a';
        json[field] = new string(value);
        return json.ToJsonString();
    }

    /// <summary>A valid command whose body is changed after signing (another payload, owner or nonce), then maybe signed again by someone.</summary>
    private static string Resign(string text, Random rng, IMessageSigner signer)
    {
        var json = JsonNode.Parse(text)!.AsObject();
        switch (rng.Next(3))
        {
            case 0:
                json[SignedCommand.NonceField] = "short";
                break;
            case 1:
                json[SignedCommand.TimeField] = rng.Next(2) == 0 ? JsonValue.Create("now") : JsonValue.Create(long.MaxValue);
                break;
            default:
                json[SignedCommand.PayloadField] = RandomJson(rng, 0);
                break;
        }

        return rng.Next(2) == 0 ? json.ToJsonString() : SignedJson.Sign(json, signer).ToJsonString();
    }

    private static string DuplicateKey(string text, Random rng)
    {
        var keys = new[] { "\"NAME\":", "\"ACTION\":", "\"PIPELINE\":", "\"EE_SIGN\":", "\"INSTANCE_ID\":" };
        var key = keys[rng.Next(keys.Length)];
        var at = text.IndexOf(key, StringComparison.Ordinal);
        return at < 0 ? text : text.Insert(at, $"{key}\"twice\",");
    }

    private static void AssertKnown(object reply, SignedCommand command)
    {
        switch (reply)
        {
            case CommandAccepted accepted:
                Assert.True(AcceptedCodes.Contains(accepted.Code), $"accepted with unknown code {accepted.Code} for {Preview(command)}");
                break;
            case CommandRejected rejected:
                Assert.True(RejectionCodeSet.Contains(rejected.Code), $"rejected with unknown code {rejected.Code} ({rejected.Reason}) for {Preview(command)}");
                Assert.False(string.IsNullOrWhiteSpace(rejected.Reason));
                break;
            case JobStatus:
                break;
            case PayloadSubscriptionStarted started:
                started.Relay.Tell(EndSubscription.Instance);
                break;
            default:
                Assert.Fail($"unexpected answer {reply.GetType().Name} to {Preview(command)}");
                break;
        }
    }

    /// <summary>The answer; or, when none came in time, a failure that says what the node knew of the pipeline then.</summary>
    private static async Task<object> AnsweredAsync(InProcessNode node, string pipelineId, Task<object> asked)
    {
        try
        {
            return await asked;
        }
        catch (AskTimeoutException e)
        {
            var status = await Describe(() => ClusterSharding.Get(node.System).ShardRegion(PipelineEntity.TypeName)
                .Ask<object>(new GetPipelineStatus(pipelineId), TimeSpan.FromSeconds(5)));
            var pending = await Describe(async () => string.Join(", ", (await node.System.ActorSelection(PlacementAdvisor.Path)
                .Ask<PendingPlacements>(GetPendingPlacements.Instance, TimeSpan.FromSeconds(5))).Pipelines.Select(p => $"{p.Key}: {p.Value}")));
            throw new TimeoutException($"no answer for {pipelineId} in {Answer.TotalSeconds:0} s; its status then: {status}; pending creates: [{pending}]", e);
        }

        static async Task<string> Describe(Func<Task<object>> ask)
        {
            try
            {
                return (await ask())?.ToString() ?? "null";
            }
            catch (Exception e)
            {
                return $"({e.GetType().Name}: {e.Message})";
            }
        }
    }

    private async Task StopAsync(InProcessNode node, string pipelineId)
    {
        var name = pipelineId[(pipelineId.IndexOf('/') + 1)..];
        var reply = await node.System.ActorSelection(NodeApi.Path)
            .Ask<object>(SignedCommand.Create(PipelineActions.Stop, name, null, _owner.Key, DateTimeOffset.UtcNow), Answer);
        Assert.True(reply is CommandAccepted or CommandRejected, $"STOP {pipelineId}: {reply}");
    }

    private async Task ControlDeliversAsync(PayloadCollector control)
    {
        var count = control.Payloads.Count;
        await AwaitAssertAsync(() => Assert.True(control.Payloads.Count >= count + 3, "the control pipeline keeps delivering"),
            Bound, TimeSpan.FromMilliseconds(100));
    }

    private static async Task<Dictionary<string, (PipelineStatus, long, string?)>> SnapshotAsync(InProcessNode node, IEnumerable<string> ids)
    {
        var region = ClusterSharding.Get(node.System).ShardRegion(PipelineEntity.TypeName);
        var result = new Dictionary<string, (PipelineStatus, long, string?)>();
        foreach (var id in ids)
        {
            var report = await region.Ask<PipelineStatusReport>(new GetPipelineStatus(id), Answer);
            result[id] = (report.Status, report.Version, report.SpecJson);
        }

        return result;
    }

    /// <summary>Errors logged anywhere in the actor system (an actor that threw, a failed recovery) and answers that went nowhere.</summary>
    private ConcurrentQueue<string> Watch(ActorSystem system)
    {
        var trouble = new ConcurrentQueue<string>();
        var watcher = system.ActorOf(Props.Create(() => new TroubleWatcher(trouble)));
        system.EventStream.Subscribe(watcher, typeof(Error));
        system.EventStream.Subscribe(watcher, typeof(DeadLetter));
        return trouble;
    }

    private static void AssertNoTrouble(ConcurrentQueue<string> trouble) =>
        Assert.True(trouble.IsEmpty, "errors or lost answers in the actor system:\n" + string.Join("\n", trouble.Take(10)));

    private static string Preview(SignedCommand command) =>
        command.Json is null ? "(null)" : command.Json.Length <= 160 ? command.Json : command.Json[..160] + "…";

    private static async Task<InProcessNode> StartAsync(NodeOptions options)
    {
        var host = NodeHost.Build(options);
        await host.StartAsync();
        var node = InProcessNode.From(host);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(node.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    private sealed class TroubleWatcher : ReceiveActor
    {
        public TroubleWatcher(ConcurrentQueue<string> trouble)
        {
            Receive<Error>(e => trouble.Enqueue($"ERROR {e.LogSource}: {e.Message} {e.Cause}"));
            Receive<DeadLetter>(d => d.Message is CommandAccepted or CommandRejected or SignedCommand or PipelineCommandRequest,
                d => trouble.Enqueue($"DEAD LETTER {d.Message.GetType().Name} to {d.Recipient}"));
            ReceiveAny(_ => { });
        }
    }
}

using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Api;
using Naeural.Actors.Client;
using Naeural.Actors.Edge;
using Naeural.Actors.Jobs;
using Naeural.Actors.Metering;
using Naeural.Actors.Nodes;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Actors.Serialization;
using Naeural.Host.Hosting;
using Naeural.Ledger;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Naeural.Testing.Hostile;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Host.Tests.Security;

/// <summary>
/// The hostile-peer suite: real nodes on loopback, an owner with a finished pipeline (subscribed and acknowledged), one whose
/// payloads nobody has read yet, tokens, observers and an agreed epoch. Then an outsider on the remoting port and an admitted
/// member turned hostile send every message type there is (client, member, stored and local-only, forged fields) to every
/// path a peer can name and, for the member, through its own shard regions and ledger proxy. After each type the state an
/// owner or operator can read is compared with the state before: nothing may change, nothing of the owner's may reach the
/// attacker, and honest traffic still works afterwards.
/// </summary>
public sealed class HostilePeerTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int Frames = 20;
    private const int Hostile = 2;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(4);

    /// <summary>Every type a node knows of: what its serializer takes and what it refuses (sent anyway by the attacker's).</summary>
    private static readonly Type[] EveryType =
    [
        .. KernelMessages.Types, .. KernelMessages.LocalOnly, .. LedgerMessages.Types, .. LedgerMessages.LocalOnly,
    ];

    private static readonly string[] Regions =
    [
        NodeEntity.TypeName, PipelineEntity.TypeName, PluginInstanceEntity.TypeName, JobShareWorker.TypeName,
        DistributedJobEntity.TypeName, PaymentChannelEntity.TypeName,
    ];

    /// <summary>Every path a peer can name: the selectable ones (the member port's and the edge's), the internals behind them, and wildcards over both trees.</summary>
    private static readonly string[] Paths =
    [
        .. NaeuralAkkaSetup.TrustedSelectionPaths, .. SerializationConfig.InfrastructureSelectionPaths, .. EdgeSystem.InfrastructurePaths,
        .. Regions.Select(r => "/system/sharding/" + r),
        $"/user/{LedgerGate.SingletonName}/{LedgerGate.SingletonName}/{EmbeddedLedgerActor.Name}",
        WorkMeterProtocolPath, "/user/network-view", "/user/*", "/user/*/*", "/system/sharding/*", "/system/sharding/*/*",
        "/system/*",
    ];

    private const string WorkMeterProtocolPath = "/user/" + "work-meter";

    [Fact]
    public async Task Every_message_type_from_an_outsider_and_from_a_hostile_member_to_every_target_changes_nothing()
    {
        var authority = NodeKey.Generate();
        var attacker = NodeKey.Generate();
        var developer = new Developer();
        var genesis = DateTimeOffset.UnixEpoch;
        await using var network = await InProcessNetwork.StartAsync(3, i => new NodeCustomization(
            Options: o =>
            {
                o.PricePerUnit = 1;
                o.Metering.ReceiptPeriodSeconds = 0.3;
                o.Ledger.MintAuthorities = authority.Address;
                (o.EpochSeconds, o.EpochGenesis) = (EpochLength.TotalSeconds, genesis);
                o.AllowedOwners = i == Hostile ? attacker.Address : ""; // the owner's pipelines run on honest nodes
            },
            ExtraMessageTypes: i == Hostile ? [.. KernelMessages.LocalOnly, .. LedgerMessages.LocalOnly] : null));
        var ids = network.Nodes.Select(n => n.NodeId).ToArray();
        var client = developer.ClientFor(network[0]);
        var ledger = new SignedEmbeddedSettlement(network[0].Registered<LedgerGate>(), authority);
        await ledger.MintAsync(developer.Address, 10_000);
        await ledger.SetObserversAsync([ids[0].ToLowerInvariant(), ids[1].ToLowerInvariant()], threshold: 1);

        var read = new PayloadCollector();
        await client.DeployAsync(Specs.Sensor("read", "COUNTER", "\"EMIT_EVERY\": 1", rate: 0, source: $"\"MAX_FRAMES\": {Frames}"));
        await client.DeployAsync(Specs.Sensor("unread", "COUNTER", "\"EMIT_EVERY\": 1", rate: 0, source: $"\"MAX_FRAMES\": {Frames}"));
        await using (await read.SubscribeAsync(client, "read"))
        {
            await AwaitAssertAsync(() => Assert.Equal(Frames, Counts(read).Count), Bound, Poll);
        }

        PipelineSummary victim = null!; // the directory lists a pipeline hosted elsewhere once its summary has been gossiped
        await AwaitAssertAsync(async () => victim = (await client.GetPipelinesAsync()).Single(p => p.Name == "unread"), Bound, Poll);
        await AwaitAssertAsync(async () => Assert.Equal(2 * Frames, (int)(await BilledAsync(network, developer.Address))), Bound, Poll);
        var settings = EpochSettings.For(genesis, EpochLength, TimeSpan.FromSeconds(0.5), NaeuralAkkaSetup.DistributedDataGossip);
        var agreedEpoch = settings.Clock.EpochAt(DateTimeOffset.UtcNow) + 1;
        await AwaitReportAsync(network[0], agreedEpoch, settings);

        var reference = new Reference(network, ids, developer.Address, authority.Address, attacker.Address, agreedEpoch, client);
        var before = await reference.FingerprintAsync();
        output.WriteLine(before);

        // The outsider: an actor system on its own port that is no member and whose serializer takes every type. First at
        // the member port (a loopback node without TLS still lets any local process in: development only), then at the
        // client edge, where clients belong: every type to every path there and to every node-side path (nothing but the
        // edge's actor and its subscriptions lives in the edge's system), and requests carried for other nodes (ToNode).
        var outsiderOptions = Developer.Options with
        {
            ExtraMessageTypes = [.. KernelMessages.Member, .. KernelMessages.Stored, .. LedgerMessages.Types, .. KernelMessages.LocalOnly, .. LedgerMessages.LocalOnly],
        };
        foreach (var (door, at) in new (string, Func<InProcessNode, Address>)[] { ("member port", n => n.Address), ("client edge", n => n.EdgeAddress) })
        {
            await using var outsiderClient = NaeuralClient.Connect(at(network[0]).ToString(), attacker, outsiderOptions);
            var outsider = new Attack(outsiderClient.System, network, victim, developer.Address, attacker.Address, at);
            var result = await outsider.RunAsync(reference, before, useRegions: false);
            output.WriteLine($"outsider at the {door}: {result}");
            Assert.Equal(0, result.Accepted);
            Assert.Empty(result.Leaks);
        }

        var member = new Attack(network[Hostile].System, network, victim, developer.Address, attacker.Address, n => n.Address);
        var memberResult = await member.RunAsync(reference, before, useRegions: true);
        output.WriteLine($"hostile member: {memberResult}");
        Assert.Equal(0, memberResult.Accepted);
        Assert.Empty(memberResult.Leaks);

        // Nothing of the owner's unread stream was forgotten or skipped, and honest traffic still works.
        var unread = new PayloadCollector();
        await using (await unread.SubscribeAsync(client, "unread"))
        {
            await AwaitAssertAsync(() => Assert.Equal(Enumerable.Range(1, Frames).Select(i => (long)i), Counts(unread)), Bound, Poll);
        }

        Assert.Equal(Enumerable.Range(1, unread.Payloads.Count).Select(i => (long)i), unread.Payloads.Select(p => p.Sequence));
        Assert.All(unread.Payloads, p => Assert.True(p.Verified));
        Assert.Equal(before, await reference.FingerprintAsync());
        await ledger.MintAsync(developer.Address, 1);
        Assert.Equal(10_001, (int)await ledger.BalanceOfAsync(developer.Address));
        var after = new PayloadCollector();
        await client.DeployAsync(Specs.Sensor("after", "COUNTER", "\"EMIT_EVERY\": 1", rate: 0, source: "\"MAX_FRAMES\": 5"));
        await using (await after.SubscribeAsync(client, "after"))
        {
            await AwaitAssertAsync(() => Assert.Equal(5, Counts(after).Count), Bound, Poll);
        }
    }

    private static List<long> Counts(PayloadCollector collector) =>
        [.. collector.Payloads.Where(p => p.Data?["COUNT"] is not null && p.Data["IDLE"] is null).Select(p => (long)p.Data!["COUNT"]!)];

    private static async Task<long> BilledAsync(InProcessNetwork network, string owner)
    {
        long total = 0;
        foreach (var node in network.Nodes)
        {
            var billed = await node.System.ActorSelection(WorkMeterProtocolPath).Ask<OwnerBilled>(new GetBilled(owner), TimeSpan.FromSeconds(5));
            total += (long)billed.Billed;
        }

        return total;
    }

    private async Task AwaitReportAsync(InProcessNode node, long epoch, EpochSettings settings) =>
        await AwaitAssertAsync(async () =>
        {
            var report = await node.System.ActorSelection($"/user/{EpochObserver.Name}").Ask<EpochReport>(new GetEpochReport(epoch), TimeSpan.FromSeconds(5));
            Assert.NotNull(report.Result);
        }, EpochLength * 2 + settings.Grace + settings.CollectWindow + TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250));

    /// <summary>What the owner and the operators can read, as one text: ledger, pipelines, billing, epochs.</summary>
    private sealed record Reference(InProcessNetwork Network, string[] Ids, string Owner, string Authority, string Attacker, long Epoch, NaeuralClient Client)
    {
        public async Task<string> FingerprintAsync()
        {
            var text = new StringBuilder();
            var node = Network[0];
            var gate = node.Registered<LedgerGate>();
            var timeout = TimeSpan.FromSeconds(5);
            foreach (var address in Ids.Append(Owner).Append(Authority).Append(Attacker))
            {
                var balance = await gate.Ask<LedgerBalance>(new GetLedgerBalance(address), timeout);
                text.AppendLine($"balance {address} {balance.Balance}");
                foreach (var epoch in new[] { 1, Epoch, 1_000_000_000 })
                {
                    var reward = (await gate.Ask<LedgerEpochReward>(new GetLedgerEpochReward(epoch, address), timeout)).Reward;
                    text.AppendLine($"reward {epoch} {address} pool {reward.Pool} claimed {reward.Claimed}");
                }
            }

            var observers = (await gate.Ask<LedgerObservers>(GetLedgerObservers.Instance, timeout)).Registry;
            text.AppendLine($"observers {string.Join(",", observers.Observers)} threshold {observers.Threshold}");
            text.AppendLine($"licences {string.Join(",", (await gate.Ask<LedgerLicences>(GetLedgerLicences.Instance, timeout)).Nodes)}");
            foreach (var summary in (await Client.GetPipelinesAsync()).OrderBy(p => p.Name))
            {
                var status = await Network[1].PipelineStatusAsync(summary.PipelineId);
                text.AppendLine($"pipeline {summary.Name} {status.Status} v{status.Version} on {status.NodeId} [{string.Join(",", status.RunningInstances)}] {status.SpecJson}");
            }

            foreach (var member in Network.Nodes.Where((_, i) => i != Hostile))
            {
                var billed = await member.System.ActorSelection(WorkMeterProtocolPath).Ask<OwnerBilled>(new GetBilled(Owner), timeout);
                var account = await member.System.ActorSelection(NodeBilling.Path).Ask<OwnerAccount>(new GetOwnerAccount(Owner), timeout);
                text.AppendLine($"billed on {member.NodeId}: {billed.Billed} #{billed.LastSequence}; account {account.Billed}/{account.Collected}/{account.Arrears}");
            }

            foreach (var epoch in new[] { 1, Epoch })
            {
                var report = await node.System.ActorSelection($"/user/{EpochObserver.Name}").Ask<EpochReport>(new GetEpochReport(epoch), timeout);
                var agreed = report.Result is { } result ? string.Join(",", result.Agreed.Select(a => $"{a.Key}={a.Value}")) : "none";
                text.AppendLine($"epoch {epoch} known {report.Known} agreed {agreed} signatures {report.Signatures.Length}");
            }

            return text.ToString();
        }
    }

    /// <summary>One attacker: sends every forged type to every target, then compares the victims' state.</summary>
    private sealed class Attack(ActorSystem from, InProcessNetwork network, PipelineSummary victim, string owner, string attacker, Func<InProcessNode, Address> at)
    {
        private readonly ConcurrentQueue<object> _replies = new();

        /// <summary>The nodes under attack (the hostile member's own state is its own: its serializer takes every type).</summary>
        private List<InProcessNode> Honest => [.. network.Nodes.Where((_, i) => i != Hostile)];

        public async Task<AttackResult> RunAsync(Reference reference, string before, bool useRegions)
        {
            var replyTo = from.ActorOf(Props.Create(() => new Collector(_replies)));
            var targets = new ForgeryTargets(owner, victim.PipelineId, victim.NodeId, attacker,
                "0x" + new string('a', 64), $"{owner.ToLowerInvariant()}/job", replyTo);
            var regions = useRegions
                ? Regions.Select(r => ClusterSharding.Get(from).ShardRegion(r)).Append(ActorRegistry(from).Get<LedgerGate>()).ToArray()
                : [];
            var (tried, accepted, unbuilt) = (0, 0, new List<string>());
            var changed = new List<string>();
            foreach (var type in EveryType.Distinct())
            {
                var forged = MessageForger.Forge(type, targets, out var why);
                if (forged.Count == 0)
                {
                    unbuilt.Add($"{type.Name} ({why})");
                    continue;
                }

                foreach (var message in forged)
                {
                    foreach (var node in Honest)
                    {
                        foreach (var path in Paths)
                        {
                            from.ActorSelection(at(node) + path).Tell(message, replyTo);
                            tried++;
                        }
                    }

                    foreach (var region in regions)
                    {
                        region.Tell(message, replyTo);
                        tried++;
                    }
                }

                await BarrierAsync();
                var now = await reference.FingerprintAsync();
                if (now != before)
                {
                    accepted += forged.Count * (Honest.Count * Paths.Length + regions.Length);
                    changed.Add($"{type.Name}: {Diff(before, now)}");
                    before = now;
                }
            }

            var leaks = _replies.Where(r => r is PayloadBatch or PayloadDelivered
                    || r is WorkReceipts { Receipts.Length: > 0 } || r is JobStatus { ResultJson: not null })
                .Select(r => r.GetType().Name).ToList();
            var replies = string.Join(", ", _replies.GroupBy(r => r.GetType().Name).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            return new AttackResult(tried, accepted, EveryType.Distinct().Count() - unbuilt.Count, unbuilt, changed, leaks, replies);
        }

        /// <summary>Waits until every node's front door has answered after the forged messages (one connection keeps order).</summary>
        private async Task BarrierAsync()
        {
            foreach (var node in Honest)
            {
                await from.ActorSelection(at(node) + NodeApi.Path).Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10));
            }
        }

        private static Akka.Hosting.ActorRegistry ActorRegistry(ActorSystem system) => Akka.Hosting.ActorRegistry.For(system);

        private static string Diff(string before, string now) =>
            string.Join(" | ", now.Split('\n').Except(before.Split('\n')));
    }

    private sealed record AttackResult(int Tried, int Accepted, int TypesForged, List<string> Unbuilt, List<string> Changed, List<string> Leaks, string Replies)
    {
        public override string ToString() =>
            $"{Tried} (type, target) pairs tried over {TypesForged} types, {Accepted} accepted; " +
            $"changed: [{string.Join("; ", Changed)}]; not forged: [{string.Join("; ", Unbuilt)}]; replies: {Replies}";
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentQueue<object> replies) => ReceiveAny(replies.Enqueue);
    }
}

using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Naeural.Actors.Security;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// The network's list of pipelines, replicated like the heartbeats: each node writes the summaries its pipeline entities
/// publish locally into a replicated map (archived ones are removed), and answers <see cref="GetPipelines"/> from the merged map.
/// Each node also keeps the summaries of the entities it hosts and writes them all again every <see cref="RefreshInterval"/>,
/// like a heartbeat: an entry lost in replication (a CRDT merge anomaly after a member's removal, say) comes back.
/// Every entry is signed by the node it names as host (<see cref="SignedPipelineSummary"/>); readers list only entries that
/// verify under their key (checked once per entry version, <see cref="VerifiedEntries{T}"/>), keep the last good one while a
/// forged one sits over it, and log each rejected one once.
/// </summary>
public sealed class PipelineDirectory : ReceiveActor, IWithTimers
{
    public const string Name = "pipeline-directory";

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    public static readonly LWWDictionaryKey<string, SignedPipelineSummary> Key = new("naeural-signed-pipelines");

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IMessageSigner _signer;
    private readonly string _network;
    private readonly Dictionary<string, SignedPipelineSummary> _hosted = new(StringComparer.Ordinal);
    private readonly VerifiedEntries<SignedPipelineSummary> _verified;
    private LWWDictionary<string, SignedPipelineSummary> _pipelines = LWWDictionary<string, SignedPipelineSummary>.Empty;

    public PipelineDirectory(IMessageSigner signer, ISignatureVerifier verifier, string network)
    {
        _signer = signer;
        _network = network;
        _verified = new VerifiedEntries<SignedPipelineSummary>(
            (key, entry) => SignedPipelineSummary.Problem(key, entry, verifier, network),
            (key, why) => _log.Warning("Pipeline directory entry {PipelineId} ignored: {Reason}", key, why),
            order: entry => (entry.Summary.NodeId, entry.Summary.UpdatedAt.UtcTicks));

        Receive<PipelineSummaryChanged>(changed => Write(Host(changed.Summary)));
        Receive<PipelineEntityStopped>(stopped => _hosted.Remove(stopped.PipelineId)); // moved away, or this node leaves
        Receive<Refresh>(_ => WriteHosted());
        Receive<Changed>(c => c.Key.Equals(Key), c =>
        {
            _pipelines = c.Get(Key);
            _verified.Read(_pipelines.Entries);
        });
        Receive<GetPipelines>(query => Sender.Tell(new PipelineList([.. _verified.Accepted.Values.Select(e => e.Summary)
            .Where(p => p.Status != PipelineStatus.Archived)
            .Where(p => query.Owner is null || string.Equals(p.Owner, query.Owner, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.PipelineId, StringComparer.Ordinal)])));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("Pipeline directory not written: {Failure}", f));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="signer">This node's key: it signs the summaries of the pipelines hosted here.</param>
    /// <param name="verifier">Checks the hosts' signatures on what other nodes wrote.</param>
    /// <param name="network">The network summaries are signed for (<c>--network-id</c>).</param>
    public static Props Props(IMessageSigner signer, ISignatureVerifier verifier, string network) =>
        Akka.Actor.Props.Create(() => new PipelineDirectory(signer, verifier, network));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PipelineSummaryChanged));
        Context.System.EventStream.Subscribe(Self, typeof(PipelineEntityStopped));
        _replicator.Tell(Dsl.Subscribe(Key, Self));
        Timers.StartPeriodicTimer(Refresh.Instance, Refresh.Instance, RefreshInterval);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _replicator.Tell(Dsl.Unsubscribe(Key, Self));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// Signs a hosted pipeline's summary once per change. An archived pipeline leaves a signed tombstone (its Archived summary,
    /// not listed): readers then refuse its older summaries, which a member could otherwise replay after an unsigned removal.
    /// A pipeline that merely stopped here (no status) is removed: its next host writes it.
    /// </summary>
    private (PipelineSummary Summary, SignedPipelineSummary? Signed) Host(PipelineSummary summary)
    {
        if (summary.Status is PipelineStatus.None or PipelineStatus.Archived)
        {
            _hosted.Remove(summary.PipelineId);
            return (summary, summary.Status == PipelineStatus.Archived ? SignedPipelineSummary.Sign(summary, _signer, _network) : null);
        }

        var signed = SignedPipelineSummary.Sign(summary, _signer, _network);
        _hosted[summary.PipelineId] = signed;
        return (summary, signed);
    }

    /// <summary>
    /// Writes again, in one update, every summary this node hosts: an entry the merged map lost anywhere (here or on a reader)
    /// comes back with a fresh timestamp, and so does one a former host overwrote while handing its entity over.
    /// </summary>
    private void WriteHosted()
    {
        if (_hosted.Count == 0)
        {
            return;
        }

        var missing = _hosted.Where(h => !_pipelines.TryGetValue(h.Key, out var kept) || !Equals(kept, h.Value)).Select(h => h.Key).ToList();
        if (missing.Count > 0)
        {
            _log.Info("Pipeline directory lacked {PipelineIds} (or held another entry for them), hosted here: written again", string.Join(", ", missing));
            foreach (var id in missing)
            {
                // Signed anew: readers take from each host only entries newer than the last they saw (no replays).
                var summary = _hosted[id].Summary;
                Host(summary with { UpdatedAt = Max(DateTimeOffset.UtcNow, summary.UpdatedAt.AddTicks(1)) });
            }
        }

        var hosted = _hosted.Values.ToList();
        Apply(map => hosted.Aggregate(map, (m, entry) => m.SetItem(_cluster, entry.Summary.PipelineId, entry)));
    }

    private void Write((PipelineSummary Summary, SignedPipelineSummary? Signed) change) =>
        Apply(map => change.Signed is { } signed
            ? map.SetItem(_cluster, change.Summary.PipelineId, signed)
            : map.Remove(_cluster, change.Summary.PipelineId));

    /// <summary>
    /// This node's own changes are listed at once; the replicated map catches up (and spreads them) within a gossip round.
    /// </summary>
    private void Apply(Func<LWWDictionary<string, SignedPipelineSummary>, LWWDictionary<string, SignedPipelineSummary>> modify)
    {
        _pipelines = modify(_pipelines);
        _verified.Read(_pipelines.Entries);
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, SignedPipelineSummary>.Empty, WriteLocal.Instance, modify));
    }

    private sealed record Refresh
    {
        public static Refresh Instance { get; } = new();
    }
}

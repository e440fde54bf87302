using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// The network's list of pipelines, replicated like the heartbeats: each node writes the summaries its pipeline entities
/// publish locally into a replicated map (archived ones are removed), and answers <see cref="GetPipelines"/> from the merged map.
/// Each node also keeps the summaries of the entities it hosts and writes them all again every <see cref="RefreshInterval"/>,
/// like a heartbeat: an entry lost in replication (a CRDT merge anomaly after a member's removal, say) comes back.
/// </summary>
public sealed class PipelineDirectory : ReceiveActor, IWithTimers
{
    public const string Name = "pipeline-directory";

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    public static readonly LWWDictionaryKey<string, PipelineSummary> Key = new("naeural-pipelines");

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, PipelineSummary> _hosted = new(StringComparer.Ordinal);
    private LWWDictionary<string, PipelineSummary> _pipelines = LWWDictionary<string, PipelineSummary>.Empty;

    public PipelineDirectory()
    {
        Receive<PipelineSummaryChanged>(changed =>
        {
            Host(changed.Summary);
            Write(changed.Summary);
        });
        Receive<PipelineEntityStopped>(stopped => _hosted.Remove(stopped.PipelineId)); // moved away, or this node leaves
        Receive<Refresh>(_ => WriteHosted());
        Receive<Changed>(c => c.Key.Equals(Key), c => _pipelines = c.Get(Key));
        Receive<GetPipelines>(query => Sender.Tell(new PipelineList([.. _pipelines.Entries.Values
            .Where(p => query.Owner is null || string.Equals(p.Owner, query.Owner, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.PipelineId, StringComparer.Ordinal)])));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("Pipeline directory not written: {0}", f));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new PipelineDirectory());

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

    private static bool IsRemoval(PipelineSummary summary) => summary.Status is PipelineStatus.None or PipelineStatus.Archived;

    private void Host(PipelineSummary summary)
    {
        if (IsRemoval(summary))
        {
            _hosted.Remove(summary.PipelineId);
        }
        else
        {
            _hosted[summary.PipelineId] = summary;
        }
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

        var missing = _hosted.Keys.Where(id => !_pipelines.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            _log.Info("Pipeline directory lacked {0}, hosted here: written again", string.Join(", ", missing));
        }

        var hosted = _hosted.Values.ToList();
        Apply(map => hosted.Aggregate(map, (m, summary) => m.SetItem(_cluster, summary.PipelineId, summary)));
    }

    private void Write(PipelineSummary summary) =>
        Apply(map => IsRemoval(summary) ? map.Remove(_cluster, summary.PipelineId) : map.SetItem(_cluster, summary.PipelineId, summary));

    /// <summary>
    /// This node's own changes are listed at once; the replicated map catches up (and spreads them) within a gossip round.
    /// </summary>
    private void Apply(Func<LWWDictionary<string, PipelineSummary>, LWWDictionary<string, PipelineSummary>> modify)
    {
        _pipelines = modify(_pipelines);
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, PipelineSummary>.Empty, WriteLocal.Instance, modify));
    }

    private sealed record Refresh
    {
        public static Refresh Instance { get; } = new();
    }
}

using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// The network's list of pipelines, replicated like the heartbeats: each node writes the summaries its pipeline entities
/// publish locally into a replicated map (archived ones are removed), and answers <see cref="GetPipelines"/> from the merged map.
/// </summary>
public sealed class PipelineDirectory : ReceiveActor
{
    public const string Name = "pipeline-directory";

    public static readonly LWWDictionaryKey<string, PipelineSummary> Key = new("naeural-pipelines");

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LWWDictionary<string, PipelineSummary> _pipelines = LWWDictionary<string, PipelineSummary>.Empty;

    public PipelineDirectory()
    {
        Receive<PipelineSummaryChanged>(changed => Write(changed.Summary));
        Receive<Changed>(c => c.Key.Equals(Key), c => _pipelines = c.Get(Key));
        Receive<GetPipelines>(query => Sender.Tell(new PipelineList([.. _pipelines.Entries.Values
            .Where(p => query.Owner is null || string.Equals(p.Owner, query.Owner, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.PipelineId, StringComparer.Ordinal)])));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("Pipeline directory not written: {0}", f));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new PipelineDirectory());

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PipelineSummaryChanged));
        _replicator.Tell(Dsl.Subscribe(Key, Self));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _replicator.Tell(Dsl.Unsubscribe(Key, Self));
    }

    private void Write(PipelineSummary summary)
    {
        var remove = summary.Status is PipelineStatus.None or PipelineStatus.Archived;
        LWWDictionary<string, PipelineSummary> Modify(LWWDictionary<string, PipelineSummary> map) =>
            remove ? map.Remove(_cluster, summary.PipelineId) : map.SetItem(_cluster, summary.PipelineId, summary);

        // This node's own pipelines are listed at once; the replicated map catches up (and spreads them) within a gossip round.
        _pipelines = Modify(_pipelines);
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, PipelineSummary>.Empty, WriteLocal.Instance, Modify));
    }
}

using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Naeural.Actors.Security;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// The network's list of pipelines, kept where they run: each node holds the signed summaries of the pipelines it hosts
/// (published on its local event stream by their entities), and nothing is replicated or gossiped. A listing
/// (<see cref="GetPipelines"/>, from this node's own callers) asks every Up member's directory for what it hosts
/// (<see cref="ListHostedPipelines"/>) and merges the answers (<see cref="DirectoryMerge"/>): only summaries signed by the
/// node they name as host, for this network, under their own pipeline id; one per pipeline, the latest. So what a node
/// stores and sends grows with what it hosts; a listing costs one round trip to each member.
/// </summary>
public sealed class PipelineDirectory : ReceiveActor
{
    public const string Name = "pipeline-directory";

    public const string Path = "/user/" + Name;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IMessageSigner _signer;
    private readonly ISignatureVerifier _verifier;
    private readonly string _network;
    private readonly Dictionary<string, SignedPipelineSummary> _hosted = new(StringComparer.Ordinal);

    public PipelineDirectory(IMessageSigner signer, ISignatureVerifier verifier, string network)
    {
        _signer = signer;
        _verifier = verifier;
        _network = network;

        Receive<PipelineSummaryChanged>(changed => Host(changed.Summary));
        Receive<PipelineEntityStopped>(stopped => _hosted.Remove(stopped.PipelineId)); // moved away, or this node leaves
        Receive<ListHostedPipelines>(list => Sender.Tell(new HostedPipelines([.. Hosted(list.Owner)])));
        Receive<GetPipelines>(List);
    }

    /// <param name="signer">This node's key: it signs the summaries of the pipelines hosted here.</param>
    /// <param name="verifier">Checks the hosts' signatures on what other members answer.</param>
    /// <param name="network">The network summaries are signed for (<c>--network-id</c>).</param>
    public static Props Props(IMessageSigner signer, ISignatureVerifier verifier, string network) =>
        Akka.Actor.Props.Create(() => new PipelineDirectory(signer, verifier, network));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PipelineSummaryChanged));
        Context.System.EventStream.Subscribe(Self, typeof(PipelineEntityStopped));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    /// <summary>Keeps a running or stopped pipeline's summary, signed once per change; archived or gone, it is forgotten.</summary>
    private void Host(PipelineSummary summary)
    {
        if (summary.Status is PipelineStatus.None or PipelineStatus.Archived)
        {
            _hosted.Remove(summary.PipelineId);
            return;
        }

        _hosted[summary.PipelineId] = SignedPipelineSummary.Sign(summary, _signer, _network);
    }

    private IEnumerable<SignedPipelineSummary> Hosted(string? owner) =>
        _hosted.Values.Where(e => owner is null || AccountAddress.Same(e.Summary.Owner, owner));

    private void List(GetPipelines query)
    {
        var replyTo = Sender;
        var own = new HostedPipelines([.. Hosted(query.Owner)]);
        var others = _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.Address != _cluster.SelfAddress)
            .Select(m => Context.ActorSelection(new RootActorPath(m.Address) / "user" / Name)).ToList();
        var (verifier, network) = (_verifier, _network);
        var asks = others.Select(async directory =>
        {
            try
            {
                return await directory.Ask<object>(new ListHostedPipelines(query.Owner), AskTimeout) as HostedPipelines;
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return null; // a member that does not answer in time is left out of this listing
            }
        });
        Task.WhenAll(asks).ContinueWith(t => new PipelineList(DirectoryMerge.Merge(t.Result.OfType<HostedPipelines>().Prepend(own), query.Owner, verifier, network)),
            TaskScheduler.Default).PipeTo(replyTo);
    }
}

/// <summary>Merges members' answers to <see cref="ListHostedPipelines"/>. Pure.</summary>
public static class DirectoryMerge
{
    /// <summary>
    /// Summaries signed by the host they name, for <paramref name="network"/>, under their own pipeline id, of
    /// <paramref name="owner"/> when given, not archived; one per pipeline (the latest), ordered by pipeline id.
    /// </summary>
    public static ImmutableArray<PipelineSummary> Merge(IEnumerable<HostedPipelines> answers, string? owner, ISignatureVerifier verifier, string network) =>
        [.. answers
            .SelectMany(a => a.Summaries.IsDefault ? [] : a.Summaries)
            .Where(e => e?.Summary is not null && SignedPipelineSummary.Problem(e.Summary.PipelineId, e, verifier, network) is null)
            .Select(e => e.Summary)
            .Where(s => s.Status != PipelineStatus.Archived)
            .Where(s => owner is null || AccountAddress.Same(s.Owner, owner))
            .GroupBy(s => s.PipelineId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.UpdatedAt)!)
            .OrderBy(s => s.PipelineId, StringComparer.Ordinal)];
}

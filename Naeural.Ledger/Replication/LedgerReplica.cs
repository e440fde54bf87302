using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Naeural.Actors.Network;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Replication;

/// <summary>
/// This node's replica of the embedded ledger's journal (<c>/user/ledger-replica</c>, on every member). Every peer is a
/// stranger: it follows, appends for and answers only the node that hosts the ledger now, the oldest Up member, proven by the
/// node key bound to that member's address (the network view's address proofs) signing each prepare and append. What it holds
/// is kept in the node's own store (<see cref="ReplicaLog"/>) under its rules.
/// </summary>
public sealed class LedgerReplica : ReceiveActor
{
    public const string Name = "ledger-replica";

    public const string Path = "/user/" + Name;

    private const int MaxRead = 1024;

    /// <summary>
    /// The highest term a replica follows: far beyond any real count of host changes, far below where adding one overflows
    /// (a prepare or append beyond it is refused, so no host, honest or not, can push a log's term to where it wraps).
    /// </summary>
    public const long MaxTerm = 1L << 53;

    private readonly LedgerReplicationSettings _settings;
    private readonly ReplicaSigning _signing;
    private readonly IActorRef _networkView;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableDictionary<Address, string> _nodeAt = ImmutableDictionary<Address, string>.Empty;

    public LedgerReplica(LedgerReplicationSettings settings, IActorRef networkView)
    {
        _settings = settings;
        _signing = settings.Signing;
        _networkView = networkView;
        Receive<VerifiedHeartbeats>(v => Sender.Equals(_networkView), v => _nodeAt = v.Heartbeats
            .Select(h => (Ok: Address.TryParse(h.AkkaAddress, out var a), Address: a, h.NodeId))
            .Where(x => x.Ok)
            .GroupBy(x => x.Address!)
            .ToImmutableDictionary(g => g.Key, g => g.First().NodeId));
        Receive<ReplicaPrepare>(Handle);
        Receive<ReplicaAppend>(Handle);
        Receive<ReplicaRead>(Handle);
    }

    public static Props Props(LedgerReplicationSettings settings, IActorRef networkView) =>
        Akka.Actor.Props.Create(() => new LedgerReplica(settings, networkView));

    protected override void PreStart() => _networkView.Tell(SubscribeVerifiedHeartbeats.Instance);

    private void Handle(ReplicaPrepare prepare)
    {
        if (prepare.Term is < 1 or > MaxTerm)
        {
            Refuse(prepare.PersistenceId, $"term {prepare.Term} is out of range");
            return;
        }

        if (Problem(prepare.PersistenceId, prepare.Writer, () => _signing.Problem(prepare)) is { } problem)
        {
            Refuse(prepare.PersistenceId, problem);
            return;
        }

        var promised = _settings.Log.Promise(prepare.PersistenceId, prepare.Term, prepare.Writer);
        Sender.Tell(promised is null
            ? new ReplicaRefused(prepare.PersistenceId, _settings.Log.Head(prepare.PersistenceId).Promised, $"term {prepare.Term} is not newer than the one followed")
            : new ReplicaPromised(prepare.PersistenceId, promised.Promised, promised.LogTerm, promised.HighestSeq));
    }

    private void Handle(ReplicaAppend append)
    {
        if (append.Term is < 1 or > MaxTerm)
        {
            Refuse(append.PersistenceId, $"term {append.Term} is out of range");
            return;
        }

        if (Problem(append.PersistenceId, append.Writer, () => _signing.Problem(append)) is { } problem)
        {
            Refuse(append.PersistenceId, problem);
            return;
        }

        Sender.Tell(_settings.Log.Append(append.PersistenceId, append.Term, append.Writer, append.PrevSeq, append.PrevTerm, append.LogEnd, append.Entries) switch
        {
            AppendOutcome.Appended a => new ReplicaAppended(append.PersistenceId, append.Term, a.HighestSeq),
            AppendOutcome.Behind b => new ReplicaBehind(append.PersistenceId, append.Term, b.HighestSeq, b.TermAtHighest),
            AppendOutcome.Refused r => new ReplicaRefused(append.PersistenceId, r.Promised, $"term {append.Term} is older than the one followed"),
            _ => throw new InvalidOperationException(),
        });
    }

    private void Handle(ReplicaRead read)
    {
        if (string.IsNullOrEmpty(read.PersistenceId) || !_settings.Replicates(read.PersistenceId) || Oldest() is not { } oldest
            || !(Sender.Path.Address.HasLocalScope ? oldest.Address == _cluster.SelfAddress : Sender.Path.Address == oldest.Address))
        {
            Refuse(read.PersistenceId, "only the ledger's host (the oldest member) reads the replicas");
            return;
        }

        Sender.Tell(new ReplicaEntries(read.PersistenceId,
            [.. _settings.Log.Read(read.PersistenceId, Math.Max(1, read.FromSeq), long.MaxValue, Math.Clamp(read.Max, 1, MaxRead))]));
    }

    /// <summary>Null when <paramref name="writer"/> is the node bound to the oldest Up member's address and its signature holds.</summary>
    private string? Problem(string? persistenceId, string? writer, Func<string?> signature)
    {
        if (string.IsNullOrEmpty(persistenceId) || string.IsNullOrEmpty(writer))
        {
            return "it is malformed";
        }

        if (!_settings.Replicates(persistenceId))
        {
            return $"{persistenceId} is kept by its own node only";
        }

        if (Oldest() is not { } oldest)
        {
            return "no member is Up";
        }

        var host = oldest.Address == _cluster.SelfAddress ? _settings.Writer.Address : _nodeAt.GetValueOrDefault(oldest.Address);
        if (!AccountAddress.Same(host, writer))
        {
            return $"{writer} is not the ledger's host: the oldest member {oldest.Address} is {host ?? "not yet proven"}";
        }

        return signature();
    }

    private Member? Oldest() =>
        _cluster.State.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault();

    private void Refuse(string? persistenceId, string reason)
    {
        _log.Warning("Ledger replica refused a message from {Sender}: {Reason}", Sender.Path.Address, reason);
        Sender.Tell(new ReplicaRefused(persistenceId ?? "", 0, reason));
    }
}

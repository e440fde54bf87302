using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;

namespace Naeural.Actors.Replication;

/// <summary>
/// This member's share of the network's pipelines (<c>/user/pipeline-replica</c>, on every member). A pipeline's replica set
/// is the <see cref="ReplicationSettings.Copies"/> Up members that rendezvous hashing ranks first for it (<see cref="ReplicaSet"/>):
/// every member computes the same set, and a member's share grows with the pipelines it hosts or is ranked for, not with
/// the network. It keeps, in its own store, each pipeline's owner-signed history (self-certifying: a member that sends
/// anything else is refused) and its host's unacknowledged payloads (taken only from the node this member's own pipeline
/// region reaches as the host, signed by it). For its own node it shares what the local pipelines accept and emit, gathers
/// what a recovering pipeline lacks, re-shares when the set changes, and wakes a held pipeline that no live member runs on
/// the home that <see cref="PlacementPolicy.Rank"/> picks for it (<see cref="WakePipeline"/>).
/// </summary>
public sealed class PipelineReplica : ReceiveActor, IWithTimers
{
    public const string Name = "pipeline-replica";

    public const string Path = "/user/" + Name;

    /// <summary>How many times (about 11 s) a share waits for another up member to prove its node before one copy does.</summary>
    private const int UnprovenWaits = 10;

    /// <summary>How many times (about a minute) an owner's command is sent to its replicas before the next membership change.</summary>
    private const int HistoryAttempts = 35;

    private readonly ReplicaStore _store;
    private readonly IActorRef _networkView;
    private readonly PlacementBoard _board;
    private readonly PipelineServices _services;
    private readonly ReplicationSettings _settings;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _hosted = new(StringComparer.Ordinal);
    private readonly HashSet<(string Sender, string Reason)> _refusalsLogged = [];
    private readonly Dictionary<string, WakeSchedule.Mark> _woken = new(StringComparer.Ordinal);
    private readonly Dictionary<(string PipelineId, int Copies), IReadOnlyList<Address>> _sets = [];
    private object? _setsRankedFrom;
    private readonly Dictionary<string, Task<ReplicaContent>> _gathering = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (HistoryEntry? Create, bool Archived)> _facts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Address Writer, DateTimeOffset Since)> _announced = new(StringComparer.Ordinal);
    private ImmutableDictionary<Address, string> _nodeAt = ImmutableDictionary<Address, string>.Empty;
    private ImmutableHashSet<string> _running = ImmutableHashSet<string>.Empty;
    private ImmutableDictionary<string, ImmutableHashSet<string>> _hostsOf = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;
    private DateTimeOffset _membershipChanged = DateTimeOffset.UtcNow;
    private DateTimeOffset? _upSince;

    public PipelineReplica(ReplicaStore store, IActorRef networkView, PlacementBoard board, PipelineServices services, ReplicationSettings settings)
    {
        _store = store;
        _networkView = networkView;
        _board = board;
        _services = services;
        _settings = settings;

        Receive<VerifiedHeartbeats>(v => Sender.Equals(_networkView), v =>
        {
            var proven = _nodeAt;
            _nodeAt = v.Heartbeats
                .Select(h => (Ok: Address.TryParse(h.AkkaAddress, out var a), Address: a, h.NodeId))
                .Where(x => x.Ok)
                .GroupBy(x => x.Address!)
                .ToImmutableDictionary(g => g.Key, g => g.First().NodeId.ToLowerInvariant());
            _running = v.Heartbeats.SelectMany(h => h.Pipelines).ToImmutableHashSet(StringComparer.Ordinal);
            _hostsOf = v.Heartbeats
                .SelectMany(h => h.Pipelines.Select(p => (Pipeline: p, Node: h.NodeId.ToLowerInvariant())))
                .GroupBy(x => x.Pipeline, StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.Select(x => x.Node).ToImmutableHashSet(), StringComparer.Ordinal);
            if (proven.Count != _nodeAt.Count || proven.Any(p => _nodeAt.GetValueOrDefault(p.Key) != p.Value))
            {
                _sets.Clear(); // the proven members (and their node ids) rank the replica sets
            }

            if (!proven.Keys.ToHashSet().SetEquals(_nodeAt.Keys))
            {
                MembershipChanged(); // a member proven just now may rank for some
            }
        });
        Receive<ClusterEvent.IMemberEvent>(_ => MembershipChanged());
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<ReplicateHistory>(TakeHistory);
        Receive<ReplicatePayloads>(TakePayloads);
        Receive<HistoryReplicated>(_ => { }); // answers to this member's own fan-out
        Receive<ReplicaRefused>(_ => { });
        Receive<ReadReplica>(read =>
        {
            if (!IsUpMember(Sender.Path.Address) || string.IsNullOrEmpty(read.PipelineId))
            {
                Refuse(read.PipelineId, "only members read replicas");
                return;
            }

            Sender.Tell(Page(read.PipelineId, Math.Max(0, read.After)));
        });
        Receive<ShareHistory>(share =>
        {
            _store.AddHistory(share.PipelineId, share.Entries, NonceOf);
            _facts.Remove(share.PipelineId);
            ShareNow(share, Sender, attempt: 1);
        });
        Receive<SharePayloads>(share => ShareNow(share, Sender, attempt: 1));
        Receive<RetryShare>(retry => ShareNow(retry.Share, retry.ReplyTo, retry.Attempt));
        Receive<GatherReplica>(Gather);
        Receive<GatherDone>(done =>
        {
            if (_gathering.TryGetValue(done.PipelineId, out var read) && ReferenceEquals(read, done.Read))
            {
                _gathering.Remove(done.PipelineId);
            }
        });
        Receive<HostingPipeline>(hosting =>
        {
            _hosted[hosting.PipelineId] = Sender;
            Context.Watch(Sender);
        });
        Receive<Terminated>(t =>
        {
            foreach (var pipelineId in _hosted.Where(h => h.Value.Equals(t.ActorRef)).Select(h => h.Key).ToList())
            {
                _hosted.Remove(pipelineId);
            }
        });
        Receive<SweepTick>(_ => Sweep());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaStore store, IActorRef networkView, PlacementBoard board, PipelineServices services, ReplicationSettings settings) =>
        Akka.Actor.Props.Create(() => new PipelineReplica(store, networkView, board, services, settings));

    private string Me => _services.NodeId.ToLowerInvariant();

    private IActorRef Pipelines => ClusterSharding.Get(Context.System).ShardRegion(PipelineEntity.TypeName);

    protected override void PreStart()
    {
        _networkView.Tell(SubscribeVerifiedHeartbeats.Instance);
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer(SweepTick.Instance, SweepTick.Instance, _settings.SweepInterval);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>Owner-signed commands for the pipeline they name, on this network; anything else is refused, nothing stored.</summary>
    private void TakeHistory(ReplicateHistory replicate)
    {
        if (!Sender.Path.Address.HasGlobalScope || !IsUpMember(Sender.Path.Address) || string.IsNullOrEmpty(replicate.PipelineId)
            || replicate.Entries.IsDefaultOrEmpty)
        {
            // Members fan history out from their replica actor: a message without a sender is no member's.
            Refuse(replicate.PipelineId, "not from a member, or empty");
            return;
        }

        // Any member may name any pipeline here: ranked without keeping the ranking.
        if (!Others(replicate.PipelineId, _settings.Copies + 1, includeSelf: true, remember: false).Contains(_cluster.SelfAddress))
        {
            Refuse(replicate.PipelineId, "this member is not ranked to hold the pipeline");
            return;
        }

        var problems = replicate.Entries.Select(e => HistoryProblem(replicate.PipelineId, e)).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            Refuse(replicate.PipelineId, problems[0]);
            return;
        }

        _facts.Remove(replicate.PipelineId);
        if (!_running.Contains(replicate.PipelineId) && !_announced.ContainsKey(replicate.PipelineId))
        {
            // Shared by a member before any heartbeat lists the pipeline: most likely its new host (heartbeats lag under load).
            _announced[replicate.PipelineId] = (Sender.Path.Address, DateTimeOffset.UtcNow);
        }

        Sender.Tell(new HistoryReplicated(replicate.PipelineId, _store.AddHistory(replicate.PipelineId, replicate.Entries, NonceOf)));
    }

    private string? HistoryProblem(string pipelineId, HistoryEntry entry)
    {
        if (entry?.Command is null || entry.Version < 1)
        {
            return "an entry is malformed";
        }

        try
        {
            var command = CommandEnvelope.Open(entry.Command, _services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(),
                TimeSpan.MaxValue, _services.Settings.MaxCommandBytes);
            if (command.PipelineId != pipelineId)
            {
                return $"a command names pipeline {command.PipelineId}, not {pipelineId}";
            }

            return AccountAddress.Same(command.Signer, command.Owner) && PipelineActions.All.Contains(command.Action)
                ? null
                : $"a command of {pipelineId} is not its owner's pipeline command";
        }
        catch (CommandRejectedException e)
        {
            return $"a command of {pipelineId} does not hold: {e.Code} {e.Reason}";
        }
    }

    /// <summary>Payloads only from the pipeline's host, as this member's own region reaches it; checked once per host.</summary>
    private void TakePayloads(ReplicatePayloads replicate)
    {
        if (!IsUpMember(Sender.Path.Address) || _nodeAt.GetValueOrDefault(Sender.Path.Address) is not { } writer
            || string.IsNullOrEmpty(replicate.PipelineId) || replicate.Payloads.IsDefault)
        {
            Refuse(replicate.PipelineId, "not from a proven member, or malformed");
            return;
        }

        if (_store.History(replicate.PipelineId).IsEmpty)
        {
            Refuse(replicate.PipelineId, "no history of this pipeline is held here");
            return;
        }

        // The writer must be a node whose own signed, address-proven heartbeat says it runs the pipeline (asking sharding
        // instead would start the pipeline here while it moves). Until its heartbeat says so, the writer retries.
        if (_hostsOf.GetValueOrDefault(replicate.PipelineId)?.Contains(writer) != true)
        {
            Refuse(replicate.PipelineId, $"{writer} does not host it by its heartbeat (yet)");
            return;
        }

        StorePayloads(replicate, writer, Sender);
    }

    /// <summary>
    /// Every payload must hold on its own and be the writer's (a member can forge the sender of a message, not a signature);
    /// the acknowledged floor is taken only up to the highest number held, and the highest payload is always kept (it proves
    /// where numbering stands when everything below was acknowledged).
    /// </summary>
    private void StorePayloads(ReplicatePayloads replicate, string writer, IActorRef sender)
    {
        if (replicate.Payloads.Any(p => p is null || p.PipelineId != replicate.PipelineId || p.Sequence < 1 || SignerOf(p) != writer
                                       || !PayloadHolds(p, _services.Verifier, _services.Settings.NetworkId)))
        {
            sender.Tell(new ReplicaRefused(replicate.PipelineId, $"a payload is not {writer}'s for {replicate.PipelineId}, or its signature does not hold"));
            return;
        }

        var highest = Math.Max(_store.Head(replicate.PipelineId).Last, replicate.Payloads.IsEmpty ? 0 : replicate.Payloads.Max(p => p.Sequence));
        // A replica holds what the host's outbox may hold, no more: the host evicts (with a notice) beyond that window too.
        var floor = Math.Max(Math.Min(replicate.AcknowledgedUpTo, highest - 1), highest - _services.Settings.MaxUnackedPayloads);
        sender.Tell(new PayloadsReplicated(replicate.PipelineId, _store.AddPayloads(replicate.PipelineId, floor, replicate.Payloads)));
    }

    /// <summary>
    /// Sends this node's own history or payloads to the pipeline's replica set and answers <paramref name="replyTo"/> once
    /// one other member holds them (at once when no other member is up); until then it tries again, the set may change.
    /// </summary>
    private void ShareNow(object share, IActorRef replyTo, int attempt)
    {
        var (pipelineId, replicate, what, upTo) = share switch
        {
            ShareHistory h => (h.PipelineId, (object)new ReplicateHistory(h.PipelineId, h.Entries), "History", h.Entries.Max(e => e.Version)),
            SharePayloads p => (p.PipelineId, new ReplicatePayloads(p.PipelineId, p.AcknowledgedUpTo, p.Payloads), "Payloads",
                p.Payloads.IsDefaultOrEmpty ? 0 : p.Payloads.Max(e => e.Sequence)),
            _ => throw new ArgumentException($"not a share: {share.GetType().Name}", nameof(share)),
        };
        object Answer(int copies) => share is ShareHistory ? new HistoryShared(pipelineId, upTo) : new PayloadsShared(pipelineId, upTo, copies);

        var others = Others(pipelineId, _settings.Copies);
        if (others.Count == 0 && attempt <= UnprovenWaits && UpMembers().Any(a => a != _cluster.SelfAddress))
        {
            // Other members are up but none has proven its node yet (this member just started): their heartbeats come soon.
            RetryLater(share, replyTo, attempt);
            return;
        }

        if (others.Count == 0)
        {
            replyTo.Tell(Answer(1));
            return;
        }

        if (share is ShareHistory && attempt > HistoryAttempts)
        {
            // The owner's answer waits in the entity; a membership change shares the held history again.
            _log.Warning("History of {PipelineId} up to #{UpTo} reached no second member in {Attempt} attempts; no more tries until the members change",
                pipelineId, upTo, attempt - 1);
            return;
        }

        var self = Self;
        var scheduler = Context.System.Scheduler;
        _ = FirstConfirmationAsync(others.Select(a => Context.ActorSelection(a + Path)).ToList(), replicate, pipelineId, upTo, _settings.AskTimeout).ContinueWith(t =>
        {
            if (t.Result)
            {
                replyTo.Tell(Answer(2));
            }
            else
            {
                // The set may change (a member down) or the host's heartbeat may not have reached the replicas yet: try again soon.
                scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)), self,
                    new RetryShare(share, replyTo, attempt + 1), ActorRefs.NoSender);
            }
        }, TaskScheduler.Default);
        if (attempt > 1 && attempt % 10 == 0)
        {
            _log.Warning("{What} of {PipelineId} up to #{UpTo} not on a second member yet (attempt {Attempt}); it waits", what, pipelineId, upTo, attempt);
        }
    }

    private void RetryLater(object share, IActorRef replyTo, int attempt)
    {
        var retry = new RetryShare(share, replyTo, attempt + 1);
        Timers.StartSingleTimer(retry, retry, TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)));
    }

    private static async Task<bool> FirstConfirmationAsync(IReadOnlyList<ActorSelection> replicas, object message, string pipelineId, long upTo, TimeSpan timeout)
    {
        var pending = replicas.Select(r => r.Ask<object>(message, timeout)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            // A replica that took the history answers how much it holds; one that took payloads, up to where.
            if (done.IsCompletedSuccessfully && done.Result switch
                {
                    HistoryReplicated h => h.PipelineId == pipelineId,
                    PayloadsReplicated p => p.PipelineId == pipelineId && p.UpTo >= upTo,
                    _ => false,
                })
            {
                return true;
            }
        }

        await Task.Delay(200);
        return false;
    }

    /// <summary>
    /// Asks the replica set (and one more, for a set that just changed) and merges what holds: verified entries only. A
    /// starting pipeline and its outbox ask at once: a gather asked while one for the same pipeline is under way is answered
    /// with that one's result (both ask for what the replicas hold now), so a start reads each replica once. Each asker gets
    /// its answer from the read itself, so a restart of this actor loses none.
    /// </summary>
    private void Gather(GatherReplica gather)
    {
        if (_gathering.TryGetValue(gather.PipelineId, out var underWay) && !underWay.IsCompleted)
        {
            underWay.PipeTo(Sender);
            return;
        }

        var others = Others(gather.PipelineId, _settings.Copies + 1);
        var local = Content(gather.PipelineId);
        var verifier = _services.Verifier;
        var network = _services.Settings.NetworkId;
        var timeout = _settings.AskTimeout;
        var most = _services.Settings.MaxUnackedPayloads;
        var reads = others.Select(a => ReadAllAsync(Context.ActorSelection(a + Path), gather.PipelineId, timeout, most)).ToList();
        var problem = (Func<string, HistoryEntry, string?>)HistoryProblem;
        var read = Task.WhenAll(reads).ContinueWith(t =>
        {
            var contents = t.Result.OfType<ReplicaContent>().Prepend(local).ToList();
            return ReplicaMerge.Merge(gather.PipelineId, contents, e => problem(gather.PipelineId, e) is null, p => PayloadHolds(p, verifier, network));
        }, TaskScheduler.Default);
        _gathering[gather.PipelineId] = read;
        read.PipeTo(Sender);
        read.ContinueWith(_ => new GatherDone(gather.PipelineId, read), TaskScheduler.Default).PipeTo(Self);
    }

    /// <summary>
    /// Reads one replica page by page: each page must start above the last one's highest number (a replica can't make it loop)
    /// and at most the outbox's window of payloads is taken from one replica. What came before a failed or late page counts.
    /// </summary>
    private static async Task<ReplicaContent?> ReadAllAsync(ActorSelection replica, string pipelineId, TimeSpan timeout, int most)
    {
        ReplicaContent? first = null;
        var payloads = ImmutableArray.CreateBuilder<PayloadDelivered>();
        var after = 0L;
        try
        {
            while (await replica.Ask<object>(new ReadReplica(pipelineId, after), timeout) is ReplicaContent page && page.PipelineId == pipelineId)
            {
                first ??= page;
                var fresh = page.Payloads.IsDefault ? [] : page.Payloads.Where(p => p is not null && p.Sequence > after).ToList();
                payloads.AddRange(fresh);
                if (!page.More || fresh.Count == 0 || payloads.Count >= most)
                {
                    break;
                }

                after = fresh.Max(p => p.Sequence);
            }
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // Whatever pages arrived are merged; the others hold the rest.
        }

        return first is null ? null : first with { Payloads = payloads.ToImmutable(), More = false };
    }

    /// <summary>This member's own content of the pipeline, whole (local: no message cap).</summary>
    private ReplicaContent Content(string pipelineId)
    {
        var (payloads, acknowledged, last) = _store.Payloads(pipelineId);
        return new ReplicaContent(pipelineId, _store.History(pipelineId), payloads, acknowledged, last);
    }

    /// <summary>One page of this member's content for another member: the history with the first page only.</summary>
    private ReplicaContent Page(string pipelineId, long after)
    {
        var (payloads, more) = _store.Page(pipelineId, after, _settings.ReadPageBytes);
        var (acknowledged, last) = _store.Head(pipelineId);
        return new ReplicaContent(pipelineId, after == 0 ? _store.History(pipelineId) : [], payloads, acknowledged, last, more);
    }

    private void MembershipChanged()
    {
        _membershipChanged = DateTimeOffset.UtcNow;
        foreach (var (pipelineId, outbox) in _hosted)
        {
            outbox.Tell(ReshareReplica.Instance);
            if (_store.History(pipelineId) is { IsEmpty: false } history)
            {
                Fanout(pipelineId, new ReplicateHistory(pipelineId, history));
            }
        }
    }

    /// <summary>
    /// Wakes held pipelines no live member runs (by the verified heartbeats), once the membership has been still for a while;
    /// forgets payloads of archived pipelines and what this member is no longer ranked to hold.
    /// </summary>
    private void Sweep()
    {
        var now = DateTimeOffset.UtcNow;
        if (_cluster.SelfMember.Status != MemberStatus.Up)
        {
            return;
        }

        _upSince ??= now;
        // A member that has just come up (the network may be restarting) waits until the membership has been still a while, so
        // it does not wake everything it holds onto itself; an established member wakes what a lost member ran at once.
        var settled = (now - _upSince >= _settings.SettleTime * 5 || now - _membershipChanged >= _settings.SettleTime)
                      && UpMembers().All(a => _nodeAt.ContainsKey(a));
        var held = _store.Pipelines();
        foreach (var gone in _woken.Keys.Except(held).ToList())
        {
            _woken.Remove(gone);
        }

        if (_sets.Count > 4 * held.Count + 64)
        {
            _sets.Clear(); // sets of pipelines no longer held (hosted ones are asked for again as they share)
        }

        foreach (var gone in _announced.Keys.Except(held).ToList())
        {
            _announced.Remove(gone);
        }

        foreach (var pipelineId in held)
        {
            var (create, archived) = Facts(pipelineId);
            if (create is null)
            {
                continue;
            }

            if (archived)
            {
                if (!_store.Page(pipelineId, 0, 1).Payloads.IsEmpty)
                {
                    _store.AddPayloads(pipelineId, long.MaxValue, []); // an archived pipeline keeps its history (a tombstone) only
                }

                continue;
            }

            var listed = _running.Contains(pipelineId);
            var listedByItsWriter = false;
            if (_announced.TryGetValue(pipelineId, out var announced))
            {
                if (!listed && now - announced.Since <= _settings.NewPipelineGrace && IsUpMember(announced.Writer))
                {
                    continue; // its writer is up and shared it just now: a new pipeline its host's heartbeat does not list yet
                }

                listedByItsWriter = listed && _nodeAt.TryGetValue(announced.Writer, out var writer)
                                    && _hostsOf.GetValueOrDefault(pipelineId)?.Contains(writer) == true;
                _announced.Remove(pipelineId);
            }

            if (listed && !_hosted.ContainsKey(pipelineId) && !Others(pipelineId, _settings.Copies + 2, includeSelf: true).Contains(_cluster.SelfAddress))
            {
                // No longer ranked to hold it, and it runs: its host has shared it with the members ranked now.
                _store.Drop(pipelineId);
                _facts.Remove(pipelineId);
                continue;
            }

            // Not listed by any heartbeat: woken at once (every WakeInterval); listed: woken now and then anyway, in case a
            // heartbeat lies about it (a wake reaches a running pipeline through sharding and changes nothing).
            if (!settled || _hosted.ContainsKey(pipelineId))
            {
                continue;
            }

            var (wake, attempt, next) = WakeSchedule.Decide(_woken.TryGetValue(pipelineId, out var mark) ? mark : null, listed, listedByItsWriter, now, _settings);
            if (next is { } marked)
            {
                _woken[pipelineId] = marked;
            }

            if (wake)
            {
                Wake(pipelineId, create, attempt);
            }
        }
    }

    /// <summary>The latest create in a held pipeline's history and whether its latest command archived it (cached until it changes).</summary>
    private (HistoryEntry? Create, bool Archived) Facts(string pipelineId)
    {
        if (!_facts.TryGetValue(pipelineId, out var facts))
        {
            var history = _store.History(pipelineId);
            facts = (history.LastOrDefault(e => ActionOf(e) == PipelineActions.Create),
                !history.IsEmpty && ActionOf(history.MaxBy(e => e.Version)!) == PipelineActions.Archive);
            _facts[pipelineId] = facts;
        }

        return facts;
    }

    /// <summary>Wakes the pipeline on its best fitting home; each further attempt tries the next one (a home that drops wakes can't hold it).</summary>
    private void Wake(string pipelineId, HistoryEntry create, int attempt)
    {
        var errors = new List<SpecError>();
        var payload = JsonNode.Parse(create.Command.Json)?[SignedCommand.PayloadField] as JsonObject;
        var requirements = payload is null ? PlacementRequirements.None : PlacementRequirements.FromSpec(payload, errors);
        var candidates = _board.Nodes.Select(n => new PlacementCandidate(n, n.Resources.Pipelines.Length)).ToList();
        var ranked = PlacementPolicy.Rank(pipelineId, requirements, candidates, PlacementSettings.Default);
        if (ranked.Count == 0)
        {
            _log.Warning("Pipeline {PipelineId} runs nowhere and no live node fits it: {Reason}", pipelineId,
                PlacementPolicy.Refusal(pipelineId, requirements, candidates));
            return;
        }

        var home = ranked[attempt % ranked.Count].Node.Resources;
        _log.Info("Pipeline {PipelineId} runs nowhere: waking it on {NodeId}", pipelineId, home.NodeId);
        Context.ActorSelection(home.AkkaAddress + PlacementAdvisor.Path).Tell(new WakePipeline(pipelineId, new PipelineCommandRequest(pipelineId, create.Command)));
    }

    /// <summary>Fire and forget: the set's other members get it (a lost one is made good by the next re-share).</summary>
    private void Fanout(string pipelineId, object message)
    {
        foreach (var address in Others(pipelineId, _settings.Copies))
        {
            Context.ActorSelection(address + Path).Tell(message, Self); // the receiver sees which member wrote (its answer is dropped)
        }
    }

    /// <summary>
    /// The pipeline's first <paramref name="copies"/> members by rendezvous hashing over the proven Up members (this one
    /// left out unless <paramref name="includeSelf"/>). Ranked once per membership for the pipelines this member holds or
    /// hosts (<paramref name="remember"/>; a sweep asks for every held pipeline every second); the ranking is dropped when the
    /// cluster's member set is another object than the one it was ranked from (this actor may hear of a change before the
    /// cluster's own view shows it, or after) or a node id proven at an address changes.
    /// </summary>
    private IReadOnlyList<Address> Others(string pipelineId, int copies, bool includeSelf = false, bool remember = true)
    {
        var members = _cluster.State.Members;
        if (!ReferenceEquals(members, _setsRankedFrom))
        {
            _sets.Clear();
            _setsRankedFrom = members;
        }

        if (!_sets.TryGetValue((pipelineId, copies), out var set))
        {
            var proven = members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address)
                .Where(a => _nodeAt.ContainsKey(a) || a == _cluster.SelfAddress)
                .Select(a => (Address: a, NodeId: a == _cluster.SelfAddress ? Me : _nodeAt[a]));
            set = [.. ReplicaSet.Of(pipelineId, proven, m => m.NodeId, copies).Select(m => m.Address)];
            if (remember)
            {
                _sets[(pipelineId, copies)] = set;
            }
        }

        return includeSelf ? set : [.. set.Where(a => a != _cluster.SelfAddress)];
    }

    private IEnumerable<Address> UpMembers() =>
        _cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address);

    private bool IsUpMember(Address address) =>
        address.HasLocalScope || address == _cluster.SelfAddress || UpMembers().Contains(address);

    /// <summary>Answers the refusal; logs it once per sender and reason (a host retries, a flood repeats).</summary>
    private void Refuse(string? pipelineId, string reason)
    {
        if (_refusalsLogged.Count < 10_000 && _refusalsLogged.Add((Sender.Path.Address.ToString(), reason)))
        {
            _log.Warning("Pipeline replica refused a message from {Sender} about {PipelineId}: {Reason}", Sender.Path.Address, pipelineId, reason);
        }

        Sender.Tell(new ReplicaRefused(pipelineId ?? "", reason));
    }

    private static string NonceOf(HistoryEntry entry) =>
        JsonNode.Parse(entry.Command.Json)?[SignedCommand.NonceField]?.GetValue<string>() ?? $"v{entry.Version}";

    private static string? ActionOf(HistoryEntry entry) =>
        CommandEnvelope.TryPeek(entry.Command, out _, out var action) ? action : null;

    private static string? SignerOf(PayloadDelivered payload) => PayloadFormat.SignerNodeOf(payload.SignedJson)?.ToLowerInvariant();

    /// <summary>
    /// A payload holds when its text is a payload signed (for this network) by the node its path names, for the pipeline it
    /// is filed under, with the sequence number it is filed at. Never throws.
    /// </summary>
    public static bool PayloadHolds(PayloadDelivered payload, ISignatureVerifier verifier, string network)
    {
        try
        {
            if (payload?.SignedJson is null || JsonNode.Parse(payload.SignedJson) is not JsonObject json)
            {
                return false;
            }

            var check = SignedJson.Verify(json, verifier);
            var path = json[PayloadFormat.PathField] as JsonArray;
            var name = payload.PipelineId[(payload.PipelineId.IndexOf('/') + 1)..];
            return check.IsValid && path is { Count: > 1 }
                   && AccountAddress.Same(check.Signer, path[0]?.GetValue<string>())
                   && path[1]?.GetValue<string>() == name
                   && json[PayloadFormat.SequenceField] is JsonValue seq && seq.TryGetValue<long>(out var sequence) && sequence == payload.Sequence
                   && NetworkIds.Payload(network).Mismatch(json) is null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>A <see cref="ShareHistory"/> or <see cref="SharePayloads"/> to send again.</summary>
    private sealed record RetryShare(object Share, IActorRef ReplyTo, int Attempt);

    /// <summary>A gather's read has ended: the next gather of the pipeline reads again.</summary>
    private sealed record GatherDone(string PipelineId, Task Read);

    private sealed record SweepTick
    {
        public static SweepTick Instance { get; } = new();
    }
}

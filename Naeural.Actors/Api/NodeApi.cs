using Akka.Actor;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Network;
using Naeural.Actors.Payloads;
using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;
using Naeural.Actors.Telemetry;

namespace Naeural.Actors.Api;

/// <summary>
/// The node's front door for developers, in-process or connected from another machine (<c>/user/naeural-api</c>):
/// every request a <see cref="Client.NaeuralClient"/> makes arrives here. Queries go to the actor that owns the answer;
/// signed commands are verified (signature, network, freshness, and a nonce not seen before: a replay cache), checked
/// against this node's allow-list and routed to their pipeline (or distributed job) entity
/// wherever it runs (which verifies them fully); a signed subscription starts a <see cref="PayloadRelay"/> once its signer is shown to be the owner.
/// A signed read (<see cref="ReadActions"/>) is checked the same way, then answered only to the data's owner or this node's
/// operator (<see cref="ReadAccess"/>) by the actor registered for it (<see cref="NodeApiTargets.Reads"/>), with a local-only query.
/// The network view is public: <see cref="GetNodes"/> is answered to anyone.
/// </summary>
public sealed class NodeApi : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "naeural-api";

    /// <summary>The actor's path relative to a node's address.</summary>
    public const string Path = "/user/" + Name;

    private readonly NodeApiTargets _targets;
    /// <summary>How long the front door waits for the network view's answer to a <see cref="GetNodes"/>.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private readonly PipelineServices _services;
    private readonly NodeMetrics _metrics = NodeMetrics.For(Context.System);
    private readonly ReplayCache _replays;

    public NodeApi(NodeApiTargets targets, PipelineServices services)
    {
        _targets = targets;
        _services = services;
        _replays = new ReplayCache(services.Settings.CommandFreshness, services.Settings.ReplayMemory);

        Receive<GetNodes>(query => _targets.NetworkView.Ask<NetworkSnapshot>(query, AskTimeout)
            .PipeTo(Sender, success: snapshot => snapshot with { Self = _services.NodeId }));
        Receive<GetPipelines>(query => _targets.PipelineDirectory.Forward(query)); // local-only: this node's own callers (its HTTP API)
        Receive<SignedCommand>(OnCommand);
    }

    public static Props Props(NodeApiTargets targets, PipelineServices services) =>
        Akka.Actor.Props.Create(() => new NodeApi(targets, services));

    /// <summary>A restart (a bug met by some command) keeps the payload relays running: their subscribers lose nothing.</summary>
    protected override void PreRestart(Exception reason, object message) => PostStop();

    private void OnCommand(SignedCommand command)
    {
        // The size first, so an oversized command is never parsed.
        if (command.Json?.Length > _services.Settings.MaxCommandBytes)
        {
            _metrics.CommandReceived("");
            Reject(new CommandRejected("", "", RejectionCodes.TooLarge,
                $"command is {command.Json.Length} characters, over the {_services.Settings.MaxCommandBytes}-byte limit"));
            return;
        }

        var peeked = CommandEnvelope.TryPeek(command, out var pipelineId, out var action);
        // The label is one of the known actions: a sender must not mint new metric series with made-up ones.
        _metrics.CommandReceived(!peeked ? "" : PipelineActions.All.Contains(action) || JobActions.All.Contains(action) || ReadActions.All.Contains(action) ? action : "other");
        if (!peeked)
        {
            Reject(new CommandRejected("", "", RejectionCodes.Malformed, "command must be a JSON object naming PIPELINE and signed (EE_SENDER)"));
            return;
        }

        // Checked here too, so forged, stale, other networks' or malformed commands never wake a pipeline entity; the entity
        // checks again (nonce, owner) against its own state.
        CommandEnvelope envelope;
        try
        {
            envelope = CommandEnvelope.Open(command, _services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(),
                _services.Settings.CommandFreshness, _services.Settings.MaxCommandBytes);
        }
        catch (CommandRejectedException e)
        {
            Reject(new CommandRejected(pipelineId, action, e.Code, e.Reason));
            return;
        }

        // Every verified command is looked at once, whatever becomes of it: one refused now (NOT_ALLOWED, NOT_OWNER, a bad
        // spec) is not obeyed later when conditions change, and a subscription or job query is not replayed by whoever saw it.
        if (_replays.Remember(envelope.Signer, envelope.Nonce, envelope.TimeMs, _services.Time.GetUtcNow()) is { } replayed)
        {
            Reject(new CommandRejected(pipelineId, action, RejectionCodes.Replayed, replayed));
            return;
        }

        // Reads are answered to the owner or the operator, whoever the allow-list admits to command this node.
        if (ReadActions.All.Contains(action))
        {
            Read(envelope);
            return;
        }

        // With the verified signer: only the owner or this node's operator may command a pipeline, and nothing of a
        // stranger's (a spec, custom code) is compiled or routed before that is settled.
        if (!_services.Allows(envelope.Owner, envelope.Signer))
        {
            Reject(new CommandRejected(pipelineId, action, RejectionCodes.NotAllowed, _services.NotAllowedReason(envelope.Owner)));
            return;
        }

        if (AccessRule.RefuseUnlessOwnerOrOperator(envelope.Signer, envelope.Owner, envelope.PipelineName, _services.NodeId) is { } notOwner)
        {
            Reject(new CommandRejected(pipelineId, action, notOwner.Code, notOwner.Reason));
            return;
        }

        if (JobActions.All.Contains(action))
        {
            RouteJob(envelope, new JobCommandRequest(pipelineId, command));
            return;
        }

        if (action == PipelineActions.Subscribe)
        {
            Subscribe(envelope, command);
            return;
        }

        // Every command goes through the placement advisor, in order: a new pipeline's requirements are registered before
        // sharding places it, and the commands sent right after its create wait for it.
        var request = new PipelineCommandRequest(pipelineId, command);
        if (action == PipelineActions.Create)
        {
            var spec = envelope.Payload is JsonObject json ? _services.Parser.Validate(json) : null;
            if (spec?.Spec is null)
            {
                Reject(new CommandRejected(pipelineId, action, RejectionCodes.InvalidSpec, spec?.ErrorText ?? $"PAYLOAD: {action} needs a JSON object"));
                return;
            }

            _targets.Placement.Forward(new PlacePipeline(pipelineId, spec.Spec.Placement, request, envelope.TimeMs));
            return;
        }

        _targets.Placement.Forward(new RouteCommand(request, envelope.Action, envelope.TimeMs));
    }

    private void Reject(CommandRejected rejected)
    {
        _metrics.CommandRejected(rejected.Code, "front-door");
        Sender.Tell(rejected);
    }

    /// <summary>A verified read: refused unless its signer may have the answer, else handed as a local-only query to its reader.</summary>
    private void Read(CommandEnvelope read)
    {
        try
        {
            if (!_targets.Reads.TryGetValue(read.Action, out var reader))
            {
                throw new CommandRejectedException(RejectionCodes.UnknownAction, $"this node does not answer {read.Action}");
            }

            if (ReadAccess.Refusal(read, _services.NodeId) is { } refusal)
            {
                throw refusal;
            }

            reader.Target.Forward(reader.Query(read));
        }
        catch (CommandRejectedException e)
        {
            Reject(new CommandRejected(read.PipelineId, read.Action, e.Code, e.Reason));
        }
    }

    /// <summary>Job commands: only the owner's, and a start only with a valid spec; the job checks again.</summary>
    private void RouteJob(CommandEnvelope envelope, JobCommandRequest request)
    {
        try
        {
            JobFrontDoor.RequireOwner(envelope);
            if (envelope.Action == JobActions.Start)
            {
                JobFrontDoor.ValidateStart(envelope, _services);
            }
        }
        catch (CommandRejectedException e)
        {
            Reject(new CommandRejected(envelope.PipelineId, envelope.Action, e.Code, e.Reason));
            return;
        }

        _targets.Jobs.Forward(request);
    }

    private void Subscribe(CommandEnvelope envelope, SignedCommand command)
    {
        try
        {
            if (!AccountAddress.Same(envelope.Signer, envelope.Owner))
            {
                throw new CommandRejectedException(RejectionCodes.NotOwner, $"only {envelope.Owner} may subscribe to its pipelines' payloads");
            }

            var after = envelope.Payload is JsonObject payload
                        && payload[SubscriptionCursors.AfterField] is JsonValue value && value.TryGetValue<long>(out var a)
                ? a
                : 0;
            Context.ActorOf(PayloadRelay.Props(envelope.PipelineId, command, Sender, after));
        }
        catch (CommandRejectedException e)
        {
            Reject(new CommandRejected("", PipelineActions.Subscribe, e.Code, e.Reason));
        }
    }
}

/// <summary>The actors the front door hands requests to.</summary>
/// <param name="Jobs">The distributed jobs' shard region.</param>
/// <param name="Reads">Who answers each signed read (<see cref="ReadActions"/>); one not listed is refused as <c>UNKNOWN_ACTION</c>.</param>
public sealed record NodeApiTargets(IActorRef NetworkView, IActorRef PipelineDirectory, IActorRef Placement, IActorRef Jobs,
    IReadOnlyDictionary<string, SignedReader> Reads);

using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Naeural.Actors.Api;
using Naeural.Actors.Commands;
using Naeural.Actors.Edge;
using Naeural.Actors.Jobs;
using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Client;

/// <summary>
/// The developer's handle on the network. Get one from a node's own actor system (<see cref="ForNode"/>, or
/// <c>system.Naeural()</c>), or connect from any process to any node's address (<see cref="Connect"/>). Commands are signed
/// with the developer's key (the pipelines' owner); each completes only when the node confirms it, and throws
/// <see cref="PipelineCommandException"/> with the node's reason when it refuses.
/// </summary>
public sealed class NaeuralClient : IAsyncDisposable
{
    private readonly ActorSelection _api;
    private readonly ICanTell? _edge;
    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly IMessageSigner? _signer;
    private readonly ClientOptions _options;
    private string? _nodeId;

    private NaeuralClient(string nodeRoot, ICanTell? edge, ActorSystem system, bool ownsSystem, IMessageSigner? signer, ClientOptions options)
    {
        _api = system.ActorSelection(nodeRoot + NodeApi.Path);
        _edge = ownsSystem ? _api : edge;
        _system = system;
        _ownsSystem = ownsSystem;
        _signer = signer;
        _options = options;
    }

    /// <summary>The developer's address: the owner of the pipelines this client deploys (null for a read-only client).</summary>
    public string? Owner => _signer?.Address;

    /// <summary>
    /// A client on a node's own actor system: commands, subscriptions and reads go to that node's front door; the other
    /// requests (ledger, billing, epochs, another node's answers) to the node's client edge, in-process, when it runs one.
    /// </summary>
    public static NaeuralClient ForNode(ActorSystem nodeSystem, IMessageSigner? developer = null, ClientOptions? options = null) =>
        new("", EdgeSystem.Of(nodeSystem), nodeSystem, false, developer, options ?? new ClientOptions());

    /// <summary>
    /// A client in this process that talks to a node's client edge at <paramref name="edgeAddress"/>
    /// (e.g. <c>akka.tcp://naeural-edge@127.0.0.1:4054</c>, or <c>akka.ssl.tcp://…</c> with <see cref="ClientOptions.Tls"/>)
    /// over Akka remoting; its serializer takes the client protocol only. Dispose it to stop its actor system.
    /// </summary>
    public static NaeuralClient Connect(string edgeAddress, IMessageSigner? developer = null, ClientOptions? options = null)
    {
        options ??= new ClientOptions();
        var address = Address.Parse(edgeAddress);
        var config = ConfigurationFactory.ParseString($$"""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp { hostname = "{{options.Hostname}}", port = 0 }
                akka.loglevel = {{options.LogLevel}}
                akka.remote.log-remote-lifecycle-events = off
                """)
            .WithFallback(SerializationConfig.For(KernelMessages.Client.Concat(options.ExtraMessageTypes), options.MaxMessageBytes));
        var setup = BootstrapSetup.Create().WithConfig(options.Tls is null ? config : RemotingTls.Hocon.WithFallback(config));
        var system = options.Tls is null
            ? ActorSystem.Create("naeural-client", setup)
            : ActorSystem.Create("naeural-client", setup.And(options.Tls.Setup()));
        return new NaeuralClient(address.ToString(), null, system, true, developer, options);
    }

    /// <summary>The actor system the client's own actors (subscriptions, payers) run in.</summary>
    public ActorSystem System => _system;

    /// <summary>How long a request waits for its answer.</summary>
    public TimeSpan RequestTimeout => _options.RequestTimeout;

    /// <summary>The network this client signs for (<see cref="ClientOptions.NetworkId"/>).</summary>
    public string NetworkId => _options.NetworkId;

    /// <summary>
    /// The client edge this client talks to: it takes any request of the client protocol (a ledger request, a billing or
    /// epoch query, a voucher) and hands it to the node-side actor that answers it. Typed calls (here and in Naeural.Ledger's
    /// extensions) go through it; no caller names a node's internal path.
    /// </summary>
    public ICanTell Edge => _edge ?? throw new InvalidOperationException("this node's actor system runs no client edge");

    /// <summary>The edge, for requests only the node <paramref name="nodeId"/> answers (its work meter, billing, channels): each goes as a <see cref="ToNode"/>.</summary>
    public ICanTell EdgeFor(string nodeId) => new NodeRoute(Edge, nodeId);

    /// <summary>Asks the edge <paramref name="request"/>, for the node this client talks to.</summary>
    public Task<TReply> RequestAsync<TReply>(object request, CancellationToken cancellationToken = default) =>
        Edge.Ask<TReply>(request, _options.RequestTimeout, cancellationToken);

    /// <summary>Asks the node <paramref name="nodeId"/> <paramref name="request"/> through the edge (<see cref="ToNode"/>).</summary>
    public Task<TReply> RequestAsync<TReply>(string nodeId, object request, CancellationToken cancellationToken = default) =>
        Edge.Ask<TReply>(new ToNode(nodeId, request), _options.RequestTimeout, cancellationToken);

    /// <summary>The network as the node sees it: every member and its resources.</summary>
    public Task<NetworkSnapshot> GetNodesAsync(CancellationToken cancellationToken = default) =>
        _api.Ask<NetworkSnapshot>(GetNodes.Instance, _options.RequestTimeout, cancellationToken);

    /// <summary>
    /// The pipelines of the network (a signed <see cref="ReadActions.Pipelines"/>): this client's own (default), or everyone's,
    /// which only the node's operator (its node key) may read.
    /// </summary>
    public async Task<IReadOnlyList<PipelineSummary>> GetPipelinesAsync(bool onlyMine = true, CancellationToken cancellationToken = default) =>
        (await ReadAsync<PipelineList>(ReadActions.Pipelines, onlyMine ? null : new JsonObject { [ReadActions.AllField] = true },
            cancellationToken: cancellationToken)).Pipelines;

    /// <summary>
    /// The developer's signed work receipts after <paramref name="afterSequence"/> (at most <paramref name="max"/>), from the node
    /// <paramref name="nodeId"/> (default: this client's node): each node bills the work it did.
    /// </summary>
    public Task<WorkReceipts> GetReceiptsAsync(long afterSequence = 0, int max = 100, string? nodeId = null, CancellationToken cancellationToken = default) =>
        ReadAsync<WorkReceipts>(ReadActions.Receipts, new JsonObject { [ReadActions.AfterField] = afterSequence, [ReadActions.MaxField] = max },
            nodeId: nodeId, cancellationToken: cancellationToken);

    /// <summary>What the node <paramref name="nodeId"/> (default: this client's) billed the developer in total.</summary>
    public Task<OwnerBilled> GetBilledAsync(string? nodeId = null, CancellationToken cancellationToken = default) =>
        ReadAsync<OwnerBilled>(ReadActions.Billed, nodeId: nodeId, cancellationToken: cancellationToken);

    /// <summary>
    /// Signs a read (<see cref="ReadActions"/>) of what belongs to <paramref name="owner"/> (default: this client's developer) and
    /// asks the front door of the node <paramref name="nodeId"/> (default: this client's node; another one through the edge,
    /// <see cref="ToNode"/>); a refusal throws <see cref="PipelineCommandException"/> with its code (<c>NOT_OWNER</c> for a
    /// stranger's).
    /// </summary>
    public async Task<T> ReadAsync<T>(string action, JsonNode? payload = null, string? owner = null, string? nodeId = null,
        CancellationToken cancellationToken = default)
    {
        var fields = payload?.DeepClone() as JsonObject ?? new JsonObject();
        fields[ReadActions.NodeField] = nodeId ?? await NodeIdAsync(cancellationToken);
        var read = SignedCommand.Create(action, "", fields, Signer, DateTimeOffset.UtcNow, owner, _options.NetworkId);
        var reply = nodeId is null
            ? await _api.Ask<object>(read, _options.RequestTimeout, cancellationToken)
            : await RequestAsync<object>(nodeId, read, cancellationToken);
        return reply switch
        {
            CommandRejected rejected => throw new PipelineCommandException(rejected.Code, rejected.Reason),
            T answer => answer,
            _ => throw new InvalidOperationException($"unexpected answer {reply.GetType().Name}"),
        };
    }

    /// <summary>The node id of the node this client talks to (asked once: its front door stamps it on the network view).</summary>
    public async Task<string> NodeIdAsync(CancellationToken cancellationToken = default) =>
        _nodeId ??= (await GetNodesAsync(cancellationToken)).Self
                    ?? throw new InvalidOperationException("the node did not say its node id");

    /// <summary>Deploys a pipeline from its JSON (the original's format); completes when it runs.</summary>
    public Task<CommandAccepted> DeployAsync(string specJson, CancellationToken cancellationToken = default) =>
        DeployAsync(SpecObject(specJson), cancellationToken);

    /// <summary>Deploys a pipeline; completes when it runs.</summary>
    public Task<CommandAccepted> DeployAsync(JsonObject spec, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.Create, NameOf(spec, PipelineSpec.NameKey), spec, cancellationToken);

    /// <summary><c>UPDATE_CONFIG</c>: merges <paramref name="partial"/> into the pipeline's spec.</summary>
    public Task<CommandAccepted> UpdateConfigAsync(string pipeline, JsonObject partial, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.UpdateConfig, pipeline, partial, cancellationToken);

    /// <summary>Adds an instance (<paramref name="instance"/> holds its <c>INSTANCE_ID</c> and config) of a plugin.</summary>
    public Task<CommandAccepted> AddInstanceAsync(string pipeline, string signature, JsonObject instance, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.AddInstance, pipeline, WithSignature(instance, signature), cancellationToken);

    /// <summary>Merges <paramref name="partial"/> into one instance's config.</summary>
    public Task<CommandAccepted> UpdateInstanceAsync(string pipeline, string signature, string instanceId, JsonObject partial, CancellationToken cancellationToken = default)
    {
        var payload = WithSignature(partial, signature);
        payload[PipelineSpec.InstanceIdKey] = instanceId;
        return SendAsync(PipelineActions.UpdateInstance, pipeline, payload, cancellationToken);
    }

    public Task<CommandAccepted> RemoveInstanceAsync(string pipeline, string signature, string instanceId, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.RemoveInstance, pipeline,
            new JsonObject { [PipelineSpec.SignatureKey] = signature, [PipelineSpec.InstanceIdKey] = instanceId }, cancellationToken);

    /// <summary>A <c>PIPELINE_COMMAND</c> for the pipeline's data source.</summary>
    public Task<CommandAccepted> SendPipelineCommandAsync(string pipeline, JsonNode? command, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.PipelineCommand, pipeline, command, cancellationToken);

    /// <summary>An <c>INSTANCE_COMMAND</c> for one plugin instance.</summary>
    public Task<CommandAccepted> SendInstanceCommandAsync(string pipeline, string signature, string instanceId, JsonNode? command, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.InstanceCommand, pipeline, new JsonObject
        {
            [PipelineSpec.SignatureKey] = signature,
            [PipelineSpec.InstanceIdKey] = instanceId,
            [InstanceEdit.CommandKey] = command?.DeepClone(),
        }, cancellationToken);

    public Task<CommandAccepted> StopAsync(string pipeline, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.Stop, pipeline, null, cancellationToken);

    public Task<CommandAccepted> StartAsync(string pipeline, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.Start, pipeline, null, cancellationToken);

    /// <summary><c>ARCHIVE_CONFIG</c>: stops the pipeline for good and removes it from the network's list.</summary>
    public Task<CommandAccepted> ArchiveAsync(string pipeline, CancellationToken cancellationToken = default) =>
        SendAsync(PipelineActions.Archive, pipeline, null, cancellationToken);

    /// <summary>
    /// <c>START_JOB</c>: starts a distributed job from its JSON (<c>NAME</c>, <c>WORKERS</c>, <c>PLUGIN</c>, <c>CONFIG</c>,
    /// <c>INPUT</c>); completes once the job is recorded and its shares sent. <see cref="WaitForJobAsync"/> waits for the result.
    /// </summary>
    public Task<CommandAccepted> StartJobAsync(string specJson, CancellationToken cancellationToken = default) =>
        StartJobAsync(SpecObject(specJson), cancellationToken);

    /// <inheritdoc cref="StartJobAsync(string, CancellationToken)"/>
    public Task<CommandAccepted> StartJobAsync(JsonObject spec, CancellationToken cancellationToken = default) =>
        SendAsync(JobActions.Start, NameOf(spec, JobSpec.NameKey), spec, cancellationToken);

    /// <summary><c>GET_JOB</c>: a job's status (its result once completed); <paramref name="owner"/> defaults to this client's developer.</summary>
    public async Task<JobStatus> GetJobAsync(string name, string? owner = null, CancellationToken cancellationToken = default)
    {
        var command = SignedCommand.Create(JobActions.Get, name, null, Signer, DateTimeOffset.UtcNow, owner, _options.NetworkId);
        var reply = await _api.Ask<object>(command, _options.RequestTimeout, cancellationToken);
        return reply switch
        {
            JobStatus status => status,
            CommandRejected rejected => throw new PipelineCommandException(rejected.Code, rejected.Reason),
            _ => throw new InvalidOperationException($"unexpected answer {reply.GetType().Name}"),
        };
    }

    /// <summary>Asks for a job's status every <paramref name="poll"/> (default 250 ms) until it completes or fails.</summary>
    public async Task<JobStatus> WaitForJobAsync(string name, TimeSpan timeout, TimeSpan? poll = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var status = await GetJobAsync(name, cancellationToken: deadline.Token);
            if (status.State is JobState.Completed or JobState.Failed)
            {
                return status;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }

    /// <summary>Signs and sends a command, completing when the node confirms it.</summary>
    public Task<CommandAccepted> SendAsync(string action, string pipeline, JsonNode? payload, CancellationToken cancellationToken = default) =>
        SendAsync(SignedCommand.Create(action, pipeline, payload, Signer, DateTimeOffset.UtcNow, network: _options.NetworkId), cancellationToken);

    /// <summary>Sends an already signed command as-is (another tool signed it, or a test replays one).</summary>
    public async Task<CommandAccepted> SendAsync(SignedCommand command, CancellationToken cancellationToken = default)
    {
        // Over the transport's cap the serializer would refuse it on the way out and no answer would come: say so now.
        if (_ownsSystem && command.Json is { } json && global::System.Text.Encoding.UTF8.GetMaxByteCount(json.Length) > _options.MaxMessageBytes
            && global::System.Text.Encoding.UTF8.GetByteCount(json) > _options.MaxMessageBytes - 1024)
        {
            throw new PipelineCommandException(RejectionCodes.TooLarge,
                $"command is over the {_options.MaxMessageBytes}-byte message limit of the connection: not sent");
        }

        var reply = await _api.Ask<object>(command, _options.RequestTimeout, cancellationToken);
        return reply switch
        {
            CommandAccepted accepted => accepted,
            CommandRejected rejected => throw new PipelineCommandException(rejected.Code, rejected.Reason),
            _ => throw new InvalidOperationException($"unexpected answer {reply.GetType().Name}"),
        };
    }

    /// <summary>
    /// Receives the pipeline's payloads, each once and in order, starting after <paramref name="afterSequence"/> (what a
    /// previous subscription had delivered: everything since then that is not yet acknowledged is sent first).
    /// Callbacks run one at a time on the subscription's actor. Every payload is verified first (signed by the node its path
    /// names and the relay vouched for, for this pipeline and sequence number; <see cref="ClientOptions.Verifier"/>, else the
    /// registered secp256k1 verifier); one that is not is reported as <c>PAYLOAD_REJECTED</c> and never delivered.
    /// </summary>
    public async Task<PayloadSubscription> SubscribeAsync(string pipeline, Action<ReceivedPayload> onPayload, long afterSequence = 0,
        Action<PipelineNotification>? onNotification = null, CancellationToken cancellationToken = default)
    {
        _ = SignatureVerifiers.Resolve(_options.Verifier); // no verifier, no subscription: say so here rather than in the actor
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = _system.ActorOf(PayloadSubscriber.Props(pipeline, _api, Signer, _options, afterSequence, onPayload, onNotification, started));
        try
        {
            await started.Task.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        catch
        {
            _system.Stop(subscriber);
            throw;
        }

        return new PayloadSubscription(subscriber);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsSystem)
        {
            await _system.Terminate();
        }
    }

    private IMessageSigner Signer => _signer ?? throw new InvalidOperationException("this client has no developer key: pass one to ForNode/Connect to send commands");

    private static JsonObject WithSignature(JsonObject json, string signature)
    {
        var copy = (JsonObject)json.DeepClone();
        copy[PipelineSpec.SignatureKey] = signature;
        return copy;
    }

    /// <summary>A spec's JSON text as an object, or the <c>INVALID_SPEC</c> the node would answer, without asking it.</summary>
    private static JsonObject SpecObject(string specJson)
    {
        try
        {
            return JsonNode.Parse(specJson) as JsonObject ?? throw new PipelineCommandException(RejectionCodes.InvalidSpec, "$: must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new PipelineCommandException(RejectionCodes.InvalidSpec, $"$: is not valid JSON: {e.Message}");
        }
    }

    private static string NameOf(JsonObject spec, string key) =>
        spec[key] is JsonValue v && v.TryGetValue<string>(out var name)
            ? name
            : throw new PipelineCommandException(RejectionCodes.InvalidSpec, $"{key}: is required");
}

/// <summary>A live payload subscription; dispose to end it (what was delivered is acknowledged first).</summary>
public sealed class PayloadSubscription(IActorRef subscriber) : IAsyncDisposable
{
    public Task<SubscriptionState> GetStateAsync() => subscriber.Ask<SubscriptionState>(GetSubscriptionState.Instance, TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync() => await subscriber.GracefulStop(TimeSpan.FromSeconds(10));
}

/// <summary>Sends what it is told to the edge as a request for one node (<see cref="ToNode"/>), the reply going to the sender.</summary>
internal sealed class NodeRoute(ICanTell edge, string nodeId) : ICanTell
{
    public void Tell(object message, IActorRef sender) => edge.Tell(new ToNode(nodeId, message), sender);
}

/// <summary>Gets a <see cref="NaeuralClient"/> from a node's actor system.</summary>
public static class NaeuralClientExtensions
{
    public static NaeuralClient Naeural(this ActorSystem nodeSystem, IMessageSigner? developer = null, ClientOptions? options = null) =>
        NaeuralClient.ForNode(nodeSystem, developer, options);
}

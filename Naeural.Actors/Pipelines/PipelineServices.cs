using Naeural.Actors.Capture;
using Naeural.Actors.Jobs;
using Naeural.Actors.Payloads;
using Naeural.Actors.Plugins;
using Naeural.Actors.Security;

namespace Naeural.Actors.Pipelines;

/// <summary>What the pipeline, plugin-instance and outbox entities of a node need from it: built once by the Host.</summary>
public sealed record PipelineServices(
    string NodeId,
    IMessageSigner NodeSigner,
    ISignatureVerifier Verifier,
    SourceCatalogue Sources,
    PluginCatalogue Plugins,
    PipelineSettings Settings,
    TimeProvider Time,
    IReadOnlySet<string> AllowedOwners)
{
    /// <summary>
    /// Secured mode (the original's <c>EE_SECURED</c>): only the owners on <see cref="AllowedOwners"/> and this node's
    /// operator may command it, even when the list is empty. Unsecured, an empty list admits everyone.
    /// </summary>
    public bool Secured { get; init; }

    /// <summary>Seals payloads for their owner (pipelines with <c>ENCRYPT_PAYLOADS</c>); none: such pipelines are refused here.</summary>
    public IPayloadCipher? PayloadCipher { get; init; }

    /// <summary>True when this node runs work for <paramref name="owner"/>, commanded by <paramref name="signer"/> when known (see <see cref="AccessRule"/>).</summary>
    public bool Allows(string owner, string? signer = null) => AccessRule.Admits(Secured, AllowedOwners, NodeId, owner, signer);

    /// <summary>The <c>NOT_ALLOWED</c> reason for <paramref name="owner"/>, naming this node's mode.</summary>
    public string NotAllowedReason(string owner) => AccessRule.Refusal(Secured, NodeId, owner);

    /// <summary>
    /// True where members keep their own stores: a pipeline shares its accepted commands and its outbox its payloads with the
    /// pipeline's replicas (<see cref="Replication.PipelineReplica"/>), and both gather from them when they recover.
    /// </summary>
    public bool Replicated { get; init; }

    /// <summary>
    /// This node's placement picture (shared with its advisor and allocation strategies): a pipeline entity reads this node's
    /// own heartbeat on it to refuse a create that does not fit here (<see cref="Placement.PlacementBoard.MisfitOf"/>).
    /// </summary>
    public Placement.PlacementBoard Board { get; init; } = new();

    /// <summary>The models this node serves, their shapes and labels (<see cref="Plugins.PluginContext.ModelOf"/>).</summary>
    public Inference.ServedModels Models { get; init; } = Inference.ServedModels.None;

    /// <summary>The job plugins this node runs for distributed jobs (<c>START_JOB</c>).</summary>
    public JobCatalogue Jobs { get; init; } = JobCatalogue.BuiltIn;

    /// <summary>Parses and validates specs a developer sends.</summary>
    public PipelineSpecParser Parser { get; } = new(Sources, Plugins);

    /// <summary>Reads specs this node already accepted (from the journal): shape and catalogue only, no node-local checks.</summary>
    public PipelineSpecParser TrustedParser { get; } = new(Sources, Plugins, validateConfigs: false);
}

using Akka.Actor;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Replication;

/// <summary>What the embedded ledger's replicated journal needs from its node: the key that signs its writes, its log, the network.</summary>
public sealed record LedgerReplicationSettings(IMessageSigner Writer, ISignatureVerifier Verifier, string Network, ReplicaLog Log)
{
    /// <summary>How long a write waits for a majority of the members before it fails (the ledger then refuses the request).</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a new host tries to gather a majority's logs before its recovery fails (and is retried after a back-off).</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one replica is given to answer one message.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Entries per message when a replica is brought up to date or a log is read.</summary>
    public int ChunkSize { get; init; } = 256;

    /// <summary>
    /// Which persistence ids a majority of the members must hold (all by default). The others stay in this node's log only,
    /// for state that lives and dies with this node (a shard's remembered entities, kept by the region that runs them).
    /// </summary>
    public Func<string, bool> Replicates { get; init; } = _ => true;

    public ReplicaSigning Signing => new(Network, Verifier);
}

/// <summary>
/// The node's replication settings, given by the Host before the ledger starts, for the journal plugin that Akka.Persistence
/// creates by configuration (<see cref="ReplicatedJournal"/>) and the node's <see cref="LedgerReplica"/>.
/// </summary>
public sealed class LedgerReplication : IExtension
{
    private LedgerReplicationSettings? _settings;

    /// <summary>The journal plugin's configuration path (the ledger's persistent actors name it as their journal).</summary>
    public const string JournalPluginId = "akka.persistence.journal.ledger-replicated";

    /// <summary>Snapshots are not replicated: the ledger's actors keep none where the journal is replicated.</summary>
    public const string SnapshotPluginId = "akka.persistence.no-snapshot-store";

    public static LedgerReplication Get(ActorSystem system) => system.WithExtension<LedgerReplication, LedgerReplicationProvider>();

    public LedgerReplicationSettings Settings =>
        _settings ?? throw new InvalidOperationException("the ledger's replicated journal is used, but the node did not configure LedgerReplication");

    public void Configure(LedgerReplicationSettings settings) => _settings = settings;

    /// <summary>The journal plugin's HOCON.</summary>
    public static string Hocon => $$"""
        {{JournalPluginId}} {
          class = "{{typeof(ReplicatedJournal).AssemblyQualifiedName}}"
          plugin-dispatcher = "akka.actor.default-dispatcher"
          circuit-breaker {
            max-failures = 1000
            call-timeout = 60s
            reset-timeout = 5s
          }
        }
        """;
}

public sealed class LedgerReplicationProvider : ExtensionIdProvider<LedgerReplication>
{
    public override LedgerReplication CreateExtension(ExtendedActorSystem system) => new();
}

using Naeural.Host.Hosting;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>
/// What of the replicated journal a majority must hold: the oldest member's singletons (ledger, gate, any sharding
/// coordinator on it), not a shard's remembered entities, which the region running the shard writes and reads alone
/// (replicas take writes only from the oldest member: a region elsewhere could not write them at all).
/// </summary>
public sealed class ReplicatedJournalPolicyTests
{
    [Theory]
    [InlineData("embedded-ledger", true)]
    [InlineData("ledger-gate", true)]
    [InlineData("/system/sharding/pipelineCoordinator/singleton/coordinator", true)]
    [InlineData("/system/sharding/pipeline-default-placement-journalCoordinator/singleton/coordinator", true)]
    [InlineData("/sharding/pipelineShard/0xabc/demo", false)]
    [InlineData("/sharding/pipeline-default-placement-journalShard/0xabc/demo", false)]
    public void Only_what_the_oldest_members_singletons_write_is_replicated(string persistenceId, bool replicated) =>
        Assert.Equal(replicated, NaeuralAkkaSetup.ReplicatedPersistenceId(persistenceId));
}

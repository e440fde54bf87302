using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>Node licences: the licence authority grants and revokes them; nodes read the set to admit members.</summary>
public abstract partial class SettlementBackendContract
{
    /// <summary>
    /// The backend as <paramref name="stranger"/> (not the licence authority) uses it, for the authority-only operations; null
    /// when the backend has no notion of who acts (the in-process embedded ledger, which trusts its own process).
    /// </summary>
    protected virtual Task<ISettlementBackend?> StrangerAsync(NodeKey stranger) => Task.FromResult<ISettlementBackend?>(null);

    [Fact]
    public async Task The_licence_authority_grants_and_revokes_node_licences_and_the_licence_set_follows()
    {
        var (first, second) = (NodeKey.Generate().Address, NodeKey.Generate().Address);
        Assert.Empty(await Backend.GetLicencesAsync());

        await Backend.GrantLicenceAsync(first);
        await Backend.GrantLicenceAsync(second);
        await Assert.ThrowsAsync<SettlementException>(() => Backend.GrantLicenceAsync(first));
        Assert.Equal(new[] { first, second }.Order(StringComparer.OrdinalIgnoreCase),
            (await Backend.GetLicencesAsync()).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        await Backend.RevokeLicenceAsync(first);
        await Assert.ThrowsAsync<SettlementException>(() => Backend.RevokeLicenceAsync(first));
        Assert.Equal([second], await Backend.GetLicencesAsync(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Nobody_but_the_licence_authority_grants_or_revokes_a_licence()
    {
        var stranger = NodeKey.Generate();
        var licensed = NodeKey.Generate().Address;
        await Backend.GrantLicenceAsync(licensed);
        if (await StrangerAsync(stranger) is not { } asStranger)
        {
            return; // the in-process ledger has no parties: its gate (GatedEmbeddedSettlementTests) is where signers are checked
        }

        await Assert.ThrowsAsync<SettlementException>(() => asStranger.GrantLicenceAsync(stranger.Address));
        await Assert.ThrowsAsync<SettlementException>(() => asStranger.RevokeLicenceAsync(licensed));
        Assert.Equal([licensed], await Backend.GetLicencesAsync(), StringComparer.OrdinalIgnoreCase);
    }
}

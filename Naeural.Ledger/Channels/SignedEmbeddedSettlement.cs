using Akka.Actor;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded ledger as one party uses it from anywhere in the network: every change is signed with the party's key and
/// sent to the <see cref="LedgerGate"/> (through a node's ledger proxy); queries are sent as they are. Acting for anyone but
/// <paramref name="party"/> fails before anything is sent. Requests are signed for <paramref name="network"/>, whose embedded
/// ledger's voucher domain is <see cref="VoucherDomain.ForNetwork"/>.
/// </summary>
public sealed class SignedEmbeddedSettlement(ICanTell gate, IMessageSigner party, string network = NetworkIds.Default, TimeProvider? time = null)
    : EmbeddedSettlement(gate, VoucherDomain.ForNetwork(network))
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Whose key signs the requests.</summary>
    public string Party => party.Address;

    protected override object Envelope(ILedgerRequest request)
    {
        try
        {
            return LedgerRequests.Sign(request, party, _time.GetUtcNow(), network);
        }
        catch (ArgumentException e)
        {
            throw new SettlementException(e.Message);
        }
    }
}

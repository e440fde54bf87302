using Akka.Actor;
using Naeural.Ledger.Channels;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

public sealed class EmbeddedSettlementTests : SettlementBackendContract
{
    private readonly IActorRef _ledger;

    public EmbeddedSettlementTests()
        : base("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"\nakka.loglevel = WARNING")
    {
        _ledger = Sys.ActorOf(EmbeddedLedgerActor.Props("ledger-under-test", new VoucherSigning(VoucherDomain.Embedded)));
        Backend = new EmbeddedSettlement(_ledger, Clock);
    }

    protected override ISettlementBackend Backend { get; }

    [Fact]
    public async Task The_ledger_recovers_its_balances_and_channels_from_its_journal()
    {
        await Backend.MintAsync("0x000000000000000000000000000000000000bEEF", 42);
        await _ledger.GracefulStop(TimeSpan.FromSeconds(5));

        var recovered = new EmbeddedSettlement(Sys.ActorOf(EmbeddedLedgerActor.Props("ledger-under-test", new VoucherSigning(VoucherDomain.Embedded))), Clock);

        Assert.Equal(42, await recovered.BalanceOfAsync("0x000000000000000000000000000000000000BEEF"));
    }
}

using Akka.Actor;
using Naeural.Ledger.Channels;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

public sealed class EmbeddedSettlementTests : SettlementBackendContract
{
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20_000));
    private IActorRef _ledger = ActorRefs.Nobody;

    public EmbeddedSettlementTests()
        : base("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"\nakka.loglevel = WARNING")
    {
    }

    protected override Task<ISettlementBackend> CreateBackendAsync(params Naeural.Ledger.Identity.NodeKey[] parties)
    {
        _ledger = Sys.ActorOf(EmbeddedLedgerActor.Props("ledger-under-test", new VoucherSigning(VoucherDomain.Embedded), _clock));
        return Task.FromResult<ISettlementBackend>(new EmbeddedSettlement(_ledger));
    }

    protected override Task AdvanceAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_ledger_recovers_its_balances_and_channels_from_its_journal()
    {
        await Backend.MintAsync("0x000000000000000000000000000000000000bEEF", 42);
        await _ledger.GracefulStop(TimeSpan.FromSeconds(5));

        var recovered = new EmbeddedSettlement(Sys.ActorOf(EmbeddedLedgerActor.Props("ledger-under-test", new VoucherSigning(VoucherDomain.Embedded), _clock)));

        Assert.Equal(42, await recovered.BalanceOfAsync("0x000000000000000000000000000000000000BEEF"));
    }
}

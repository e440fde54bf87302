using System.Numerics;
using Akka.Actor;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

public sealed class LedgerGateTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20_000));
    private readonly NodeKey _authority = NodeKey.Generate();
    private readonly NodeKey _payer = NodeKey.Generate();
    private readonly NodeKey _payee = NodeKey.Generate();
    private readonly string _channel = "0x" + new string('7', 64);
    private IActorRef _gate;

    public LedgerGateTests()
        : base("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"\nakka.loglevel = WARNING") => _gate = StartGate();

    [Fact]
    public async Task An_unsigned_request_is_refused_with_a_reason_and_changes_nothing()
    {
        await MintToPayerAsync(1_000);

        var refused = await _gate.Ask<LedgerRefused>(new OpenChannel(_payer.Address, Terms(500), TimeSpan.FromDays(1)), Bound);

        Assert.StartsWith(LedgerRequests.Unsigned, refused.Reason);
        Assert.Contains(nameof(SignedLedgerRequest), refused.Reason);
        Assert.Null((await _gate.Ask<LedgerChannel>(new GetLedgerChannel(_channel), Bound)).Channel);
    }

    [Fact]
    public async Task A_mint_signed_for_another_network_is_refused_as_WRONG_NETWORK_and_mints_nothing()
    {
        var testnetMint = LedgerRequests.Sign(new MintTokens(_payer.Address, 1_000_000), _authority, _clock.GetUtcNow(), network: "naeural-testnet");

        var refused = await _gate.Ask<LedgerRefused>(testnetMint, Bound);

        Assert.StartsWith(LedgerRequests.WrongNetwork, refused.Reason);
        Assert.Contains("'naeural-testnet'", refused.Reason);
        Assert.Equal(0, (int)(await _gate.Ask<LedgerBalance>(new GetLedgerBalance(_payer.Address), Bound)).Balance);
    }

    [Fact]
    public async Task A_request_refused_as_not_authorised_is_not_looked_at_again_when_replayed()
    {
        var mint = LedgerRequests.Sign(new MintTokens(_payer.Address, 1_000), _payer, _clock.GetUtcNow());

        Assert.StartsWith(LedgerRequests.NotAuthorised, (await _gate.Ask<LedgerRefused>(mint, Bound)).Reason);
        Assert.StartsWith(LedgerRequests.Replayed, (await _gate.Ask<LedgerRefused>(mint, Bound)).Reason);
    }

    [Fact]
    public async Task A_request_altered_after_signing_is_refused_as_a_bad_signature()
    {
        await MintToPayerAsync(1_000);
        var signed = LedgerRequests.Sign(new OpenChannel(_payer.Address, Terms(500), TimeSpan.FromDays(1)), _payer, _clock.GetUtcNow());

        var forged = signed with { Json = signed.Json.Replace("\"DEPOSIT\":\"500\"", "\"DEPOSIT\":\"900\"") };
        var refused = await _gate.Ask<LedgerRefused>(forged, Bound);

        Assert.StartsWith(LedgerRequests.BadSignature, refused.Reason);
        Assert.Equal(1_000, (int)(await _gate.Ask<LedgerBalance>(new GetLedgerBalance(_payer.Address), Bound)).Balance);
    }

    [Fact]
    public async Task Another_key_can_neither_open_with_the_payers_funds_nor_reclaim_its_channel()
    {
        await MintToPayerAsync(1_000);
        var thief = NodeKey.Generate();

        var open = LedgerRequests.Sign(new OpenChannel(thief.Address, Terms(500), TimeSpan.FromDays(1)), thief, _clock.GetUtcNow());
        Assert.Contains("only the payer opens", (await _gate.Ask<LedgerRefused>(open, Bound)).Reason);

        await new SignedEmbeddedSettlement(_gate, _payer, time: _clock).OpenChannelAsync(_payer.Address, Terms(500), TimeSpan.FromDays(1));
        _clock.Advance(TimeSpan.FromDays(2));
        var reclaim = LedgerRequests.Sign(new ReclaimDeposit(thief.Address, _channel), thief, _clock.GetUtcNow());
        Assert.Contains("only the payer reclaims", (await _gate.Ask<LedgerRefused>(reclaim, Bound)).Reason);
        Assert.Throws<ArgumentException>(() => LedgerRequests.Sign(new ReclaimDeposit(_payer.Address, _channel), thief, _clock.GetUtcNow()));
        Assert.Equal(0, (int)(await _gate.Ask<LedgerBalance>(new GetLedgerBalance(thief.Address), Bound)).Balance);
    }

    [Fact]
    public async Task A_replayed_request_is_refused_even_after_the_gate_restarts()
    {
        await MintToPayerAsync(1_000);
        var open = LedgerRequests.Sign(new OpenChannel(_payer.Address, Terms(500), TimeSpan.FromDays(1)), _payer, _clock.GetUtcNow());
        Assert.IsType<LedgerDone>(await _gate.Ask<object>(open, Bound));
        Assert.StartsWith(LedgerRequests.Replayed, (await _gate.Ask<LedgerRefused>(open, Bound)).Reason);

        await _gate.GracefulStop(Bound);
        _gate = StartGate();

        Assert.StartsWith(LedgerRequests.Replayed, (await _gate.Ask<LedgerRefused>(open, Bound)).Reason);
        Assert.Equal(500, (int)(await _gate.Ask<LedgerBalance>(new GetLedgerBalance(_payer.Address), Bound)).Balance);
    }

    [Fact]
    public async Task A_stale_request_and_a_mint_by_anyone_but_an_authority_are_refused()
    {
        var old = LedgerRequests.Sign(new MintTokens(_payer.Address, 10), _authority, _clock.GetUtcNow() - TimeSpan.FromMinutes(6));
        var unauthorised = LedgerRequests.Sign(new MintTokens(_payer.Address, 10), _payer, _clock.GetUtcNow());

        Assert.StartsWith(LedgerRequests.Stale, (await _gate.Ask<LedgerRefused>(old, Bound)).Reason);
        Assert.StartsWith(LedgerRequests.NotAuthorised, (await _gate.Ask<LedgerRefused>(unauthorised, Bound)).Reason);
        Assert.Equal(0, (int)(await _gate.Ask<LedgerBalance>(new GetLedgerBalance(_payer.Address), Bound)).Balance);
    }

    [Fact]
    public void Unsigned_ledger_requests_never_leave_their_process_but_signed_ones_do()
    {
        using var system = ActorSystem.Create("allow-list", Naeural.Actors.Serialization.SerializationConfig.For(LedgerMessages.Types));
        var signed = LedgerRequests.Sign(new ReclaimDeposit(_payer.Address, _channel), _payer, _clock.GetUtcNow());
        var raw = new ReclaimDeposit(_payer.Address, _channel);

        var serializer = system.Serialization.FindSerializerFor(signed);
        Assert.Equal(signed, system.Serialization.Deserialize(serializer.ToBinary(signed), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, signed)));
        Assert.ThrowsAny<Exception>(() => system.Serialization.FindSerializerFor(raw).ToBinary(raw));
    }

    private IActorRef StartGate() =>
        Sys.ActorOf(LedgerGate.Props(new LedgerGateSettings { MintAuthorities = new HashSet<string> { _authority.Address } },
            new VoucherSigning(VoucherDomain.Embedded), new Secp256k1Verifier(), _clock));

    private ChannelTerms Terms(BigInteger deposit) => new(_channel, _payer.Address, _payee.Address, deposit);

    private Task MintToPayerAsync(BigInteger amount) => new SignedEmbeddedSettlement(_gate, _authority, time: _clock).MintAsync(_payer.Address, amount);
}

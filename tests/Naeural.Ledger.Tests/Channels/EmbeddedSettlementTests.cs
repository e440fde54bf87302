using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
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

    protected override Task<ISettlementBackend> CreateBackendAsync(params NodeKey[] parties)
    {
        _ledger = Sys.ActorOf(EmbeddedLedgerActor.Props("ledger-under-test", new VoucherSigning(VoucherDomain.Embedded), _clock));
        return Task.FromResult<ISettlementBackend>(new EmbeddedSettlement(_ledger));
    }

    protected override TimeProvider Clock => _clock;

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

    [Fact]
    public async Task The_ledger_recovers_its_observers_pools_and_reward_claims_from_its_journal()
    {
        var observers = Enumerable.Range(0, 3).Select(_ => NodeKey.Generate()).ToArray();
        var node = NodeKey.Generate();
        var result = new EpochResult(5, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(node.Address.ToLowerInvariant(), (byte)200)]));
        var signatures = observers.Take(2).Select(result.Sign).ToList();
        await Backend.SetObserversAsync([.. observers.Select(o => o.Address)], 2);
        await Backend.FundEpochAsync(5, 500);
        await Backend.ClaimRewardAsync(node.Address, result, signatures);
        await _ledger.GracefulStop(TimeSpan.FromSeconds(5));

        var recovered = new EmbeddedSettlement(Sys.ActorOf(EmbeddedLedgerActor.Props("ledger-under-test", new VoucherSigning(VoucherDomain.Embedded), _clock)));

        Assert.Equal(new EpochRewardRecord(5, 500, node.Address, 500), await recovered.GetEpochRewardAsync(5, node.Address));
        Assert.Equal(500, await recovered.BalanceOfAsync(node.Address));
        Assert.Equal(observers.Select(o => o.Address), (await recovered.GetObserversAsync()).Observers);
        await Assert.ThrowsAsync<SettlementException>(() => recovered.ClaimRewardAsync(node.Address, result, signatures));
    }

    [Fact]
    public void Every_reward_message_round_trips_through_the_allow_list_serializer()
    {
        using var system = ActorSystem.Create("allow-list", Naeural.Actors.Serialization.SerializationConfig.For(LedgerMessages.Types));
        var observer = NodeKey.Generate();
        var result = new EpochResult(3, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create(observer.Address.ToLowerInvariant(), (byte)255), KeyValuePair.Create("0x00000000000000000000000000000000000000aa", (byte)7)]));
        var registry = new ObserverRegistry([observer.Address], 1);
        object[] messages =
        [
            new RewardObserversSet([observer.Address], 1), new EpochRewardsFunded(3, 1_000),
            new EpochRewardClaimed(observer.Address, result, [result.Sign(observer)]),
            GetLedgerObservers.Instance, new LedgerObservers(registry), new GetLedgerEpochReward(3, observer.Address),
            new LedgerEpochReward(new EpochRewardRecord(3, 1_000, observer.Address, 12)),
        ];
        // The raw requests never leave their process: the gate hands them to the ledger after checking the signature.
        object[] localOnly =
        [
            new SetRewardObservers([observer.Address], 1), new FundEpochRewards(3, 1_000),
            new ClaimEpochReward(observer.Address, result, [result.Sign(observer)]),
        ];
        Assert.All(localOnly, message => Assert.Throws<System.Runtime.Serialization.SerializationException>(
            () => system.Serialization.FindSerializerFor(message).ToBinary(message)));

        var back = messages.Select(message =>
        {
            var serializer = system.Serialization.FindSerializerFor(message);
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
            return system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
        }).ToList();

        Assert.All(messages.Zip(back), pair => Assert.Equivalent(pair.Item1, pair.Item2, strict: true));
        Assert.Equal(messages.Select(m => m.GetType()), back.Select(m => m.GetType()));
        var claim = (EpochRewardClaimed)back[2]; // a replayed claim still verifies: same digest after the round trip
        Assert.Equal(observer.Address, new EpochResultSigning(VoucherDomain.Embedded).RecoverSigner(claim.Result, claim.Signatures[0]));
    }
}

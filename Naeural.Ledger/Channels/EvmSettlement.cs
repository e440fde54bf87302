using System.Numerics;
using System.Text.Json.Nodes;
using Naeural.Ledger.Epochs;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>The compiled settlement contract (<c>chain/NaeuralLedger.json</c>, made by <c>node chain/compile.js</c>).</summary>
public sealed record ContractArtifact(string Abi, string Bytecode)
{
    /// <summary>The artifact built into this assembly (<c>chain/NaeuralLedger.json</c>, committed; a test checks it matches a fresh compile).</summary>
    public static ContractArtifact Embedded { get; } = Parse(ReadEmbedded());

    public static ContractArtifact Load(string path) => Parse(File.ReadAllText(path));

    private static ContractArtifact Parse(string text)
    {
        var json = JsonNode.Parse(text)!;
        return new ContractArtifact(json["abi"]!.ToJsonString(), json["bytecode"]!.GetValue<string>());
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream("Naeural.Ledger.NaeuralLedger.json")
                           ?? throw new InvalidOperationException("the NaeuralLedger contract artifact is not embedded in Naeural.Ledger");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// The EVM backend: the <c>NaeuralLedger</c> Solidity contract, called through Nethereum on an Ethereum JSON-RPC endpoint
/// (a local ganache/hardhat devnet in the tests). Each operation is sent from the account of the party that acts (owner,
/// payer, payee, claiming node), signed locally; a revert becomes a <see cref="SettlementException"/> carrying the contract's
/// reason. A node attaches to the network's deployed contract with its own key (it settles its channels and claims its rewards);
/// only the contract's owner mints, registers observers and funds epochs.
/// </summary>
public sealed class EvmSettlement : ISettlementBackend
{
    private readonly string _url;
    private readonly ContractArtifact _artifact;
    private readonly Account? _owner;
    private readonly Func<string, Account?> _accounts;

    private EvmSettlement(string url, ContractArtifact artifact, Account? owner, Func<string, Account?> accounts, VoucherDomain domain)
    {
        _url = url;
        _artifact = artifact;
        _owner = owner;
        _accounts = accounts;
        Domain = domain;
    }

    public VoucherDomain Domain { get; }

    public string ContractAddress => Domain.VerifyingContract;

    /// <summary>Deploys a fresh contract from <paramref name="owner"/> and returns a backend on it.</summary>
    public static async Task<EvmSettlement> DeployAsync(string url, ContractArtifact artifact, Account owner, Func<string, Account?> accounts)
    {
        var web3 = new Web3(owner, url);
        var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(artifact.Abi, artifact.Bytecode, owner.Address,
            new Nethereum.Hex.HexTypes.HexBigInteger(4_000_000));
        var chainId = await web3.Eth.ChainId.SendRequestAsync();
        return new EvmSettlement(url, artifact, owner, accounts, new VoucherDomain(chainId.Value, AddressUtil.Current.ConvertToChecksumAddress(receipt.ContractAddress)));
    }

    /// <summary>
    /// The ledger at <paramref name="existing"/> when a NaeuralLedger owned by <paramref name="owner"/> is already there (a
    /// deployment script run again), else a freshly deployed one; <c>Deployed</c> says which. Code of someone else's there is refused.
    /// </summary>
    public static async Task<(EvmSettlement Ledger, bool Deployed)> DeployUnlessPresentAsync(string url, ContractArtifact artifact, Account owner,
        string existing, Func<string, Account?> accounts)
    {
        var web3 = new Web3(url);
        var code = await web3.Eth.GetCode.SendRequestAsync(existing);
        if (code is null or "0x" or "0x0")
        {
            return (await DeployAsync(url, artifact, owner, accounts), true);
        }

        string ownerThere;
        try
        {
            ownerThere = await web3.Eth.GetContract(artifact.Abi, existing).GetFunction("owner").CallAsync<string>();
        }
        catch (Exception e) when (e is not (HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or OperationCanceledException))
        {
            throw new SettlementException($"the contract at {existing} is not a NaeuralLedger ({e.Message})");
        }

        if (!AccountAddress.Same(ownerThere, owner.Address))
        {
            throw new SettlementException($"the NaeuralLedger at {existing} is owned by {ownerThere}, not by {owner.Address}");
        }

        return (await AttachAsync(url, artifact, existing, accounts, owner), false);
    }

    /// <summary>
    /// A backend on the contract already deployed at <paramref name="contractAddress"/>: parties sign with the accounts
    /// <paramref name="accounts"/> gives, owner operations with <paramref name="owner"/> (the contract refuses them from anyone else).
    /// </summary>
    public static async Task<EvmSettlement> AttachAsync(string url, ContractArtifact artifact, string contractAddress, Func<string, Account?> accounts,
        Account? owner = null)
    {
        var web3 = new Web3(url);
        var chainId = await web3.Eth.ChainId.SendRequestAsync();
        var code = await web3.Eth.GetCode.SendRequestAsync(contractAddress);
        if (code is null or "0x" or "0x0")
        {
            throw new SettlementException($"no contract at {contractAddress} on {url} (chain {chainId.Value})");
        }

        return new EvmSettlement(url, artifact, owner, accounts, new VoucherDomain(chainId.Value, AddressUtil.Current.ConvertToChecksumAddress(contractAddress)));
    }

    /// <summary>
    /// A backend on the contract at <paramref name="contractAddress"/> of chain <paramref name="chainId"/>, without asking the
    /// chain anything (a node attaches at start, whether or not the chain is up yet; operations fail until it is).
    /// </summary>
    public static EvmSettlement Attach(string url, ContractArtifact artifact, string contractAddress, BigInteger chainId,
        Func<string, Account?> accounts, Account? owner = null) =>
        new(url, artifact, owner, accounts, new VoucherDomain(chainId, AddressUtil.Current.ConvertToChecksumAddress(contractAddress)));

    /// <summary>The id the chain at <paramref name="url"/> says it has (<c>eth_chainId</c>).</summary>
    public static async Task<BigInteger> ChainIdAsync(string url, CancellationToken cancellationToken = default) =>
        (await new Web3(url).Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken)).Value;

    /// <summary>An account for a private key on this chain.</summary>
    public Account AccountOf(string privateKeyHex) => new(privateKeyHex, Domain.ChainId);

    public Task MintAsync(string to, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(Owner, "mint", to, amount);

    public Task<BigInteger> BalanceOfAsync(string address, CancellationToken cancellationToken = default) =>
        Contract(_owner).GetFunction("balanceOf").CallAsync<BigInteger>(address);

    public Task OpenChannelAsync(string payer, ChannelTerms terms, TimeSpan duration, CancellationToken cancellationToken = default) =>
        SendAsync(Party(payer), "openChannel", Bytes32(terms.ChannelId), terms.Payee, terms.Deposit, (ulong)duration.TotalSeconds);

    public async Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        var c = await Contract(_owner).GetFunction("channels").CallDeserializingToObjectAsync<ChannelOutput>(Bytes32(channelId));
        return c.Payer is null || c.Payer == "0x0000000000000000000000000000000000000000"
            ? null
            : new ChannelRecord(channelId, c.Payer, c.Payee, c.Deposit, DateTimeOffset.FromUnixTimeSeconds((long)c.ExpiresAt),
                c.CloseRequestedUntil == 0 ? null : DateTimeOffset.FromUnixTimeSeconds((long)c.CloseRequestedUntil),
                c.Settled, c.PaidToPayee, c.RefundedToPayer);
    }

    public Task SettleAsync(string payee, SignedVoucher best, CancellationToken cancellationToken = default) =>
        SendAsync(Party(payee), "settle", Bytes32(best.Voucher.ChannelId), best.Voucher.CumulativeAmount, best.Voucher.Nonce,
            HexText.Decode(best.Signature));

    public Task RequestCloseAsync(string payer, string channelId, TimeSpan disputeWindow, CancellationToken cancellationToken = default) =>
        SendAsync(Party(payer), "requestClose", Bytes32(channelId), (ulong)disputeWindow.TotalSeconds);

    public Task ReclaimAsync(string payer, string channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Party(payer), "reclaim", Bytes32(channelId));

    public Task SetObserversAsync(IReadOnlyList<string> observers, int threshold, CancellationToken cancellationToken = default) =>
        SendAsync(Owner, "setObservers", observers.ToList(), new BigInteger(threshold));

    public async Task<ObserverRegistry> GetObserversAsync(CancellationToken cancellationToken = default)
    {
        var contract = Contract(_owner);
        var observers = await contract.GetFunction("getObservers").CallAsync<List<string>>();
        var threshold = await contract.GetFunction("observerThreshold").CallAsync<BigInteger>();
        return new ObserverRegistry([.. observers.Select(AddressUtil.Current.ConvertToChecksumAddress)], (int)threshold);
    }

    public Task FundEpochAsync(long epoch, BigInteger amount, CancellationToken cancellationToken = default) =>
        epoch < 0 ? throw new SettlementException("an epoch is not negative") : SendAsync(Owner, "fundEpoch", new BigInteger(epoch), amount);

    public Task ClaimRewardAsync(string claimant, EpochResult result, IReadOnlyList<string> signatures, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<(string Node, byte Availability)> entries;
        try
        {
            entries = EpochResultSigning.Canonical(result);
        }
        catch (ArgumentException e)
        {
            throw new SettlementException($"BAD_RESULT: {e.Message}");
        }

        if (result.Epoch < 0)
        {
            throw new SettlementException("BAD_RESULT: an epoch is not negative");
        }

        // A signature that isn't hex is sent empty: the contract counts it for nothing, as it does a malformed one.
        return SendAsync(Party(claimant), "claimReward", new BigInteger(result.Epoch),
            entries.Select(e => e.Node).ToList(), entries.Select(e => new BigInteger(e.Availability)).ToList(),
            signatures.Select(s => HexOrEmpty(s)).ToList());
    }

    public Task GrantLicenceAsync(string node, CancellationToken cancellationToken = default) => SendAsync(Owner, "grantLicence", node);

    public Task RevokeLicenceAsync(string node, CancellationToken cancellationToken = default) => SendAsync(Owner, "revokeLicence", node);

    public async Task<IReadOnlyList<string>> GetLicencesAsync(CancellationToken cancellationToken = default) =>
        await Contract(_owner).GetFunction("getLicences").CallAsync<List<string>>();

    public async Task<EpochRewardRecord> GetEpochRewardAsync(long epoch, string node, CancellationToken cancellationToken = default)
    {
        var contract = Contract(_owner);
        var pool = await contract.GetFunction("epochPools").CallAsync<BigInteger>(new BigInteger(epoch));
        var claimed = await contract.GetFunction("rewardClaimed").CallAsync<BigInteger>(new BigInteger(epoch), node);
        return new EpochRewardRecord(epoch, pool, node, claimed);
    }

    /// <summary>The <c>RewardClaimed</c> events the contract emitted for <paramref name="epoch"/>: who claimed how much.</summary>
    public async Task<IReadOnlyList<(string Node, BigInteger Amount)>> GetRewardClaimEventsAsync(long epoch)
    {
        var claimed = Web3For(_owner).Eth.GetEvent<RewardClaimedEvent>(Domain.VerifyingContract);
        var filter = claimed.CreateFilterInput(Nethereum.RPC.Eth.DTOs.BlockParameter.CreateEarliest(), Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        var logs = await claimed.GetAllChangesAsync(filter);
        return [.. logs.Where(l => l.Event.Epoch == epoch).Select(l => (AddressUtil.Current.ConvertToChecksumAddress(l.Event.Node), l.Event.Amount))];
    }

    /// <summary>The <c>ChannelSettled</c> events the contract emitted for <paramref name="channelId"/>, read from the chain's logs.</summary>
    public async Task<IReadOnlyList<(BigInteger PaidToPayee, BigInteger RefundedToPayer)>> GetSettlementEventsAsync(string channelId)
    {
        var settled = Web3For(_owner).Eth.GetEvent<ChannelSettledEvent>(Domain.VerifyingContract);
        var filter = settled.CreateFilterInput(Nethereum.RPC.Eth.DTOs.BlockParameter.CreateEarliest(), Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        var logs = await settled.GetAllChangesAsync(filter);
        var id = Bytes32(channelId);
        return [.. logs.Where(l => l.Event.ChannelId.AsSpan().SequenceEqual(id)).Select(l => (l.Event.PaidToPayee, l.Event.RefundedToPayer))];
    }

    private async Task SendAsync(Account from, string function, params object[] arguments)
    {
        try
        {
            // Gas is estimated first, so a transaction the contract would revert is refused with its reason, unsent.
            var call = Contract(from).GetFunction(function);
            var gas = await call.EstimateGasAsync(from.Address, null, null, arguments);
            var receipt = await call.SendTransactionAndWaitForReceiptAsync(from.Address,
                new Nethereum.Hex.HexTypes.HexBigInteger(gas.Value * 12 / 10), null, null, arguments);
            if (receipt.Status?.Value != 1)
            {
                throw new SettlementException($"{function} failed on chain (transaction {receipt.TransactionHash})");
            }
        }
        catch (SmartContractRevertException e)
        {
            throw new SettlementException(e.RevertMessage ?? e.Message);
        }
        catch (RpcResponseException e)
        {
            throw new SettlementException(e.RpcError?.Message ?? e.Message);
        }
        catch (Exception e) when (e is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException)
        {
            throw new SettlementException($"the chain at {_url} did not answer {function}: {e.Message}");
        }
    }

    private Contract Contract(Account? account) =>
        (account is null ? new Web3(_url) : new Web3(account, _url)).Eth.GetContract(_artifact.Abi, Domain.VerifyingContract);

    private Account Owner => _owner ?? throw new SettlementException("this backend holds no owner key: only the contract's owner mints, registers observers and funds epochs");

    private Web3 Web3For(Account? account) => account is null ? new Web3(_url) : new Web3(account, _url);

    private Account Party(string address) =>
        _accounts(address) ?? throw new SettlementException($"no account to sign for {address} on this backend");

    private static byte[] HexOrEmpty(string hex)
    {
        try
        {
            return HexText.Decode(hex);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static byte[] Bytes32(string hex) => HexText.Decode(hex);

    [Event("ChannelSettled")]
    private sealed class ChannelSettledEvent : IEventDTO
    {
        [Parameter("bytes32", "channelId", 1, true)]
        public byte[] ChannelId { get; set; } = [];

        [Parameter("uint256", "paidToPayee", 2, false)]
        public BigInteger PaidToPayee { get; set; }

        [Parameter("uint256", "refundedToPayer", 3, false)]
        public BigInteger RefundedToPayer { get; set; }
    }

    [Event("RewardClaimed")]
    private sealed class RewardClaimedEvent : IEventDTO
    {
        [Parameter("uint256", "epoch", 1, true)]
        public BigInteger Epoch { get; set; }

        [Parameter("address", "node", 2, true)]
        public string Node { get; set; } = "";

        [Parameter("uint256", "amount", 3, false)]
        public BigInteger Amount { get; set; }
    }

    [FunctionOutput]
    private sealed class ChannelOutput : IFunctionOutputDTO
    {
        [Parameter("address", "payer", 1)]
        public string? Payer { get; set; }

        [Parameter("address", "payee", 2)]
        public string Payee { get; set; } = "";

        [Parameter("uint256", "deposit", 3)]
        public BigInteger Deposit { get; set; }

        [Parameter("uint64", "expiresAt", 4)]
        public ulong ExpiresAt { get; set; }

        [Parameter("uint64", "closeRequestedUntil", 5)]
        public ulong CloseRequestedUntil { get; set; }

        [Parameter("bool", "settled", 6)]
        public bool Settled { get; set; }

        [Parameter("uint256", "paidToPayee", 7)]
        public BigInteger PaidToPayee { get; set; }

        [Parameter("uint256", "refundedToPayer", 8)]
        public BigInteger RefundedToPayer { get; set; }
    }
}

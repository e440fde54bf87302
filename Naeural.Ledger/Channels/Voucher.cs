using System.Numerics;
using System.Text;
using Naeural.Actors.Security;
using Naeural.Ledger.Signing;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Channels;

/// <summary>
/// A payment-channel voucher: the payer promises the payee a <see cref="CumulativeAmount"/> in total on one channel (each
/// new voucher replaces the previous one, so only the best counts), numbered by <see cref="Nonce"/>. Signed as EIP-712
/// typed data <c>Voucher(bytes32 channelId,uint256 amount,uint256 nonce)</c>, so a contract can check it on chain.
/// </summary>
/// <param name="ChannelId">32 bytes, 0x-hex.</param>
[WireName("ledger.channels.voucher")]
public sealed record Voucher(string ChannelId, BigInteger CumulativeAmount, BigInteger Nonce);

/// <summary>A voucher and the payer's 65-byte recoverable signature over its EIP-712 digest (0x-hex, r ‖ s ‖ v).</summary>
[WireName("ledger.channels.signed-voucher")]
public sealed record SignedVoucher(Voucher Voucher, string Signature);

/// <summary>
/// The EIP-712 domain vouchers (and epoch results) are signed in: the settlement contract's chain and address on an EVM chain;
/// for the embedded ledger, a chain id and a verifying address derived from the network id (<see cref="ForNetwork"/>), so a
/// voucher for one deployment or network is worthless on another.
/// </summary>
public sealed record VoucherDomain(BigInteger ChainId, string VerifyingContract, string Name = "Naeural", string Version = "1")
{
    /// <summary>The embedded ledger's domain on the default network (<see cref="NetworkIds.Default"/>).</summary>
    public static VoucherDomain Embedded { get; } = ForNetwork(NetworkIds.Default);

    /// <summary>
    /// The embedded ledger's domain on <paramref name="networkId"/>: chainId = the first 6 bytes (big-endian, 48 bits: a safe
    /// integer for JavaScript wallets) of keccak256("naeural/embedded-ledger/chain-id:" + networkId); verifyingContract = the last
    /// 20 bytes of keccak256("naeural/embedded-ledger/contract:" + networkId). No contract lives there: it names the ledger.
    /// </summary>
    public static VoucherDomain ForNetwork(string networkId)
    {
        var chain = Keccak.Hash(Encoding.UTF8.GetBytes("naeural/embedded-ledger/chain-id:" + networkId));
        var contract = Keccak.Hash(Encoding.UTF8.GetBytes("naeural/embedded-ledger/contract:" + networkId));
        return new(new BigInteger(chain.AsSpan(0, 6), isUnsigned: true, isBigEndian: true), Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(Convert.ToHexString(contract, 12, 20)));
    }
}

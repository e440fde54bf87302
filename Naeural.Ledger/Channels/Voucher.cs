using System.Numerics;

namespace Naeural.Ledger.Channels;

/// <summary>
/// A payment-channel voucher: the payer promises the payee a <see cref="CumulativeAmount"/> in total on one channel (each
/// new voucher replaces the previous one, so only the best counts), numbered by <see cref="Nonce"/>. Signed as EIP-712
/// typed data <c>Voucher(bytes32 channelId,uint256 amount,uint256 nonce)</c>, so a contract can check it on chain.
/// </summary>
/// <param name="ChannelId">32 bytes, 0x-hex.</param>
public sealed record Voucher(string ChannelId, BigInteger CumulativeAmount, BigInteger Nonce);

/// <summary>A voucher and the payer's 65-byte recoverable signature over its EIP-712 digest (0x-hex, r ‖ s ‖ v).</summary>
public sealed record SignedVoucher(Voucher Voucher, string Signature);

/// <summary>
/// The EIP-712 domain vouchers are signed in: the settlement contract's chain and address (the embedded ledger uses chain 0 and
/// the zero address), so a voucher for one deployment is worthless on another.
/// </summary>
public sealed record VoucherDomain(BigInteger ChainId, string VerifyingContract, string Name = "Naeural", string Version = "1")
{
    public static VoucherDomain Embedded { get; } = new(0, "0x0000000000000000000000000000000000000000");
}

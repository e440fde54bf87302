using Nethereum.Util;

namespace Naeural.Ledger.Signing;

/// <summary>Ethereum's Keccak-256.</summary>
public static class Keccak
{
    public static byte[] Hash(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());
}

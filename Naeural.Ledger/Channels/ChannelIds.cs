using System.Text.RegularExpressions;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The one spelling of channel ids and voucher signatures: <c>0x</c> + lower-case hex (32 bytes for an id, 65 bytes with
/// v = 27/28 for a signature). Anything else is refused, so one escrow can't be tracked twice under two spellings and a
/// signature the contract can't parse is never accepted off chain.
/// </summary>
public static partial class ChannelIds
{
    public static bool IsCanonicalId(string id) => CanonicalId().IsMatch(id);

    /// <summary>The canonical form of <paramref name="id"/>, or an exception naming the problem.</summary>
    public static string Canonical(string id)
    {
        return "0x" + HexText.Digits(id).ToString().ToLowerInvariant() is var canonical && CanonicalId().IsMatch(canonical)
            ? canonical
            : throw new ArgumentException($"'{id}' is not a channel id (32 bytes in hex)");
    }

    public static bool IsCanonicalSignature(string signature) =>
        CanonicalSignature().IsMatch(signature) && signature[^2..] is "1b" or "1c";

    /// <summary>True for a 20-byte address in hex (<c>0x</c>, 40 hex digits, either case).</summary>
    public static bool IsAddress(string address) => Address().IsMatch(address);

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex Address();

    [GeneratedRegex("^0x[0-9a-f]{64}$")]
    private static partial Regex CanonicalId();

    [GeneratedRegex("^0x[0-9a-f]{130}$")]
    private static partial Regex CanonicalSignature();
}

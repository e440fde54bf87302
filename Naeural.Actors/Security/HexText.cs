namespace Naeural.Actors.Security;

/// <summary>
/// Hex text with an optional <c>0x</c> (keys, signatures, channel ids, 32-byte words): the one place the prefix is taken off.
/// Addresses have their own type, <see cref="AccountAddress"/>.
/// </summary>
public static class HexText
{
    /// <summary>The digits of <paramref name="text"/> without its <c>0x</c> (nothing else is taken off: no spaces).</summary>
    public static ReadOnlySpan<char> Digits(string text)
    {
        var span = text.AsSpan();
        return span.Length >= 2 && span[0] == '0' && span[1] is 'x' or 'X' ? span[2..] : span;
    }

    /// <summary>The bytes <paramref name="text"/> spells.</summary>
    /// <exception cref="FormatException">It is not hex, or has an odd number of digits.</exception>
    public static byte[] Decode(string text) => Convert.FromHexString(Digits(text));

    /// <summary>True when <paramref name="text"/> spells exactly <paramref name="length"/> bytes.</summary>
    public static bool TryDecode(string? text, int length, out byte[] bytes)
    {
        bytes = [];
        if (text is null)
        {
            return false;
        }

        var digits = Digits(text);
        if (digits.Length != length * 2 || !IsHex(digits))
        {
            return false;
        }

        bytes = Convert.FromHexString(digits);
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

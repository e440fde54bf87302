using System.Diagnostics.CodeAnalysis;

namespace Naeural.Actors.Security;

/// <summary>
/// An account's address (a node's id, an owner, a payer, an authority, an observer): 20 bytes, written <c>0x</c> and 40 hex
/// digits, in any case (EIP-55 checksums included); nothing else is one (no bare hex, no spaces: a second spelling of one
/// account would be a second key wherever text is keyed). Held and written in one form, lower case with <c>0x</c>; equal by
/// value. The one way this code base validates and compares addresses: messages carry them as text, compared through
/// <see cref="Same"/> and keyed through <see cref="Comparer"/>, never by hand.
/// </summary>
public readonly record struct AccountAddress
{
    private const int HexDigits = 40;

    private readonly string? _text;

    private AccountAddress(string text) => _text = text;

    /// <summary>The zero address (also the value of <c>default</c>).</summary>
    public static AccountAddress Zero { get; } = new("0x" + new string('0', HexDigits));

    /// <summary>
    /// Compares and hashes texts as addresses: two spellings of one address (letter case only) are equal; a text that is not
    /// an address (a test's short id) compares as itself, ignoring case. For sets and dictionaries keyed by addresses that
    /// arrive as text.
    /// </summary>
    public static IEqualityComparer<string> Comparer { get; } = new TextComparer();

    /// <summary><paramref name="text"/> as an address.</summary>
    /// <exception cref="FormatException">It is not <c>0x</c> and 40 hex digits.</exception>
    public static AccountAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an address (0x and 40 hex digits)");

    /// <summary>True when <paramref name="text"/> is an address: <c>0x</c> and 40 hex digits, in any case.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AccountAddress address)
    {
        if (Digits(text) is { IsEmpty: false } digits)
        {
            address = new AccountAddress("0x" + digits.ToString().ToLowerInvariant());
            return true;
        }

        address = default;
        return false;
    }

    /// <summary>True when <paramref name="text"/> is an address.</summary>
    public static bool IsValid([NotNullWhen(true)] string? text) => !Digits(text).IsEmpty;

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> name the same account (see <see cref="Comparer"/>); false when
    /// either is null. Allocates nothing.
    /// </summary>
    public static bool Same(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }

        var x = Digits(a);
        var y = Digits(b);
        return x.IsEmpty || y.IsEmpty
            ? x.IsEmpty && y.IsEmpty && a.Equals(b, StringComparison.OrdinalIgnoreCase)
            : x.Equals(y, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="text"/> is this address.</summary>
    public bool Is(string? text) => Same(ToString(), text);

    /// <summary>Equal when the same account (<c>default</c> is the zero address).</summary>
    public bool Equals(AccountAddress other) => string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The 20 bytes.</summary>
    public byte[] ToBytes() => Convert.FromHexString(ToString().AsSpan(2));

    /// <summary><c>0x</c> and 40 lower-case hex digits.</summary>
    public override string ToString() => _text ?? Zero._text!;

    /// <summary>The 40 hex digits of <paramref name="text"/>, or empty when it is not an address.</summary>
    private static ReadOnlySpan<char> Digits(string? text)
    {
        if (text is null)
        {
            return default;
        }

        var span = text.AsSpan();
        return span.Length == HexDigits + 2 && span[0] == '0' && span[1] is 'x' or 'X' && IsHex(span[2..]) ? span[2..] : default;
    }

    private static bool IsHex(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class TextComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => (x is null && y is null) || Same(x, y);

        public int GetHashCode(string text)
        {
            var digits = Digits(text);
            return string.GetHashCode(digits.IsEmpty ? text.AsSpan() : digits, StringComparison.OrdinalIgnoreCase);
        }
    }
}

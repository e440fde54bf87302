namespace Naeural.Actors.Security;

/// <summary>What a node id (an Ethereum address) looks like: 0x and 40 hex digits, any case.</summary>
public static class NodeIds
{
    /// <summary>True when <paramref name="value"/> is 0x followed by exactly 40 hex digits.</summary>
    public static bool IsAddress(string? value)
    {
        if (value is not { Length: 42 } || value[0] != '0' || (value[1] != 'x' && value[1] != 'X'))
        {
            return false;
        }

        foreach (var c in value.AsSpan(2))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

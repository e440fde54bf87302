using System.Net;
using System.Net.Sockets;

namespace Naeural.Actors.Capture;

/// <summary>
/// Whether an address is on the public internet, or one of the ranges a node's own network hides behind (loopback,
/// private, link-local such as cloud metadata at 169.254.169.254, carrier-grade NAT, unique-local, multicast, reserved).
/// IPv4 carried in IPv6 (mapped, NAT64 <c>64:ff9b::/96</c>, 6to4) is judged as the IPv4 address it carries.
/// </summary>
public static class AddressScope
{
    private static readonly (IPAddress Network, int Bits)[] NonPublicV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8), (IPAddress.Parse("10.0.0.0"), 8), (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8), (IPAddress.Parse("169.254.0.0"), 16), (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24), (IPAddress.Parse("192.0.2.0"), 24), (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15), (IPAddress.Parse("198.51.100.0"), 24), (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("224.0.0.0"), 4), (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int Bits)[] NonPublicV6 =
    [
        (IPAddress.Parse("::"), 96), (IPAddress.Parse("100::"), 64), (IPAddress.Parse("2001::"), 23),
        (IPAddress.Parse("2001:db8::"), 32), (IPAddress.Parse("fc00::"), 7), (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("fec0::"), 10), (IPAddress.Parse("ff00::"), 8),
    ];

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");
    private static readonly IPAddress SixToFour = IPAddress.Parse("2002::");

    /// <summary>True for a globally routable address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        address = Unwrap(address);
        var ranges = address.AddressFamily == AddressFamily.InterNetwork ? NonPublicV4 : NonPublicV6;
        return !ranges.Any(r => InRange(address, r.Network, r.Bits));
    }

    /// <summary>The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), else the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (InRange(address, Nat64, 96))
        {
            return new IPAddress(bytes[12..16]);
        }

        return InRange(address, SixToFour, 16) ? new IPAddress(bytes[2..6]) : address;
    }

    /// <summary>Whether <paramref name="address"/> is in <paramref name="network"/>/<paramref name="bits"/> (same family only).</summary>
    public static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

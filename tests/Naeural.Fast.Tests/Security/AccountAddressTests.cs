using Naeural.Actors.Security;
using Xunit;

namespace Naeural.Fast.Tests.Security;

public sealed class AccountAddressTests
{
    private const string Lower = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
    private const string Checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    [Theory]
    [InlineData(Lower)]
    [InlineData(Checksummed)]
    [InlineData("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")]
    public void Every_spelling_of_an_address_parses_to_one_lower_case_form(string text)
    {
        Assert.Equal(Lower, AccountAddress.Parse(text).ToString());
        Assert.Equal(AccountAddress.Parse(Lower), AccountAddress.Parse(text));
        Assert.True(AccountAddress.Same(text, Lower));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae")] // 39 digits
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedd")] // 41 digits
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg")] // not hex
    [InlineData("0x0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea")]
    [InlineData("alice")]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")] // bare hex: a second spelling would be a second owner or node
    [InlineData(" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\t")]
    public void Anything_else_is_not_an_address(string text)
    {
        Assert.False(AccountAddress.TryParse(text, out _));
        Assert.False(AccountAddress.IsValid(text));
        Assert.Contains($"'{text}' is not an address", Assert.Throws<FormatException>(() => AccountAddress.Parse(text)).Message);
    }

    [Fact]
    public void An_address_never_equals_a_different_one_or_a_non_address_or_null()
    {
        Assert.False(AccountAddress.Same(Lower, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaee"));
        Assert.False(AccountAddress.Same(Lower, "5aaeb6053f3e94c9b9a09f33669435e7ef1beae"));
        Assert.False(AccountAddress.Same(Lower, null));
        Assert.False(AccountAddress.Same(null, null));
        Assert.False(AccountAddress.Same(Lower, Lower[2..])); // not one account's second spelling: not an address at all
        Assert.False(AccountAddress.Same(Lower, " " + Lower));
        Assert.True(AccountAddress.Same("node-A", "node-a")); // a test's short id compares as itself, ignoring case
    }

    [Fact]
    public void The_comparer_keys_every_spelling_of_an_address_together_and_hashes_consistently()
    {
        var set = new HashSet<string>(AccountAddress.Comparer) { Lower, Checksummed, "node-A", "NODE-a" };

        Assert.Equal(2, set.Count);
        Assert.Contains("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", set);
        Assert.DoesNotContain(Lower[2..], set);
        Assert.DoesNotContain(" " + Lower, set);
        Assert.Equal(AccountAddress.Comparer.GetHashCode(Checksummed), AccountAddress.Comparer.GetHashCode(Lower.ToUpperInvariant()));
    }

    [Fact]
    public void Default_is_the_zero_address_and_bytes_round_trip()
    {
        Assert.Equal("0x" + new string('0', 40), default(AccountAddress).ToString());
        Assert.Equal(AccountAddress.Zero, default(AccountAddress));
        var address = AccountAddress.Parse(Checksummed);
        Assert.Equal(address, AccountAddress.Parse("0x" + Convert.ToHexString(address.ToBytes())));
        Assert.True(address.Is(Checksummed));
    }
}

using System.Text.Json;
using Naeural.Actors.Payloads;
using Naeural.Actors.Serialization;
using Xunit;

namespace Naeural.Fast.Tests.Contract;

/// <summary>Signed JSON travels as JSON, not as an escaped string, and comes back to exactly the text that was signed.</summary>
public sealed class EmbeddedJsonTests
{
    private static readonly JsonSerializerOptions Options = ContractJson.Options(new MessageAllowList(WireTypes.All), system: null);

    [Theory]
    [InlineData("""{"SEQ":1,"DATA":{"v":0.25,"s":"é\"\\ \u2028"},"SIGNATURE":"0xab"}""")]
    [InlineData("""{ "spaced" : [ 1 , 2 ] }""")]
    [InlineData("""[1,{"a":null}]""")]
    [InlineData("""not json at all""")]
    [InlineData(""" {"leading":"space"}""")]
    [InlineData("""{"unclosed":1""")]
    [InlineData("""{"a":1}{"b":2}""")]
    [InlineData("\"a string literal\"")]
    [InlineData("")]
    public void A_signed_text_comes_back_exactly(string signed)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new PayloadDelivered("0xabc/p", 7, signed), Options);

        Assert.Equal(signed, JsonSerializer.Deserialize<PayloadDelivered>(bytes, Options)!.SignedJson);
    }

    [Fact]
    public void An_object_is_embedded_as_json_and_anything_else_as_a_string()
    {
        var embedded = JsonSerializer.Serialize(new PayloadDelivered("0xabc/p", 7, """{"SEQ":7}"""), Options);
        var quoted = JsonSerializer.Serialize(new PayloadDelivered("0xabc/p", 7, """{"SEQ":7"""), Options);

        Assert.Contains("""
                        "SignedJson":{"SEQ":7}
                        """, embedded);
        Assert.Contains("""
                        "SignedJson":"{\"SEQ\":7"
                        """, quoted);
    }
}

using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Naeural.Actors.Serialization;
using Xunit;

namespace Naeural.Actors.Tests.Serialization;

/// <summary>A listed message that can carry anything.</summary>
[WireName("tests.envelope")]
public sealed record Envelope(object Payload);

/// <summary>A type smuggled inside an <see cref="Envelope"/>.</summary>
[WireName("tests.smuggled")]
public sealed record Smuggled(string Secret);

/// <summary>A listed message with a collection.</summary>
[WireName("tests.listing")]
public sealed record Listing(System.Collections.Immutable.ImmutableArray<string> Items);

public sealed class AllowListSerializerTests : IDisposable
{
    private readonly ActorSystem _strict = CreateSystem([typeof(Envelope), typeof(Listing)], maxBytes: 64 * 1024);
    private readonly ActorSystem _lenient = CreateSystem([typeof(Envelope), typeof(Listing), typeof(Smuggled)], maxBytes: 64 * 1024);

    [Fact]
    public void A_listed_message_round_trips()
    {
        var serializer = SerializerOf(_strict);
        var bytes = serializer.ToBinary(new Envelope(new Listing(["hello"])));

        var back = (Envelope)serializer.FromBinary(bytes, serializer.Manifest(new Envelope("x")));
        Assert.Equal<string>(["hello"], ((Listing)back.Payload).Items);
    }

    [Fact]
    public void Immutable_collections_of_allowed_types_round_trip()
    {
        var serializer = SerializerOf(_strict);
        var message = new Envelope(new Listing(["a", "b"]));

        var back = (Envelope)serializer.FromBinary(serializer.ToBinary(message), "tests.envelope");
        Assert.Equal<string>(["a", "b"], ((Listing)back.Payload).Items);
    }

    [Fact]
    public void A_manifest_not_on_the_list_is_refused_without_loading_the_type()
    {
        var serializer = SerializerOf(_strict);

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary([1, 2, 3], "System.IO.FileInfo"));
        Assert.Contains("allow-list", error.Message);
    }

    [Fact]
    public void An_unlisted_type_nested_inside_a_listed_message_is_refused_on_the_way_in()
    {
        var sent = SerializerOf(_lenient).ToBinary(new Envelope(new Smuggled("payload")));

        var error = Assert.Throws<SerializationException>(() =>
            SerializerOf(_strict).FromBinary(sent, "tests.envelope"));
        Assert.Contains("does not decode", error.Message);
    }

    [Fact]
    public void A_message_over_the_size_limit_is_refused_both_ways()
    {
        var serializer = SerializerOf(_strict);
        var big = new Envelope(new Listing([new string('x', 100 * 1024)]));

        Assert.Contains("limit", Assert.Throws<SerializationException>(() => serializer.ToBinary(big)).Message);
        Assert.Contains("limit", Assert.Throws<SerializationException>(() =>
            serializer.FromBinary(new byte[100 * 1024], "tests.envelope")).Message);
    }

    [Fact]
    public void Every_kernel_message_type_round_trips()
    {
        var allowList = new MessageAllowList(KernelMessages.Types);
        foreach (var type in KernelMessages.Types)
        {
            Assert.True(allowList.Allows(type));
            Assert.True(allowList.TryResolve(MessageAllowList.ManifestFor(type), out var resolved));
            Assert.Equal(type, resolved);
        }
    }

    public void Dispose()
    {
        _strict.Dispose();
        _lenient.Dispose();
    }

    private static AllowListSerializer SerializerOf(ActorSystem system) =>
        (AllowListSerializer)system.Serialization.FindSerializerForType(typeof(Envelope));

    private static ActorSystem CreateSystem(Type[] types, long maxBytes) =>
        ActorSystem.Create("serializer-test", SerializationConfig.For(types, maxBytes)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));
}

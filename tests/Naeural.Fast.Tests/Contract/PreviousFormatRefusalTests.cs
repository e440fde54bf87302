using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Naeural.Actors.Edge;
using Naeural.Actors.Network;
using Naeural.Actors.Serialization;
using Xunit;

namespace Naeural.Fast.Tests.Contract;

/// <summary>The previous format is still read from peers, so it refuses what a stranger could abuse, like the contract does.</summary>
public sealed class PreviousFormatRefusalTests : IDisposable
{
    private readonly ActorSystem _node = WireTypes.System("v1-refusals");
    private readonly ActorSystem _lenient = ActorSystem.Create("v1-lenient", SerializationConfig.For(
            [.. WireTypes.All, typeof(Naeural.Actors.Plugins.StopInstance)], [], SerializationConfig.InfrastructureSelectionPaths,
            SerializationConfig.DefaultMaxMessageBytes, WireFormat.V1)
        .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));

    private SerializerWithStringManifest Writer => (SerializerWithStringManifest)_lenient.Serialization.FindSerializerForType(typeof(object));

    [Fact]
    public void An_unknown_manifest_is_refused_without_loading_the_type()
    {
        var error = Assert.Throws<SerializationException>(() =>
            _node.Serialization.Deserialize([1, 2, 3], HyperionV1Serializer.SerializerId, "System.IO.FileInfo"));

        Assert.Contains("allow-list", error.Message);
    }

    [Fact]
    public void A_type_with_an_object_member_is_not_read_in_the_previous_format_since_hyperion_has_no_depth_limit()
    {
        object nested = new GetNodes();
        for (var i = 0; i < 100; i++)
        {
            nested = new ToNode("0xabc", nested);
        }

        var bytes = Writer.ToBinary(nested);

        var error = Assert.Throws<SerializationException>(() =>
            _node.Serialization.Deserialize(bytes, HyperionV1Serializer.SerializerId, Writer.Manifest(nested)));
        Assert.Contains("allow-list", error.Message);
    }

    [Fact]
    public void The_client_edge_does_not_read_the_previous_format_unless_it_writes_it()
    {
        using var edge = ActorSystem.Create("edge", SerializationConfig.For(WireTypes.All, [], SerializationConfig.InfrastructureSelectionPaths,
            SerializationConfig.DefaultMaxMessageBytes, WireFormat.Contract, readsPreviousFormat: false)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));

        var bytes = Writer.ToBinary(new GetNodes());

        Assert.ThrowsAny<Exception>(() => edge.Serialization.Deserialize(bytes, HyperionV1Serializer.SerializerId, Writer.Manifest(new GetNodes())));
        Assert.IsType<GetNodes>(_node.Serialization.Deserialize(bytes, HyperionV1Serializer.SerializerId, Writer.Manifest(new GetNodes())));
    }

    public void Dispose()
    {
        _node.Dispose();
        _lenient.Dispose();
    }
}

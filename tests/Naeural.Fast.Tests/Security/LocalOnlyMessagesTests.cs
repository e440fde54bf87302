using Naeural.Actors.Capture;
using Naeural.Actors.Replication;
using Naeural.Actors.Serialization;
using Xunit;

namespace Naeural.Fast.Tests.Security;

/// <summary>
/// What a node's own actors tell each other and no peer may: on no serializer list, so a stranger or a hostile member can't
/// deliver one (the serializer refuses it, see <c>AllowListRefusalTests</c>). A member that could send <see cref="HistoryShared"/>
/// would release an owner's answer before any replica holds the command; a picture would cross the wire.
/// </summary>
public sealed class LocalOnlyMessagesTests
{
    [Theory]
    [InlineData(typeof(ShareHistory))]
    [InlineData(typeof(HistoryShared))]
    [InlineData(typeof(SharePayloads))]
    [InlineData(typeof(PayloadsShared))]
    [InlineData(typeof(Frame))]
    [InlineData(typeof(FrameImage))]
    public void A_message_between_a_nodes_own_actors_is_on_no_list_a_peer_is_served_by(Type type)
    {
        Assert.DoesNotContain(type, KernelMessages.Types);
    }
}

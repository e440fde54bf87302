using Akka.Cluster.Sharding;

namespace Naeural.Ledger.Channels;

/// <summary>
/// Routes <see cref="IPaymentChannelMessage"/>s: entity id = the (canonical) channel id; every channel a node's region
/// handles is in the one shard named after that node, placed on it by <see cref="Naeural.Actors.Sharding.ColocatedAllocationStrategy"/>.
/// A channel's entity must run on its payee (only the payee's key can settle it), and each node only ever sends its own
/// channels to its region (through its billing), so a node's shard is always asked for, and placed, by the node itself.
/// Messages with a malformed channel id are not routed.
/// </summary>
public sealed class PaymentChannelMessageExtractor(string nodeId) : IMessageExtractor
{
    private readonly string _shard = nodeId.ToLowerInvariant();

    public string? EntityId(object message) =>
        message is IPaymentChannelMessage m && ChannelIds.IsCanonicalId(m.ChannelId) ? m.ChannelId : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => message is IPaymentChannelMessage ? _shard : null;

    public string ShardId(string entityId, object? messageHint = null) => _shard;
}

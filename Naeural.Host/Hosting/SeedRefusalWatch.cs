using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace Naeural.Host.Hosting;

/// <summary>
/// On a joining node over TLS: while it is not yet a member, a failed association with one of its seeds is reported as an
/// error naming this node's address: a seed's TLS check refuses a node whose key it does not admit, and the refused node
/// otherwise sees only connection failures. Said again every 10 s while the node keeps trying; stops once the node is up.
/// </summary>
public sealed class SeedRefusalWatch : ReceiveActor
{
    public const string Name = "seed-refusal-watch";

    private static readonly TimeSpan RepeatAfter = TimeSpan.FromSeconds(10);

    public SeedRefusalWatch(string nodeId, IReadOnlyCollection<Address> seeds)
    {
        var log = Context.GetLogger();
        var reported = new Dictionary<Address, DateTime>();
        Receive<AssociationErrorEvent>(e =>
        {
            // Said again while the node keeps trying (at most every RepeatAfter per seed), so an operator watching later sees why.
            var now = DateTime.UtcNow;
            if (seeds.Contains(e.RemoteAddress) && (!reported.TryGetValue(e.RemoteAddress, out var last) || now - last >= RepeatAfter))
            {
                reported[e.RemoteAddress] = now;
                log.Error("Node {NodeId} could not join through seed {Seed}: the seed refused its TLS connection, so its node address is "
                          + "not admitted by the seed (not on the seed's --admit and no licence it knows of) or its certificate was refused. "
                          + "Nothing changed on that network. Cause: {Cause}", nodeId, e.RemoteAddress, e.Cause?.GetBaseException().Message ?? e.ToString());
            }
        });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.Address == Cluster.Get(Context.System).SelfAddress)
            {
                Context.Stop(Self);
            }
        });
    }

    public static Props Props(string nodeId, IReadOnlyCollection<Address> seeds) => Akka.Actor.Props.Create(() => new SeedRefusalWatch(nodeId, seeds));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe<AssociationErrorEvent>(Self);
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        Cluster.Get(Context.System).Unsubscribe(Self);
    }
}

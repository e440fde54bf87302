using Akka.Actor;
using Akka.DistributedData;
using Naeural.Actors.Network;

namespace Naeural.Ledger.Tests.Epochs;

/// <summary>Asks for the time of the last heartbeat a node published, as gossiped to this member.</summary>
public sealed record GetLastHeartbeat(string NodeId);

/// <summary>Keeps the latest heartbeat time of every node seen in the replicated network map (the test's ground truth).</summary>
public sealed class LastHeartbeatRecorder : ReceiveActor
{
    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.OrdinalIgnoreCase);

    public LastHeartbeatRecorder()
    {
        Receive<Changed>(changed =>
        {
            foreach (var (node, heartbeat) in changed.Get(NetworkKeys.Resources).Entries)
            {
                var resources = heartbeat.Resources;
                _last[node] = _last.TryGetValue(node, out var last) && last > resources.UpdatedAt ? last : resources.UpdatedAt;
            }
        });
        Receive<GetLastHeartbeat>(get => Sender.Tell(_last.GetValueOrDefault(get.NodeId)));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new LastHeartbeatRecorder());

    protected override void PreStart() =>
        DistributedData.Get(Context.System).Replicator.Tell(Dsl.Subscribe(NetworkKeys.Resources, Self));
}

using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Tests.Network;

/// <summary>A hostile member's actor: writes the given entries into the replicated heartbeat map every 100 ms.</summary>
public sealed class HeartbeatForger : ReceiveActor, IWithTimers
{
    public HeartbeatForger(Func<IReadOnlyList<(string Key, object Entry)>> entries)
    {
        var cluster = Cluster.Get(Context.System);
        var replicator = DistributedData.Get(Context.System).Replicator;
        Receive<string>(_ =>
        {
            var forged = entries();
            replicator.Tell(Dsl.Update(NetworkKeys.Resources, LWWDictionary<string, SignedHeartbeat>.Empty, WriteLocal.Instance,
                map => forged.Aggregate(map, (m, e) => m.SetItem(cluster, e.Key, (SignedHeartbeat)e.Entry))));
        });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Func<IReadOnlyList<(string Key, object Entry)>> entries) =>
        Akka.Actor.Props.Create(() => new HeartbeatForger(entries));

    protected override void PreStart() => Timers.StartPeriodicTimer("forge", "forge", TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
}

/// <summary>Heartbeats as a forger writes them: signed with its own key (or a key it made up), or not at all.</summary>
public static class ForgedHeartbeat
{
    public const string Alias = "forged";

    public static NodeResources Resources(string nodeId, string akkaAddress, GpuInfo? gpu = null) =>
        new(nodeId, akkaAddress, Alias, 64, 512_000, 512_000, 0, gpu, [], [], [], [], 0, long.MaxValue / 2, DateTimeOffset.UtcNow);

    /// <summary>Claims to be <paramref name="nodeId"/>, signed by <paramref name="signer"/>'s key in the heartbeat domain.</summary>
    public static object Of(string nodeId, string akkaAddress, IMessageSigner signer, GpuInfo? gpu = null) =>
        HeartbeatSigning.Sign(Resources(nodeId, akkaAddress, gpu), signer, HeartbeatSigning.DefaultNetwork);

    /// <summary>Not signed at all.</summary>
    public static object Unsigned(string nodeId, string akkaAddress) => new SignedHeartbeat(Resources(nodeId, akkaAddress), "0x00");

    public static bool IsForged(object entry) => entry is SignedHeartbeat { Resources.Alias: Alias };
}

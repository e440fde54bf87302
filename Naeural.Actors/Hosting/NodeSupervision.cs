using Akka.Actor;
using Akka.Pattern;
using Naeural.Actors.Sharding;

namespace Naeural.Actors.Hosting;

/// <summary>How a node keeps its long-lived persistent actors (the meter, the ledger's gate, billing) running.</summary>
public static class NodeSupervision
{
    /// <summary>
    /// <paramref name="props"/> under a back-off supervisor, reached through it (messages are forwarded): if the actor stops (a
    /// journal write failed) it is started again 1 s to 30 s later and recovers its journal; an exception restarts it at once.
    /// <see cref="StopEntity"/> (a singleton's hand-over) stops both for good.
    /// </summary>
    public static Props Restarting(Props props, string childName) =>
        BackoffSupervisor.Props(Backoff.OnStop(props, childName, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)
            .WithFinalStopMessage(message => message is StopEntity));
}

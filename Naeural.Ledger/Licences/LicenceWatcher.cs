using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Security;
using Naeural.Ledger.Channels;

namespace Naeural.Ledger.Licences;

/// <summary>
/// Keeps a node's <see cref="PeerAdmission"/> licence set current: reads the licensed node addresses from the node's
/// settlement backend (the embedded ledger singleton, or the contract) every refresh period, and every second until the first
/// read succeeds (on the embedded ledger a joining node can read only once it is a member). A failed read keeps the last set.
/// </summary>
public sealed class LicenceWatcher : ReceiveActor, IWithTimers
{
    public const string Name = "licence-watcher";

    private static readonly TimeSpan FirstReadRetry = TimeSpan.FromSeconds(1);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LicenceWatcher(ISettlementBackend backend, PeerAdmission admission, TimeSpan refresh, TimeProvider time)
    {
        Receive<Refresh>(_ => backend.GetLicencesAsync().PipeTo(Self,
            success: licences => new LicencesRead(licences),
            failure: e => new LicenceReadFailed(e.GetBaseException().Message)));
        Receive<LicencesRead>(read =>
        {
            var before = admission.Licensed;
            admission.UpdateLicences(read.Licences, time.GetUtcNow());
            if (!before.SetEquals(admission.Licensed))
            {
                _log.Info("Licence set read from the ledger: {LicenceCount} licensed nodes", admission.Licensed.Count);
            }

            Timers.StartSingleTimer(nameof(Refresh), Refresh.Instance, refresh);
        });
        Receive<LicenceReadFailed>(failed =>
        {
            var first = admission.LicencesReadAt is null;
            (first ? (Action<string, string>)((t, r) => _log.Debug(t, r)) : (t, r) => _log.Warning(t, r))(
                "Could not read the licence set from the ledger (the last one stays in force): {Reason}", failed.Reason);
            Timers.StartSingleTimer(nameof(Refresh), Refresh.Instance, first ? FirstReadRetry : refresh);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISettlementBackend backend, PeerAdmission admission, TimeSpan refresh, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new LicenceWatcher(backend, admission, refresh, time));

    protected override void PreStart() => Self.Tell(Refresh.Instance);

    /// <summary>Local: time to read the licence set again.</summary>
    private sealed record Refresh
    {
        public static Refresh Instance { get; } = new();
    }

    /// <summary>Local: the licence set as the ledger answered it.</summary>
    private sealed record LicencesRead(IReadOnlyList<string> Licences);

    /// <summary>Local: the ledger could not be read.</summary>
    private sealed record LicenceReadFailed(string Reason);
}

using System.Text.Json.Nodes;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs;

/// <summary>
/// What a worker may run for a <see cref="RunShare"/>: the share of the job its owner signed. The <c>START_JOB</c> it carries
/// must verify (signature, network), be signed by the job's owner for exactly this job, and hold a spec this node accepts;
/// the rows, plugin and config come from that spec. Its age is not checked: the job took it fresh, and re-sends its shares
/// for as long as it runs (a replayed command can only run the owner's own work again).
/// </summary>
public static class ShareOrder
{
    /// <summary>Opens <paramref name="run"/> on this node: the work, a refusal to report (signed) to the job, or a drop.</summary>
    public static ShareOrderResult Open(RunShare run, PipelineServices services)
    {
        if (!JobShareSigning.IsChallenge(run.Challenge))
        {
            return ShareOrderResult.Drop("Challenge is not 32 hex digits");
        }

        if (run.Start is null)
        {
            return ShareOrderResult.Drop($"Start (the owner's signed {JobActions.Start}) is missing");
        }

        CommandEnvelope command;
        try
        {
            command = CommandEnvelope.Open(run.Start, services.Verifier, services.Settings.NetworkId,
                services.Time.GetUtcNow(), TimeSpan.MaxValue, services.Settings.MaxCommandBytes);
            if (command.Action != JobActions.Start)
            {
                return ShareOrderResult.Drop($"Start is a {command.Action}, not a {JobActions.Start}");
            }

            if (command.PipelineId != run.JobId)
            {
                return ShareOrderResult.Drop($"Start names job {command.PipelineId}, not {run.JobId}");
            }

            JobFrontDoor.RequireOwner(command);
        }
        catch (CommandRejectedException e)
        {
            return ShareOrderResult.Drop($"Start is refused ({e.Code}): {e.Reason}");
        }

        // The owner did ask for this job: what this node refuses from here on is the job's answer, signed.
        try
        {
            if (!services.Allows(command.Owner, command.Signer))
            {
                return ShareOrderResult.Refuse(services.NotAllowedReason(command.Owner));
            }

            var spec = JobFrontDoor.ValidateStart(command, services);
            if (run.Index < 0 || run.Index >= spec.Workers)
            {
                return ShareOrderResult.Drop($"Index {run.Index} is not a share of a job of {spec.Workers} share(s)");
            }

            var plugin = services.Jobs.Find(spec.Plugin)!;
            return new ShareOrderResult(new ShareWork(plugin, spec.Config, JobSpec.Shares(spec.Input, spec.Workers)[run.Index]), null, null);
        }
        catch (CommandRejectedException e)
        {
            return ShareOrderResult.Refuse($"this node refuses the job's spec ({e.Code}): {e.Reason}");
        }
    }
}

/// <summary>A share to run: its plugin, config and rows.</summary>
public sealed record ShareWork(IJobPlugin Plugin, JsonObject Config, JobShare Share);

/// <summary>The outcome of <see cref="ShareOrder.Open"/>: <see cref="Work"/>, or a <see cref="Refusal"/> to sign, or a <see cref="Dropped"/> reason (no answer).</summary>
public sealed record ShareOrderResult(ShareWork? Work, string? Refusal, string? Dropped)
{
    public static ShareOrderResult Drop(string reason) => new(null, null, reason);

    public static ShareOrderResult Refuse(string reason) => new(null, reason, null);
}

using System.Text.Json.Nodes;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Actors.Jobs;

/// <summary>The checks of a job command, made at the front door (so bad commands never wake a job) and again by the job.</summary>
public static class JobFrontDoor
{
    /// <summary>Only a job's owner starts or reads it.</summary>
    public static void RequireOwner(CommandEnvelope command)
    {
        if (AccessRule.RefuseUnlessOwnerOrOperator(command.Signer, command.Owner, $"job {command.PipelineName}", operatorId: null) is { } notOwner)
        {
            throw notOwner;
        }
    }

    /// <summary>The spec a <c>START_JOB</c> carries, valid and named as the command's job.</summary>
    public static JobSpec ValidateStart(CommandEnvelope command, PipelineServices services)
    {
        if (command.Payload is not JsonObject payload)
        {
            throw new CommandRejectedException(RejectionCodes.InvalidSpec, $"PAYLOAD: {JobActions.Start} needs the job spec, a JSON object");
        }

        var result = JobSpec.Parse(payload, services.Jobs, services.Settings);
        if (result.Spec is null)
        {
            throw new CommandRejectedException(result.IsUnknownPlugin ? RejectionCodes.UnknownJobPlugin : RejectionCodes.InvalidSpec, result.ErrorText);
        }

        if (result.Spec.Name != command.PipelineName)
        {
            throw new CommandRejectedException(RejectionCodes.InvalidSpec, $"{JobSpec.NameKey}: must be '{command.PipelineName}', the job the command names");
        }

        return result.Spec;
    }
}

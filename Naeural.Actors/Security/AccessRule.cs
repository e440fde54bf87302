using Naeural.Actors.Commands;

namespace Naeural.Actors.Security;

/// <summary>
/// Who may command a node, the one rule its front door, its entities and placement share (the original's
/// <c>EE_SECURED</c>). Unsecured (the default): an empty allow-list admits every owner, a non-empty one only the owners on
/// it. Secured: only the owners on the allow-list, even when it is empty. Either way the node's own operator key (the node
/// id) is admitted as a signer; as an owner only when no other signer is known (placement asks without one), so naming the
/// operator as <c>OWNER</c> opens nothing to anyone else.
/// </summary>
public static class AccessRule
{
    /// <summary>True when the node runs work for <paramref name="owner"/> (commanded by <paramref name="signer"/>, when known).</summary>
    public static bool Admits(bool secured, IEnumerable<string> allowedOwners, string operatorId, string owner, string? signer = null)
    {
        if (IsSame(signer, operatorId) || (signer is null && IsSame(owner, operatorId)))
        {
            return true;
        }

        var any = false;
        foreach (var allowed in allowedOwners)
        {
            any = true;
            if (IsSame(allowed, owner))
            {
                return true;
            }
        }

        return !secured && !any;
    }

    /// <summary>Why a command for <paramref name="owner"/> is refused (<c>NOT_ALLOWED</c>), naming the node's mode.</summary>
    public static string Refusal(bool secured, string nodeId, string owner) => secured
        ? $"node {nodeId} is SECURED: it runs work only for the owners on its allow-list and its operator, and {owner} is not one of them"
        : $"node {nodeId} runs work only for the owners on its allow-list (--allow), and {owner} is not on it";

    /// <summary>
    /// Who may command a pipeline once the node admits its owner: the owner, or this node's operator (to stop what runs on its
    /// machine); a job, only its owner. Null when <paramref name="signer"/> may, else the <c>NOT_OWNER</c> refusal. The one
    /// rule of the front door, the pipeline entity and the job front door.
    /// </summary>
    /// <param name="what">What is commanded, as the refusal names it: "pipeline p1", "job j1".</param>
    /// <param name="operatorId">This node's id (its operator's key), or null where only the owner may.</param>
    public static CommandRejectedException? RefuseUnlessOwnerOrOperator(string signer, string owner, string what, string? operatorId)
    {
        if (IsSame(signer, owner) || (operatorId is not null && IsSame(signer, operatorId)))
        {
            return null;
        }

        return new CommandRejectedException(RejectionCodes.NotOwner,
            $"{signer} is not the owner of {what} ({owner}){(operatorId is null ? "" : " nor this node's operator")}");
    }

    private static bool IsSame(string? a, string b) => a is not null && AccountAddress.Same(a, b);
}

using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Commands;

/// <summary>Who may read what (pure): an owner its own data, this node's operator (the node key) anything the node holds.</summary>
public static class ReadAccess
{
    /// <summary>Null when <paramref name="read"/>'s signer may have its answer from the node <paramref name="nodeId"/>, else why not.</summary>
    public static CommandRejectedException? Refusal(CommandEnvelope read, string nodeId)
    {
        var target = read.Payload is JsonObject fields && fields[ReadActions.NodeField] is JsonValue node && node.TryGetValue<string>(out var named)
            ? named
            : null;
        if (!AccountAddress.Same(target, nodeId))
        {
            return new CommandRejectedException(RejectionCodes.WrongNode,
                $"a read names the node it asks ({SignedCommand.PayloadField}.{ReadActions.NodeField}): this is {nodeId}, the read names {target ?? "none"}");
        }

        var isOperator = AccountAddress.Same(read.Signer, nodeId);
        if (isOperator)
        {
            return null;
        }

        if (read.Action == ReadActions.BillingOwners)
        {
            return new CommandRejectedException(RejectionCodes.NotOwner, $"only this node's operator ({nodeId}) lists the owners it bills");
        }

        if (read.Action == ReadActions.Pipelines && WantsAll(read))
        {
            return new CommandRejectedException(RejectionCodes.NotOwner, $"only this node's operator ({nodeId}) lists every owner's pipelines");
        }

        return AccountAddress.Same(read.Signer, read.Owner)
            ? null
            : new CommandRejectedException(RejectionCodes.NotOwner, $"{read.Signer} may not read what belongs to {read.Owner}: only its owner or this node's operator");
    }

    /// <summary>A pipeline listing that asks for everyone's (<c>{"ALL": true}</c>).</summary>
    public static bool WantsAll(CommandEnvelope read) =>
        read.Payload is JsonObject payload && payload[ReadActions.AllField] is JsonValue all && all.TryGetValue<bool>(out var value) && value;

    /// <summary>An optional non-negative integer field of the read's payload; a malformed one is refused.</summary>
    public static long Number(CommandEnvelope read, string field, long fallback, long max = long.MaxValue)
    {
        if (read.Payload is not JsonObject payload || payload[field] is null)
        {
            return fallback;
        }

        return payload[field] is JsonValue value && value.TryGetValue<long>(out var number) && number >= 0 && number <= max
            ? number
            : throw new CommandRejectedException(RejectionCodes.Malformed, $"{SignedCommand.PayloadField}.{field} must be an integer 0..{max}");
    }
}

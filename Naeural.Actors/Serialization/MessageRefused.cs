namespace Naeural.Actors.Serialization;

/// <summary>Which side of a node boundary refused a message.</summary>
public enum RefusalSide
{
    /// <summary>This node refused to serialize an outgoing message.</summary>
    Outbound,

    /// <summary>This node refused to deserialize a message a peer sent.</summary>
    Inbound,
}

/// <summary>
/// Published on the refusing node's event stream (and logged) whenever the serializer refuses a message:
/// its type is not on the allow-list, or it is larger than the configured limit.
/// </summary>
public sealed record MessageRefused(string TypeName, RefusalSide Side, string Reason);

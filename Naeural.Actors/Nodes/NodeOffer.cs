using System.Collections.Immutable;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Nodes;

/// <summary>What the node's operator configured it to offer: name, tags, whom it serves, at what price, and which models.</summary>
/// <param name="Secured">Secured mode: only <paramref name="AllowedOwners"/> (and the operator), even when empty.</param>
[WireName("nodes.node-offer")]
public sealed record NodeOffer(
    string Alias,
    ImmutableArray<string> Tags,
    ImmutableArray<string> AllowedOwners,
    long PricePerUnit,
    ImmutableArray<string> Models = default,
    bool Secured = false)
{
    public ImmutableArray<string> Models { get; init; } = Models.IsDefault ? [] : Models;
}

using System.Collections.Immutable;

namespace Naeural.Actors.Nodes;

/// <summary>What the node's operator configured it to offer: name, tags, whom it serves, and at what price.</summary>
public sealed record NodeOffer(
    string Alias,
    ImmutableArray<string> Tags,
    ImmutableArray<string> AllowedOwners,
    long PricePerUnit);

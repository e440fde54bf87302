using Naeural.Actors.Placement;

namespace Naeural.Actors.Replication;

/// <summary>The members that hold a pipeline: the first <c>copies</c> that rendezvous hashing ranks for it, the same on every member.</summary>
public static class ReplicaSet
{
    public static IReadOnlyList<T> Of<T>(string pipelineId, IEnumerable<T> members, Func<T, string> nodeIdOf, int copies) =>
        [.. Rendezvous.Rank("replica:" + pipelineId, members, nodeIdOf).Take(Math.Max(1, copies))];
}

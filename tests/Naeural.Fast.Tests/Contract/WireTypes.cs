using Akka.Actor;
using Akka.Configuration;
using Naeural.Actors.Serialization;
using Naeural.Ledger;

namespace Naeural.Fast.Tests.Contract;

/// <summary>Every type a Naeural serializer may be asked for, and an actor system whose serializers take them all.</summary>
public static class WireTypes
{
    /// <summary>Client, member and stored types of the kernel and the ledger, and their local-only ones (a client may try to send those).</summary>
    public static IReadOnlyList<Type> All { get; } =
        [.. KernelMessages.Types.Concat(KernelMessages.LocalOnly).Concat(LedgerMessages.Types).Concat(LedgerMessages.LocalOnly).Distinct()];

    /// <summary>What a node's serializer takes (clients', members' and stored types; no local-only one).</summary>
    public static IReadOnlyList<Type> OfNodes { get; } = [.. KernelMessages.Types, .. LedgerMessages.Types];

    /// <summary>What journals and snapshot stores hold.</summary>
    public static IReadOnlyList<Type> Stored { get; } = [.. KernelMessages.Stored, .. LedgerMessages.Stored];

    public static ActorSystem System(string name, WireFormat format = WireFormat.Contract) =>
        ActorSystem.Create(name, SerializationConfig.For(All, [], SerializationConfig.InfrastructureSelectionPaths, SerializationConfig.DefaultMaxMessageBytes, format)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));

    public static string GoldenDirectory(string format)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Naeural.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Naeural.sln not found above the test binaries"),
            "tests", "Naeural.Fast.Tests", "Golden", format);
    }
}

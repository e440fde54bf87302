namespace Naeural.Actors.Serialization;

/// <summary>
/// The stable name a type goes by on the wire and in journals and snapshots: the manifest <see cref="ContractSerializer"/>
/// writes beside its bytes. It is declared once and never changes, whatever the CLR type is later called or wherever it
/// moves; a type may only take a new name by keeping its old one readable (<see cref="Aliases"/>). Every type on a
/// serializer allow-list carries one (<see cref="MessageAllowList"/> refuses to start otherwise).
/// </summary>
/// <remarks>
/// Evolution rule of the fields (JSON property names, <see cref="ContractSerializer"/>): a field may be added (readers of
/// older bytes see its default) and removed (its value in older bytes is ignored); a field is never renamed or given another
/// meaning or type, since older bytes would then read as something they never said (the golden files under
/// <c>tests/Naeural.Fast.Tests/Golden</c> catch both).
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum, Inherited = false)]
public sealed class WireNameAttribute(string name) : Attribute
{
    /// <summary>The name, e.g. <c>pipelines.pipeline-created</c>: lowercase, dotted area, dashed words.</summary>
    public string Name { get; } = name;

    /// <summary>Earlier names of the type still read (never written).</summary>
    public string[] Aliases { get; init; } = [];
}

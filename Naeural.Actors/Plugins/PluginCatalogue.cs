using System.Collections.Frozen;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins.BuiltIn;
using Naeural.Actors.Plugins.CustomCode;

namespace Naeural.Actors.Plugins;

/// <summary>How to make and validate one kind of plugin.</summary>
public sealed record PluginDescriptor(string Signature, string Description, Func<IBusinessPlugin> Create, Action<ConfigReader> Validate);

/// <summary>
/// The plugins a node can run, by <c>SIGNATURE</c> (case-insensitive). Starts with the built-ins; a developer adds their own
/// plugin class with <see cref="With{T}"/>. Immutable: each <c>With</c> returns a new catalogue.
/// </summary>
public sealed class PluginCatalogue
{
    private readonly FrozenDictionary<string, PluginDescriptor> _bySignature;

    private PluginCatalogue(IEnumerable<PluginDescriptor> descriptors)
    {
        _bySignature = descriptors.ToFrozenDictionary(d => d.Signature, StringComparer.OrdinalIgnoreCase);
    }

    public static PluginCatalogue Empty { get; } = new([]);

    /// <summary>
    /// The built-in business plugins: a fresh catalogue each time (its <c>CUSTOM_EXEC</c> has its own compiler and compile cache,
    /// so nothing mutable is shared between the nodes of one process); a node takes one and keeps it.
    /// </summary>
    public static PluginCatalogue BuiltIn => Empty
        .With<ThresholdAlertPlugin>()
        .With<MovingWindowStatsPlugin>()
        .With<CounterPlugin>()
        .With<PassThroughPlugin>()
        .With<AnomalyDetectorPlugin>()
        .With<ImageStatsPlugin>()
        .With<OcrTextPlugin>()
        .With(CustomExecPlugin.Descriptor(new CustomCodeCompiler()));

    public IEnumerable<string> Signatures => _bySignature.Keys.Order(StringComparer.Ordinal);

    public IEnumerable<PluginDescriptor> Descriptors => _bySignature.Values;

    public PluginCatalogue With<T>() where T : IBusinessPlugin, IPluginDefinition, new() =>
        With(new PluginDescriptor(T.Signature, T.Description, () => new T(), T.Validate));

    public PluginCatalogue With(PluginDescriptor descriptor) =>
        new(_bySignature.Values.Where(d => !string.Equals(d.Signature, descriptor.Signature, StringComparison.OrdinalIgnoreCase))
            .Append(descriptor));

    public PluginDescriptor? Find(string signature) => _bySignature.GetValueOrDefault(signature);
}

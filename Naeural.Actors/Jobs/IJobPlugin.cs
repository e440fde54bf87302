using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Naeural.Actors.Jobs.BuiltIn;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs;

/// <summary>One worker's part of a job's input: rows <c>[Offset, Offset + Rows.Count)</c> of <c>INPUT</c>.</summary>
public sealed record JobShare(int Index, int Offset, IReadOnlyList<JsonNode?> Rows);

/// <summary>
/// A plugin of a distributed job: <see cref="MapAsync"/> turns one share into a partial result on a worker node,
/// <see cref="Reduce"/> turns every share's partial (in share order) into the job's result on the job's node. The result
/// must not depend on how the input was split: a job over N workers answers exactly what it answers over one.
/// </summary>
public interface IJobPlugin
{
    /// <summary>The name a job spec's <c>PLUGIN</c> uses (matched case-insensitively).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Every problem with the job's <c>CONFIG</c> and <c>INPUT</c>, each naming its field (<c>CONFIG.K</c>, <c>INPUT[3]</c>).</summary>
    IEnumerable<SpecError> Validate(JsonObject config, IReadOnlyList<JsonNode?> input);

    ValueTask<JsonNode> MapAsync(JobShare share, JsonObject config, CancellationToken cancellationToken);

    JsonNode Reduce(IReadOnlyList<JsonNode> partials, JsonObject config);
}

/// <summary>The job plugins a node can run, by name (case-insensitive). Immutable: <see cref="With"/> returns a new catalogue.</summary>
public sealed class JobCatalogue
{
    private readonly FrozenDictionary<string, IJobPlugin> _byName;

    private JobCatalogue(IEnumerable<IJobPlugin> plugins) =>
        _byName = plugins.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static JobCatalogue Empty { get; } = new([]);

    /// <summary><c>STATS</c> and <c>TOP_K</c>.</summary>
    public static JobCatalogue BuiltIn { get; } = Empty.With(new StatsJobPlugin()).With(new TopKJobPlugin());

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public JobCatalogue With(IJobPlugin plugin) =>
        new(_byName.Values.Where(p => !string.Equals(p.Name, plugin.Name, StringComparison.OrdinalIgnoreCase)).Append(plugin));

    public IJobPlugin? Find(string name) => _byName.GetValueOrDefault(name);
}

using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>The generated entry point of compiled custom code.</summary>
public delegate JsonObject? CustomCodeEntry(CustomCodeFrame? input, JsonObject state, CustomCodeConfig config, CustomCodeApi plugin, CustomCodeBudget budget);

/// <summary>
/// Loads compiled custom code into a collectible <see cref="AssemblyLoadContext"/> of its own, once per code hash, shared by
/// every instance running that code (reference counted by <see cref="CustomCodeLease"/>). When the last lease goes (instances
/// removed, or their code replaced) the context is unloaded; the runtime frees it once no running call still uses it.
/// </summary>
public sealed class CustomCodeLoader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LoadedCode> _loaded = new(StringComparer.Ordinal);

    /// <summary>How many distinct pieces of code are loaded now.</summary>
    public int LoadedCount
    {
        get
        {
            lock (_gate)
            {
                return _loaded.Count;
            }
        }
    }

    public CustomCodeLease Acquire(CompiledCode code)
    {
        if (!code.IsValid)
        {
            throw new ArgumentException("refused code can't be loaded", nameof(code));
        }

        lock (_gate)
        {
            if (!_loaded.TryGetValue(code.Hash, out var loaded))
            {
                _loaded[code.Hash] = loaded = LoadedCode.Load(code);
            }

            loaded.References++;
            return new CustomCodeLease(this, loaded);
        }
    }

    internal void Release(LoadedCode loaded)
    {
        lock (_gate)
        {
            if (--loaded.References == 0)
            {
                _loaded.Remove(loaded.Hash);
                loaded.Context.Unload();
            }
        }
    }
}

/// <summary>One piece of code loaded in its own collectible context.</summary>
internal sealed class LoadedCode
{
    private LoadedCode(string hash, AssemblyLoadContext context, Assembly assembly, CustomCodeEntry entry, int firstLine)
    {
        Hash = hash;
        Context = context;
        Assembly = assembly;
        Entry = entry;
        FirstLine = firstLine;
    }

    public string Hash { get; }

    public AssemblyLoadContext Context { get; }

    public Assembly Assembly { get; }

    public CustomCodeEntry Entry { get; }

    public int FirstLine { get; }

    public int References { get; set; }

    public static LoadedCode Load(CompiledCode code)
    {
        var context = new AssemblyLoadContext($"custom-code-{code.Hash[..16]}", isCollectible: true);
        using var image = new MemoryStream(code.Image!);
        using var symbols = new MemoryStream(code.Symbols!);
        var assembly = context.LoadFromStream(image, symbols);
        var entry = assembly.GetType("__CustomCode", throwOnError: true)!.GetMethod("__Run")!.CreateDelegate<CustomCodeEntry>();
        return new LoadedCode(code.Hash, context, assembly, entry, code.FirstLine);
    }
}

/// <summary>An instance's hold on loaded code; disposing it lets the code unload once no instance holds it.</summary>
public sealed class CustomCodeLease : IDisposable
{
    private readonly CustomCodeLoader _loader;
    private LoadedCode? _loaded;

    internal CustomCodeLease(CustomCodeLoader loader, LoadedCode loaded)
    {
        _loader = loader;
        _loaded = loaded;
        Entry = loaded.Entry;
        Assembly = loaded.Assembly;
        FirstLine = loaded.FirstLine;
        Context = new WeakReference(loaded.Context);
    }

    public CustomCodeEntry Entry { get; }

    internal Assembly Assembly { get; }

    internal int FirstLine { get; }

    /// <summary>The load context, weakly: dead once the code is unloaded and collected.</summary>
    public WeakReference Context { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _loaded, null) is { } loaded)
        {
            _loader.Release(loaded);
        }
    }
}

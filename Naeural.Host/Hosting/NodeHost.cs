using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Actors.Capture;
using Naeural.Actors.Inference;
using Naeural.Actors.Jobs;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Host.Http;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using Naeural.Ledger.Signing;
using Naeural.Ledger.Identity;
using Naeural.Actors.Security;

namespace Naeural.Host.Hosting;

/// <summary>
/// Builds a node: settings from appsettings.json, <c>NAEURAL__*</c> environment variables and command-line flags,
/// the node's identity from its data folder, its actor system (<see cref="NaeuralAkkaSetup"/>) and its HTTP API and dashboard
/// (<see cref="HttpApiServer"/>, whose bound address tests read from the service). Tests and benchmarks build in-process
/// nodes through the same path.
/// </summary>
public static class NodeHost
{
    /// <summary>A node configured from the process's settings and <paramref name="args"/>.</summary>
    public static IHost Build(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddCommandLine(args, CommandLineFlags.Mappings);
        var options = NodeOptions.From(builder.Configuration);
        return Build(builder, options, [], null, null, null, null);
    }

    /// <summary>
    /// A node with exactly these settings (no appsettings, environment or flags), for tests and benchmarks: optionally
    /// more message types on its serializer allow-list, more actors or settings on its actor system, other plugin or job catalogues.
    /// </summary>
    public static IHost Build(
        NodeOptions options,
        IEnumerable<Type>? extraMessageTypes = null,
        Action<AkkaConfigurationBuilder>? customize = null,
        LogLevel minimumLogLevel = LogLevel.Warning,
        PluginCatalogue? plugins = null,
        IResourceProbe? resourceProbe = null,
        JobCatalogue? jobs = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(minimumLogLevel);
        return Build(builder, options, extraMessageTypes ?? [], customize, plugins, resourceProbe, jobs);
    }

    private static IHost Build(
        HostApplicationBuilder builder,
        NodeOptions options,
        IEnumerable<Type> extraMessageTypes,
        Action<AkkaConfigurationBuilder>? customize,
        PluginCatalogue? plugins,
        IResourceProbe? resourceProbe,
        JobCatalogue? jobs)
    {
        options.Validate();
        Directory.CreateDirectory(options.FullDataDirectory); // the embedded journal lives there, wherever the key comes from
        var identity = options.NodeKey is { } key ? NodeKey.FromPrivateKeyHex(key) : NodeKeyStore.LoadOrCreate(options.FullDataDirectory);
        // The models this node serves: its catalogue with the ONNX files of its models folder (checked once, here).
        var (models, unservable) = ModelFiles.WithOnnxModels(options.FullDataDirectory, ModelCatalogue.BuiltIn);
        var sources = SourceCatalogue.BuiltIn.WithAccess(options.Sources.Access(options.FullDataDirectory));
        Directory.CreateDirectory(sources.Access.Files!.Folder); // where the operator puts the files tenants may replay
        var pipelines = new PipelineServices(identity.Address, identity, new Secp256k1Verifier(), sources,
            plugins ?? PluginCatalogue.BuiltIn, options.Pipelines with { NetworkId = options.NetworkId }, TimeProvider.System,
            new HashSet<string>(options.AllowedOwnerList, AccountAddress.Comparer))
        {
            Jobs = jobs ?? JobCatalogue.BuiltIn,
            Secured = options.Secured,
            PayloadCipher = identity,
            Replicated = PersistenceConfig.ReplicatesLedger(options) && options.PipelineReplicas > 1,
            Models = ServedModels.From(models.Names.Select(n => models.Find(n)!).Select(m => (m.Name, m.InputShape, m.OutputSize)),
                ModelFiles.FolderOf(options.FullDataDirectory)),
        };
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(identity);
        var admission = options.Admission(identity.Address);
        builder.Services.AddSingleton(admission);
        builder.Services.AddSingleton(pipelines);
        var settlement = new NodeSettlement(options, identity);
        builder.Services.AddSingleton(settlement);
        builder.AddNodeTelemetry(options, identity.Address);

        // Before the actor system's own hosted service: a shared database gets its tables before the first persistent actor.
        builder.Services.AddHostedService<PersistenceSchema>();
        builder.Services.AddHostedService<EvmChainCheck>();
        builder.Services.AddAkka(NaeuralAkkaSetup.SystemName, (akka, _) =>
        {
            akka.AddNaeuralNode(options, identity, admission, (models, unservable), resourceProbe ?? new TorchResourceProbe(new SystemResourceProbe()), pipelines, settlement,
                Naeural.Ledger.LedgerMessages.Types.Concat(extraMessageTypes));
            customize?.Invoke(akka);
        });
        // After the actor system (the edge routes to its actors), so stopped before it; before the banner, which prints its address.
        builder.Services.AddSingleton<EdgeHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EdgeHost>());
        // After the actor system (the HTTP endpoints talk to its actors), so stopped before it; before the banner, which prints its address.
        builder.Services.AddSingleton<HttpApiServer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HttpApiServer>());
        builder.Services.AddHostedService<NodeBanner>();
        return builder.Build();
    }
}

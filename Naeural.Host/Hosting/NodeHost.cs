using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Actors.Nodes;
using Naeural.Ledger.Identity;

namespace Naeural.Host.Hosting;

/// <summary>
/// Builds a node: settings from appsettings.json, <c>NAEURAL__*</c> environment variables and command-line flags,
/// the node's identity from its data folder, and its actor system (<see cref="NaeuralAkkaSetup"/>). Tests and
/// benchmarks build in-process nodes through the same path.
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
        builder.Configuration.AddEnvironmentVariables("NAEURAL_");
        builder.Configuration.AddCommandLine(args, CommandLineFlags.Mappings);
        var options = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        return Build(builder, options);
    }

    /// <summary>A node with exactly these settings (no appsettings, environment or flags): for tests and benchmarks.</summary>
    public static IHost Build(NodeOptions options, LogLevel minimumLogLevel = LogLevel.Warning)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(minimumLogLevel);
        return Build(builder, options);
    }

    private static IHost Build(HostApplicationBuilder builder, NodeOptions options)
    {
        options.Validate();
        var identity = NodeKeyStore.LoadOrCreate(options.FullDataDirectory);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(identity);
        builder.Services.AddAkka(NaeuralAkkaSetup.SystemName, (akka, _) =>
            akka.AddNaeuralNode(options, identity, new SystemResourceProbe(), extraMessageTypes: []));
        builder.Services.AddHostedService<NodeBanner>();
        return builder.Build();
    }
}

using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Actors.Pipelines;
using Naeural.Host.Http;
using Naeural.Inference.Models;
using Naeural.Ledger.Identity;

namespace Naeural.Host.Hosting;

/// <summary>
/// Tells the operator who the node is, where it listens, and how to join another node to it, once the node is a member
/// of the network. The <c>naeural: node up</c> line is also what scripts and tests wait for. The same moment is logged as
/// one structured event (<c>NodeId</c>, <c>Address</c>, <c>EdgeAddress</c>, <c>DataDirectory</c>, <c>Persistence</c>), so
/// a node run with <c>--log-format json</c> or an OTLP log exporter tells its log store that it is up, and who it is.
/// </summary>
public sealed class NodeBanner(ActorSystem system, NodeKey identity, NodeOptions options, HttpApiServer http, EdgeHost edge, PipelineServices pipelines,
    ILogger<NodeBanner> log)
    : IHostedService
{
    /// <summary>The start of the line printed when the node is an up member of the network.</summary>
    public const string UpMarker = "naeural: node up";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(() =>
        {
            var address = cluster.SelfAddress;
            var clients = edge.Address!;
            var seeds = options.SeedList.Count == 0 ? "none (this node seeded its own network)" : string.Join(", ", options.SeedList);
            var dashboard = http.Address is null ? "off (--http true to serve it)"
                : options.Http.ReadToken.Length > 0 ? $"{http.Address}?token=<your --http-token>   (JSON API under /api with Authorization: Bearer <token>)"
                : $"{http.Address}   (JSON API under /api, e.g. {http.Address}api/nodes)";
            var httpFlag = http.Address is null ? "" : $" --http-port {(options.Http.Port == 0 ? 0 : http.Address.Port + 1)}";
            // The joining node admits this one; this one must admit it too (add its id to --admit here, or grant it a licence).
            var tls = options.TlsEnabled ? $" --admit {identity.Address}" + (options.AdmitLicensed ? " --admit-licensed" : "") : "";
            var admitted = options.AdmitList.Count + " on --admit" + (options.AdmitLicensed ? ", licence holders" : "");
            var models = string.Join(", ", pipelines.Models.All.Select(m => $"{m.Name} [{string.Join("×", m.InputShape)}]"));
            var mode = (options.Secured ? "secured" : "unsecured")
                       + (options.TlsEnabled ? $", mutual TLS with a certificate bound to the node key; admits: itself, {admitted}" : ", plain TCP (loopback only)");
            log.LogInformation("Node {NodeId} is up at {Address}; clients connect at {EdgeAddress}; data in {DataDirectory} ({Persistence})",
                identity.Address, address.ToString(), clients.ToString(), options.FullDataDirectory, TypedSettings.Name(options.Persistence));
            Console.WriteLine($"""
                {UpMarker} id={identity.Address} address={address} edge={clients}{(http.Address is null ? "" : $" dashboard={http.Address}")}
                  Node id:   {identity.Address}   ({(options.NodeKey is null ? "key in " + Path.Combine(options.FullDataDirectory, NodeKeyStore.FileName) : "key from --node-key")})
                  Address:   {address}   (nodes only)
                  Clients:   {clients}   (the client edge: --node for the CLI, NaeuralClient.Connect)
                  Dashboard: {dashboard}
                  Seeds:     {seeds}
                  Data:      {options.FullDataDirectory} ({TypedSettings.Name(options.Persistence)})
                  Security:  {mode}
                  Models:    {models}   (ONNX files in {ModelFiles.FolderOf(options.FullDataDirectory)}; OCR: scripts/fetch-ocr-models.sh there)
                  Ledger:    {(options.Ledger.IsEvm ? $"the NaeuralLedger contract {options.Ledger.EvmContract} on {options.Ledger.EvmUrl} (chain {options.Ledger.EvmChainId})" : "the network's embedded ledger")}
                  Join another node to this one:
                    dotnet run --project Naeural.Host -- --port {address.Port + 2}{httpFlag} --data ./data-{address.Port + 2} --seed {address}{tls}
                  Deploy the demo pipeline (synthetic sensor -> anomaly autoencoder -> alert, + moving stats) and watch it:
                    dotnet run --project Naeural.Host -- train anomaly --data {options.FullDataDirectory}
                    dotnet run --project Naeural.Host -- pipeline deploy examples/demo-pipeline.json --node {clients}
                    dotnet run --project Naeural.Host -- payloads demo --follow --node {clients}
                  Stop with Ctrl+C (the node leaves the network gracefully).
                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

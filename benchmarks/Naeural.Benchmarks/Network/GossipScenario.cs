using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Host.Hosting;
using Naeural.Testing;

namespace Naeural.Benchmarks.Network;

/// <summary>
/// What an idle network costs each node on the wire: bytes each node's Akka remoting sends per second (cluster gossip,
/// DData gossip, failure-detector heartbeats, pub-sub, sharding, signed node heartbeats, directory refreshes), counted by
/// <see cref="ByteCountingTransportAdapter"/> on in-process nodes, over a fixed window once the network has settled.
/// For each network size the baseline is the same nodes, in the same run, before any pipeline is deployed; then pipelines
/// (a <c>Void</c> source with one <c>COUNTER</c> instance: idle, reporting on schedule, no subscriber) are deployed in
/// steps up to each count and the window is measured again. Every node runs with the node's default heartbeat period and
/// the same generous failure detection (10 in-process members on 2 cores need it).
/// A scenario rather than a BenchmarkDotNet class: a measurement is a window of wall time on a live network.
/// </summary>
public static class GossipScenario
{
    private sealed record Settings(int[] Nodes, int[] Pipelines, TimeSpan Window, TimeSpan Settle, TimeSpan DeployTimeout);

    private sealed record Cell(int Nodes, int Pipelines, double MeanSent, double MinSent, double MaxSent, double FramesPerNode, double ReceivedShare, string Note);

    /// <summary><c>gossip [--nodes 3,5,10] [--pipelines 100,1000] [--window 20] [--settle 10] [--deploy-timeout 600]</c> (seconds).</summary>
    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        var settings = Parse(args);
        var calibration = await ByteCountCalibration.RunAsync();
        Console.WriteLine($"calibration: {calibration.Messages} × {calibration.MessageBytes:N0}-byte messages ({calibration.Payload:N0} bytes) → " +
            $"sender wrote {calibration.Sender.SentBytes:N0} bytes in {calibration.Sender.SentFrames:N0} frames, receiver read {calibration.Receiver.ReceivedBytes:N0}; " +
            $"{calibration.OverheadPerMessage:F0} bytes of envelope per message: {(calibration.Plausible ? "plausible" : "NOT PLAUSIBLE")}");
        if (!calibration.Plausible)
        {
            throw new InvalidOperationException("the byte counter does not count what was sent; no figures");
        }

        var cells = new List<Cell>();
        foreach (var nodes in settings.Nodes)
        {
            cells.AddRange(await MeasureNetworkAsync(nodes, settings));
        }

        Console.WriteLine();
        Console.WriteLine($"| nodes | pipelines | sent per node (mean) | min – max over nodes | frames per node | ratio to 0 pipelines |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var cell in cells)
        {
            var baseline = cells.First(c => c.Nodes == cell.Nodes && c.Pipelines == 0);
            var ratio = double.IsNaN(cell.MeanSent) ? "" : (cell.MeanSent / baseline.MeanSent).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine(double.IsNaN(cell.MeanSent)
                ? $"| {cell.Nodes} | {cell.Pipelines:N0} | {cell.Note} | | | |"
                : $"| {cell.Nodes} | {cell.Pipelines:N0}{(cell.Pipelines == 0 ? " (baseline)" : "")} | {Kb(cell.MeanSent)}/s | {Kb(cell.MinSent)} – {Kb(cell.MaxSent)} | {cell.FramesPerNode:F0}/s | {ratio} |");
        }

        Console.WriteLine($"(window {settings.Window.TotalSeconds:F0} s after {settings.Settle.TotalSeconds:F0} s of settling; KB = 1,000 bytes of Akka PDUs, " +
            "without the 4-byte frame prefix and TCP/IP headers)");
    }

    private static async Task<List<Cell>> MeasureNetworkAsync(int nodes, Settings settings)
    {
        Console.WriteLine($"starting {nodes} in-process nodes…");
        var heartbeat = new NodeOptions().HeartbeatSeconds; // the node's default, not the test network's faster one
        await using var network = await InProcessNetwork.StartAsync(nodes, _ => new NodeCustomization(
            Options: o => (o.HeartbeatSeconds, o.UnreachableAfterSeconds) = (heartbeat, 10),
            Akka: akka => akka.AddHocon(ByteCountingTransportAdapter.Hocon, HoconAddMode.Prepend)));
        await WaitForRegionsAsync(network);

        var cells = new List<Cell> { await MeasureAsync(network, 0, settings) };
        var developer = new Developer();
        var client = NaeuralClient.ForNode(network[0].System, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromMinutes(10) });
        var deployed = 0;
        foreach (var target in settings.Pipelines)
        {
            var clock = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(settings.DeployTimeout);
            try
            {
                await DeployAsync(client, deployed, target, deadline.Token);
                await WaitListedAsync(network, developer, target, deadline.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or PipelineCommandException)
            {
                var placed = (await developer.ClientFor(network[0]).GetPipelinesAsync()).Count;
                var why = e is PipelineCommandException refused ? $"a deploy failed: {refused.Message}" : "--deploy-timeout";
                var note = $"not measured: {placed:N0} of {target:N0} listed after {clock.Elapsed.TotalSeconds:F0} s ({why})";
                Console.WriteLine($"{nodes} nodes: {note}");
                cells.AddRange(settings.Pipelines.Where(p => p >= target).Select(p => new Cell(nodes, p, double.NaN, 0, 0, 0, 0, note)));
                break;
            }

            Console.WriteLine($"{nodes} nodes: {target:N0} pipelines deployed and listed on every node in {clock.Elapsed.TotalSeconds:F1} s");
            deployed = target;
            cells.Add(await MeasureAsync(network, target, settings));
        }

        return cells;
    }

    private static async Task<Cell> MeasureAsync(InProcessNetwork network, int pipelines, Settings settings)
    {
        await Task.Delay(settings.Settle);
        var before = network.Nodes.Select(n => TransportCounters.For(n.System).Read()).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Window);
        var window = network.Nodes.Select((n, i) => TransportCounters.For(n.System).Read() - before[i]).ToArray();
        var seconds = clock.Elapsed.TotalSeconds;
        var sent = window.Select(w => w.SentBytes / seconds).ToArray();
        var (totalSent, totalReceived) = (window.Sum(w => w.SentBytes), window.Sum(w => w.ReceivedBytes));
        var cell = new Cell(network.Nodes.Count, pipelines, sent.Average(), sent.Min(), sent.Max(),
            window.Average(w => w.SentFrames) / seconds, totalReceived / (double)totalSent, "");
        Console.WriteLine($"{cell.Nodes} nodes, {pipelines:N0} pipelines: {Kb(cell.MeanSent)}/s sent per node " +
            $"(per node: {string.Join(", ", sent.Select(Kb))}); received/sent over all nodes {cell.ReceivedShare:F3}");
        return cell;
    }

    private static async Task DeployAsync(NaeuralClient client, int from, int to, CancellationToken cancellation)
    {
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(from, to - from).Select(async i =>
        {
            await gate.WaitAsync(cancellation);
            try
            {
                await client.DeployAsync(Spec($"idle-{i:00000}"), cancellation);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Until every node's directory lists all of them running: the gossip that follows a deploy has passed.</summary>
    private static async Task WaitListedAsync(InProcessNetwork network, Developer developer, int count, CancellationToken cancellation)
    {
        foreach (var node in network.Nodes)
        {
            var client = developer.ClientFor(node);
            while ((await client.GetPipelinesAsync(cancellationToken: cancellation)).Count(p => p.Status == PipelineStatus.Running) < count)
            {
                await Task.Delay(1_000, cancellation);
            }
        }
    }

    private static async Task WaitForRegionsAsync(InProcessNetwork network)
    {
        var region = ClusterSharding.Get(network[0].System).ShardRegion(PipelineEntity.TypeName);
        while ((await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count < network.Nodes.Count)
        {
            await Task.Delay(200);
        }
    }

    private static string Spec(string name) =>
        $$"""{ "NAME": "{{name}}", "TYPE": "Void", "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "c" } ] } ] }""";

    private static string Kb(double bytes) => (bytes / 1_000).ToString("N1", CultureInfo.InvariantCulture) + " KB";

    private static Settings Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"gossip: expected --name value pairs, not '{string.Join(' ', args)}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int[] Counts(string name, string fallback) => [.. values.GetValueOrDefault(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
        var unknown = values.Keys.Except(["nodes", "pipelines", "window", "settle", "deploy-timeout"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"gossip: unknown option(s) {string.Join(", ", unknown.Select(u => "--" + u))}");
        }

        var pipelines = Counts("pipelines", "100,1000");
        if (pipelines.Any(p => p <= 0) || !pipelines.SequenceEqual(pipelines.Order()))
        {
            throw new ArgumentException("gossip: --pipelines must be positive and increasing (each step deploys the difference)");
        }

        return new Settings(Counts("nodes", "3,5,10"), pipelines, Seconds("window", 20), Seconds("settle", 10), Seconds("deploy-timeout", 600));
    }
}

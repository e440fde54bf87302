using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Actors.Telemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Naeural.Host.Hosting;

/// <summary>
/// The node's observability, set up in one place: structured logs (the console, as single lines or as JSON objects), and
/// OpenTelemetry: the node's metrics (<see cref="NodeMetrics"/>) and logs exported over OTLP when an endpoint is set, under
/// a resource that names the node (service <c>naeural-node</c>, instance = the node id, alias).
/// </summary>
public static class NodeTelemetry
{
    public const string ServiceName = "naeural-node";

    public static void AddNodeTelemetry(this HostApplicationBuilder builder, NodeOptions options, string nodeId)
    {
        var telemetry = options.Telemetry;
        if (telemetry.IsJson)
        {
            builder.Logging.ClearProviders().AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(ServiceName, serviceVersion: typeof(NodeTelemetry).Assembly.GetName().Version?.ToString(), serviceInstanceId: nodeId)
                .AddAttributes([new KeyValuePair<string, object>("naeural.node.alias", options.Alias)]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NodeMetrics.MeterName);
                if (telemetry.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, endpoint, telemetry.OtlpProtocol, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.ExportInterval.TotalMilliseconds;
                    });
                }
            });
        if (telemetry.OtlpEndpoint is { } logEndpoint)
        {
            otel.WithLogging(logging => logging.AddOtlpExporter(exporter => Configure(exporter, logEndpoint, telemetry.OtlpProtocol, "v1/logs")),
                logging => logging.IncludeScopes = true);
        }
    }

    /// <summary>gRPC takes the endpoint as it is; OTLP over HTTP posts each signal to its own path under it.</summary>
    private static void Configure(OtlpExporterOptions exporter, string endpoint, string protocol, string signalPath)
    {
        var http = protocol.Equals(TelemetryOptions.HttpProtobuf, StringComparison.OrdinalIgnoreCase);
        exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        exporter.Endpoint = http ? new Uri(endpoint.TrimEnd('/') + "/" + signalPath) : new Uri(endpoint);
    }
}

namespace Naeural.Host.Hosting;

/// <summary>The node's command-line flags and the settings they set.</summary>
public static class CommandLineFlags
{
    public static IDictionary<string, string> Mappings { get; } = new Dictionary<string, string>
    {
        ["--port"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Port)}",
        ["--hostname"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Hostname)}",
        ["--public-hostname"] = $"{NodeOptions.Section}:{nameof(NodeOptions.PublicHostname)}",
        ["--seed"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Seeds)}",
        ["--data"] = $"{NodeOptions.Section}:{nameof(NodeOptions.DataDirectory)}",
        ["--alias"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Alias)}",
        ["--tags"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Tags)}",
        ["--allow"] = $"{NodeOptions.Section}:{nameof(NodeOptions.AllowedOwners)}",
        ["--price"] = $"{NodeOptions.Section}:{nameof(NodeOptions.PricePerUnit)}",
        ["--heartbeat"] = $"{NodeOptions.Section}:{nameof(NodeOptions.HeartbeatSeconds)}",
        ["--epoch-seconds"] = $"{NodeOptions.Section}:{nameof(NodeOptions.EpochSeconds)}",
        ["--epoch-genesis"] = $"{NodeOptions.Section}:{nameof(NodeOptions.EpochGenesis)}",
        ["--unreachable-after"] = $"{NodeOptions.Section}:{nameof(NodeOptions.UnreachableAfterSeconds)}",
        ["--down-after"] = $"{NodeOptions.Section}:{nameof(NodeOptions.DownAfterSeconds)}",
        ["--rebalance"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Rebalance)}",
        ["--persistence"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Persistence)}",
        ["--connection-string"] = $"{NodeOptions.Section}:{nameof(NodeOptions.ConnectionString)}",
        ["--inference-workers"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Inference)}:{nameof(InferenceOptions.Workers)}",
        ["--max-batch"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Inference)}:{nameof(InferenceOptions.MaxBatch)}",
        ["--receipt-period"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Metering)}:{nameof(MeteringOptions.ReceiptPeriodSeconds)}",
        ["--credit-limit"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Metering)}:{nameof(MeteringOptions.CreditLimit)}",
        ["--mint-authority"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Ledger)}:{nameof(LedgerOptions.MintAuthorities)}",
        ["--log-format"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Telemetry)}:{nameof(TelemetryOptions.LogFormat)}",
        ["--otlp-endpoint"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Telemetry)}:{nameof(TelemetryOptions.OtlpEndpoint)}",
        ["--otlp-protocol"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Telemetry)}:{nameof(TelemetryOptions.OtlpProtocol)}",
        ["--metrics-interval"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Telemetry)}:{nameof(TelemetryOptions.ExportIntervalSeconds)}",
        ["--node-key"] = $"{NodeOptions.Section}:{nameof(NodeOptions.NodeKey)}",
        ["--settlement"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Ledger)}:{nameof(LedgerOptions.Settlement)}",
        ["--evm-url"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Ledger)}:{nameof(LedgerOptions.EvmUrl)}",
        ["--evm-contract"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Ledger)}:{nameof(LedgerOptions.EvmContract)}",
        ["--evm-chain-id"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Ledger)}:{nameof(LedgerOptions.EvmChainId)}",
        ["--http"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Http)}:{nameof(HttpOptions.Enabled)}",
        ["--http-hostname"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Http)}:{nameof(HttpOptions.Hostname)}",
        ["--http-port"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Http)}:{nameof(HttpOptions.Port)}",
        ["--max-wait-ms"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Inference)}:{nameof(InferenceOptions.MaxWaitMs)}",
    };
}

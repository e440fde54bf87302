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
        ["--secured"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Secured)}",
        ["--tls-certificate"] = $"{NodeOptions.Section}:{nameof(NodeOptions.TlsCertificate)}",
        ["--tls-password"] = $"{NodeOptions.Section}:{nameof(NodeOptions.TlsPassword)}",
        ["--tls-ca"] = $"{NodeOptions.Section}:{nameof(NodeOptions.TlsCa)}",
        ["--tls-peers"] = $"{NodeOptions.Section}:{nameof(NodeOptions.TlsPeers)}",
        ["--tls-mutual"] = $"{NodeOptions.Section}:{nameof(NodeOptions.TlsMutual)}",
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
        ["--max-wait-ms"] = $"{NodeOptions.Section}:{nameof(NodeOptions.Inference)}:{nameof(InferenceOptions.MaxWaitMs)}",
    };
}

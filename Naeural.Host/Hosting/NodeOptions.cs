using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Host.Hosting;

/// <summary>
/// Every setting of a node, in one place. Bound from the <c>Naeural</c> section of appsettings.json, then
/// <c>NAEURAL__*</c> environment variables (e.g. <c>NAEURAL__PORT</c>), then command-line flags (<see cref="CommandLineFlags"/>).
/// </summary>
public sealed class NodeOptions
{
    public const string Section = "Naeural";

    /// <summary>
    /// The network this node is on (<c>--network-id</c>): every signed object (commands, ledger requests, settles, payloads,
    /// receipts, epoch tables) carries it in what is signed, and one signed for another network is refused (<c>WRONG_NETWORK</c>).
    /// The embedded ledger's EIP-712 domain is derived from it (<c>VoucherDomain.ForNetwork</c>). Every node of a network, and
    /// every client of it, must use the same.
    /// </summary>
    public string NetworkId { get; set; } = Naeural.Actors.Security.NetworkIds.Default;

    /// <summary>The interface the node listens on. Loopback by default: open it deliberately.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The host name other nodes use to reach this one, when it differs from <see cref="Hostname"/> (NAT, containers).</summary>
    public string? PublicHostname { get; set; }

    /// <summary>The TCP port of the node's actor system, for other nodes only; 0 picks a free one.</summary>
    public int Port { get; set; } = 4053;

    /// <summary>
    /// The TCP port of the node's client edge (<c>naeural-edge</c>): where clients (the CLI, a remote <c>NaeuralClient</c>)
    /// connect, speaking the client protocol only; same interface and TLS as the member port. 0 picks a free one. Unset: the
    /// member port + 1 (4054 by default), or a free one when the member port is 0.
    /// </summary>
    public int? ClientPort { get; set; }

    /// <summary>The client edge's port as configured (<see cref="ClientPort"/>, else the member port + 1, or 0 with a random member port).</summary>
    public int EdgePort => ClientPort ?? (Port == 0 ? 0 : Port + 1);

    /// <summary>Seed nodes to join, comma-separated (<c>akka.tcp://naeural@host:port</c>). Empty: the node seeds a network of its own.</summary>
    public string Seeds { get; set; } = "";

    /// <summary>
    /// The node's private key in hex, when it comes from a secret store rather than the data folder (e.g. <c>NAEURAL__NODEKEY</c>);
    /// unset: the key in <c>&lt;data&gt;/node.key</c>, created on first start.
    /// </summary>
    public string? NodeKey { get; set; }

    /// <summary>Where the node keeps its key and, with the embedded store, its journal.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>A human name for the node; defaults to the machine name.</summary>
    public string Alias { get; set; } = Environment.MachineName;

    /// <summary>Tags placement can ask for, comma-separated (e.g. <c>edge,camera</c>).</summary>
    public string Tags { get; set; } = "";

    /// <summary>Owner addresses this node runs work for, comma-separated. Empty: anyone, unless <see cref="Secured"/>.</summary>
    public string AllowedOwners { get; set; } = "";

    /// <summary>
    /// Secured mode (the original's <c>EE_SECURED</c>): only the owners on <see cref="AllowedOwners"/> and this node's own
    /// operator key may command it (deploy, jobs, subscriptions), even when the list is empty.
    /// </summary>
    public bool Secured { get; set; }

    /// <summary>
    /// TLS with mutual authentication on the remoting port. Unset: on when <see cref="Secured"/>, when <see cref="Hostname"/> or
    /// <see cref="PublicHostname"/> is not loopback, or with <see cref="TlsCertificate"/>; off only for a loopback-only node.
    /// <c>false</c> is refused for a secured or reachable node. With TLS every address is <c>akka.ssl.tcp://…</c>, the node presents
    /// a certificate bound to its node key (made and kept in the data folder, <c>node-tls.pfx</c>, unless <see cref="TlsCertificate"/>),
    /// and a peer node is accepted only if its certificate proves an admitted node key (<see cref="Admit"/>, <see cref="AdmitLicensed"/>).
    /// </summary>
    public bool? Tls { get; set; }

    /// <summary>
    /// A PKCS#12 (PFX) or PEM file with the node's certificate and private key, instead of the one the node makes itself; it must carry
    /// a binding to this node's key (as <c>node-tls.pfx</c> does). Unset: the node's own bound certificate.
    /// </summary>
    public string? TlsCertificate { get; set; }

    /// <summary>The password of <see cref="TlsCertificate"/>.</summary>
    public string? TlsPassword { get; set; }

    /// <summary>
    /// CA certificate files (PEM or DER), comma-separated: remote clients whose certificate chains to one may connect to the
    /// client edge (<see cref="ClientPort"/>; never to the member port: nodes are admitted by their key, never by a CA).
    /// </summary>
    public string TlsCa { get; set; } = "";

    /// <summary>Pinned client certificates, comma-separated SHA-256 fingerprints (or SHA-1 thumbprints): remote clients trusted as they are, at the client edge.</summary>
    public string TlsPeers { get; set; } = "";

    /// <summary>Mutual TLS: both ends present and check a certificate. Always on: <c>false</c> is refused at start.</summary>
    public bool TlsMutual { get; set; } = true;

    /// <summary>
    /// Node addresses admitted as members (the operator's allow-list, for a private network), comma-separated 0x addresses;
    /// a joining node lists its seeds here (their banners print their node ids).
    /// </summary>
    public string Admit { get; set; } = "";

    /// <summary>Nodes holding a licence on the network's ledger (granted by a ledger authority) are admitted too.</summary>
    public bool AdmitLicensed { get; set; }

    /// <summary>Seconds between two reads of the licence set from the ledger (every second until the first read succeeds).</summary>
    public double LicenceRefreshSeconds { get; set; } = 10;

    /// <summary><see cref="LicenceRefreshSeconds"/> as a duration.</summary>
    public TimeSpan LicenceRefresh => TimeSpan.FromSeconds(LicenceRefreshSeconds);

    /// <summary>What the node charges per unit of work, in the ledger's smallest token unit.</summary>
    public long PricePerUnit { get; set; } = 1;

    /// <summary>Seconds between two heartbeats of this node's resources.</summary>
    public double HeartbeatSeconds { get; set; } = 2;

    /// <summary><see cref="HeartbeatSeconds"/> as a duration.</summary>
    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    /// <summary>Length of an epoch in seconds: availability is measured, agreed and rewarded per epoch.</summary>
    public double EpochSeconds { get; set; } = 3600;

    /// <summary><see cref="EpochSeconds"/> as a duration.</summary>
    public TimeSpan EpochLength => TimeSpan.FromSeconds(EpochSeconds);

    /// <summary>When epoch 0 began; every node of a network must use the same.</summary>
    public DateTimeOffset EpochGenesis { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Persistence: <c>sqlite</c> (embedded in the data folder, the default; one node per file) or <c>postgresql</c> (a
    /// database several nodes share, so pipelines can restart on a survivor from their persisted state).
    /// </summary>
    public PersistenceKind Persistence { get; set; } = PersistenceKind.Sqlite;

    /// <summary>
    /// Connection string for <see cref="Persistence"/>: for PostgreSQL an Npgsql one (required, e.g.
    /// <c>Host=db;Port=5432;Database=naeural;Username=naeural;Password=…</c>); for SQLite the default is a file in the data folder.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Failure detection: a member silent this long is marked unreachable (Akka's acceptable-heartbeat-pause; cluster
    /// heartbeats go three times within it, at most once a second). Below 3 s it detects a crash faster and may mark a
    /// merely overloaded member unreachable.
    /// </summary>
    public double UnreachableAfterSeconds { get; set; } = 3;

    /// <summary><see cref="UnreachableAfterSeconds"/> as a duration.</summary>
    public TimeSpan UnreachableAfter => TimeSpan.FromSeconds(UnreachableAfterSeconds);

    /// <summary>
    /// A member unreachable this long (with the membership otherwise stable) is downed by the keep-majority split-brain
    /// resolver; sharding then waits as long again (Akka's down-removal margin, so a partitioned minority has stopped its
    /// pipelines first) before they restart on the survivors: kill-to-recovery ≈ UnreachableAfter + ~2 s of detection +
    /// 2 × DownAfter + the restart.
    /// </summary>
    public double DownAfterSeconds { get; set; } = 5;

    /// <summary><see cref="DownAfterSeconds"/> as a duration.</summary>
    public TimeSpan DownAfter => TimeSpan.FromSeconds(DownAfterSeconds);

    /// <summary>
    /// Whether pipelines are rebalanced between nodes; unset: only with shared persistence (PostgreSQL), where a moved
    /// pipeline finds its state on its new node.
    /// </summary>
    public bool? Rebalance { get; set; }

    /// <summary>
    /// With members' own stores: how many members hold each pipeline's owner-signed history and unpublished payloads (its
    /// replica set, rendezvous-ranked); 1 turns replication off (a pipeline then lives and dies with its member's store).
    /// </summary>
    public int PipelineReplicas { get; set; } = 3;

    /// <summary>Largest message a node sends or accepts, in bytes.</summary>
    public long MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The format the node writes to peers, clients and its journals (it reads both): <c>Contract</c>, or <c>V1</c> while a
    /// network upgrades from the release before 2026-12-07 (whose nodes read only that), until every node runs this one.
    /// </summary>
    public WireFormat WireFormat { get; set; } = WireFormat.Contract;

    /// <summary>Model servers: TorchSharp workers per model and dynamic batching (<c>MAX_BATCH</c>, <c>MAX_WAIT_MS</c>).</summary>
    public InferenceOptions Inference { get; set; } = new();

    /// <summary>The most creates no node fits yet that this node's front door keeps pending (each until placed or too old).</summary>
    public int MaxPendingPlacements { get; set; } = Naeural.Actors.Placement.PlacementSettings.Default.MaxPending;

    /// <summary>The most of those one owner may hold at this node's front door.</summary>
    public int MaxPendingPlacementsPerOwner { get; set; } = Naeural.Actors.Placement.PlacementSettings.Default.MaxPendingPerOwner;

    /// <summary>How pipelines behave on this node (command freshness window, deploy timeout, outbox size).</summary>
    public PipelineSettings Pipelines { get; set; } = new();

    /// <summary>Work metering and billing: how often receipts are issued, how much unpaid work an owner may run up.</summary>
    public MeteringOptions Metering { get; set; } = new();

    /// <summary>The embedded ledger the network's nodes share (a cluster singleton).</summary>
    public LedgerOptions Ledger { get; set; } = new();

    /// <summary>Logs and metrics: console format, OpenTelemetry export.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The node's HTTP API and dashboard.</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>What tenants' data sources may reach: the files root, allowed MQTT brokers, HTTP targets, ingest prefixes.</summary>
    public SourcesOptions Sources { get; set; } = new();

    /// <summary>The settings in <paramref name="configuration"/>'s <see cref="Section"/>, each value checked against its type first (<see cref="TypedSettings"/>).</summary>
    public static NodeOptions From(IConfiguration configuration) => TypedSettings.Read<NodeOptions>(configuration, Section, CommandLineFlags.Mappings);

    public IReadOnlyList<string> SeedList => Split(Seeds);

    public IReadOnlyList<string> TagList => Split(Tags);

    public IReadOnlyList<string> AllowedOwnerList => Split(AllowedOwners);

    public IReadOnlyList<string> AdmitList => Split(Admit);

    /// <summary>True when the remoting port runs TLS (see <see cref="Tls"/>).</summary>
    public bool TlsEnabled => Tls ?? (!string.IsNullOrWhiteSpace(TlsCertificate) || Secured || !IsLoopback(Hostname)
                                      || (PublicHostname is { } publicHostname && !IsLoopback(publicHostname)));

    /// <summary>The address scheme of this network's nodes: <c>akka.tcp</c>, or <c>akka.ssl.tcp</c> with TLS.</summary>
    public string AddressScheme => TlsEnabled ? RemotingTls.Scheme : "akka.tcp";

    /// <summary>
    /// The remoting TLS settings (null without TLS): this node's bound certificate (<see cref="TlsCertificate"/>, or its own made
    /// and kept in the data folder), peer nodes checked by <paramref name="admission"/>, remote clients by CA or pins.
    /// </summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable, or the certificate is not bound to <paramref name="identity"/>.</exception>
    public RemotingTls? LoadTls(Naeural.Ledger.Identity.NodeKey identity, PeerAdmission admission)
    {
        if (!TlsEnabled)
        {
            return null;
        }

        var verifier = new Naeural.Ledger.Signing.Secp256k1Verifier();
        X509Certificate2 certificate;
        if (string.IsNullOrWhiteSpace(TlsCertificate))
        {
            certificate = NodeCertificate.LoadOrCreate(FullDataDirectory, identity, verifier, DateTimeOffset.UtcNow);
        }
        else
        {
            certificate = RemotingTls.LoadCertificate(TlsCertificate, TlsPassword);
            if (!NodeCertificate.TryReadBinding(certificate, verifier, out var bound, out var why) || !AccountAddress.Same(bound, identity.Address))
            {
                throw new ArgumentException($"Naeural:TlsCertificate (--tls-certificate) {TlsCertificate} is not bound to this node's key {identity.Address}"
                                            + (bound.Length > 0 ? $" (it is bound to {bound})" : $" ({why})")
                                            + ": leave --tls-certificate unset and the node makes its own bound certificate");
            }
        }

        return RemotingTls.ForNode(certificate, admission, verifier, RemotingTls.LoadAuthorityFiles(Split(TlsCa)), Split(TlsPeers));
    }

    /// <summary>The member port's TLS: only nodes, admitted by <paramref name="admission"/>; clients' CA and pins apply at the client edge alone.</summary>
    public static RemotingTls MembersOnly(RemotingTls tls) => tls with { TrustedAuthorities = [], PinnedPeers = [] };

    /// <summary>Who may be a member of this node's network: itself, <see cref="Admit"/>, and licence holders with <see cref="AdmitLicensed"/>.</summary>
    public PeerAdmission Admission(string self) => new(self, AdmitList, AdmitLicensed);

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public PlacementSettings PlacementSettings() =>
        Naeural.Actors.Placement.PlacementSettings.Default with
        {
            Rebalance = Rebalance ?? Persistence != PersistenceKind.Sqlite,
            MaxPending = MaxPendingPlacements,
            MaxPendingPerOwner = MaxPendingPlacementsPerOwner,
        };

    /// <summary>Fails fast, naming the setting, when a value can't work.</summary>
    public void Validate()
    {
        if (Naeural.Actors.Security.NetworkIds.Problem(NetworkId) is { } network)
        {
            throw new ArgumentException($"Naeural:NetworkId (--network-id) {network}");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Naeural:Port (--port) must be 0..65535, not {Port}");
        }

        if (EdgePort is < 0 or > 65535 || (EdgePort == Port && Port != 0))
        {
            throw new ArgumentException($"Naeural:ClientPort (--client-port) must be 0..65535 and not the member port {Port}, not {EdgePort}");
        }

        if (UnreachableAfterSeconds < 1 || DownAfterSeconds < 1)
        {
            throw new ArgumentException($"Naeural:UnreachableAfterSeconds (--unreachable-after) and DownAfterSeconds (--down-after) must be at least 1, not {UnreachableAfterSeconds} and {DownAfterSeconds}");
        }

        if (HeartbeatSeconds <= 0)
        {
            throw new ArgumentException($"Naeural:HeartbeatSeconds (--heartbeat) must be positive, not {HeartbeatSeconds}");
        }

        if (EpochSeconds < HeartbeatSeconds * 4)
        {
            throw new ArgumentException($"Naeural:EpochSeconds (--epoch-seconds) must be at least four heartbeats ({HeartbeatSeconds * 4}s), not {EpochSeconds}");
        }

        if (Metering.ReceiptPeriodSeconds <= 0)
        {
            throw new ArgumentException($"Naeural:Metering:ReceiptPeriodSeconds (--receipt-period) must be positive, not {Metering.ReceiptPeriodSeconds}");
        }

        if (Metering.CreditLimit < 0)
        {
            throw new ArgumentException($"Naeural:Metering:CreditLimit (--credit-limit) must not be negative, not {Metering.CreditLimit}");
        }

        if (MaxMessageBytes < 1024)
        {
            throw new ArgumentException($"Naeural:MaxMessageBytes must be at least 1024, not {MaxMessageBytes}");
        }

        Http.Validate();
        Sources.Validate(FullDataDirectory, new[] { TlsCertificate }.Concat(Split(TlsCa)).OfType<string>().Where(f => f.Length > 0));

        if (!Enum.IsDefined(Persistence))
        {
            throw new ArgumentException($"Naeural:Persistence (--persistence) must be sqlite or postgresql, not '{Persistence}'");
        }

        if (Persistence == PersistenceKind.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("Naeural:ConnectionString (--connection-string) is required with --persistence postgresql");
        }

        Telemetry.Validate();
        Ledger.Validate();
        if (NodeKey is not null && !HexText.TryDecode(NodeKey, 32, out _))
        {
            throw new ArgumentException("Naeural:NodeKey (--node-key) must be a 32-byte private key in hex");
        }

        foreach (var seed in SeedList)
        {
            if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Scheme != AddressScheme || uri.UserInfo != NaeuralAkkaSetup.SystemName)
            {
                throw new ArgumentException($"Naeural:Seeds (--seed) '{seed}' is not a node address like {AddressScheme}://{NaeuralAkkaSetup.SystemName}@host:port"
                                            + (TlsEnabled ? " (TLS is on: akka.ssl.tcp)" : ""));
            }
        }

        ValidateSecurity();
        if (TlsEnabled)
        {
            if (!string.IsNullOrWhiteSpace(TlsCertificate) && !File.Exists(TlsCertificate))
            {
                throw new ArgumentException($"Naeural:TlsCertificate (--tls-certificate) '{TlsCertificate}' does not exist");
            }

            foreach (var ca in Split(TlsCa).Where(ca => !File.Exists(ca)))
            {
                throw new ArgumentException($"Naeural:TlsCa (--tls-ca) '{ca}' does not exist");
            }
        }
    }

    /// <summary>A secured or reachable node runs mutual TLS, and a joining node admits its seeds: anything weaker is refused.</summary>
    private void ValidateSecurity()
    {
        if (!TlsMutual)
        {
            throw new ArgumentException("Naeural:TlsMutual (--tls-mutual) false is refused: a node's TLS is always mutual (peers prove their node key); remove --tls-mutual false");
        }

        if (Tls == false && Secured)
        {
            throw new ArgumentException("Naeural:Secured (--secured) needs TLS, but Naeural:Tls (--tls) is false: remove --tls false (the node makes its own certificate)");
        }

        foreach (var (name, flag, host) in new[] { ("Hostname", "--hostname", Hostname), ("PublicHostname", "--public-hostname", PublicHostname) })
        {
            if (Tls == false && host is not null && !IsLoopback(host))
            {
                throw new ArgumentException($"Naeural:{name} ({flag}) '{host}' is not loopback, so other machines reach the node's port: that needs TLS, "
                                            + "but Naeural:Tls (--tls) is false: remove --tls false (the node makes its own certificate)");
            }
        }

        foreach (var owner in AllowedOwnerList.Where(a => !AccountAddress.IsValid(a)))
        {
            throw new ArgumentException($"Naeural:AllowedOwners (--allow) '{owner}' is not an owner's address (0x and 40 hex digits)");
        }

        foreach (var address in AdmitList.Where(a => !AccountAddress.IsValid(a)))
        {
            throw new ArgumentException($"Naeural:Admit (--admit) '{address}' is not a node address (0x and 40 hex digits)");
        }

        foreach (var pin in Split(TlsPeers).Where(p => !RemotingTls.IsFingerprint(p)))
        {
            throw new ArgumentException($"Naeural:TlsPeers (--tls-peers) '{pin}' is not a certificate fingerprint (64 hex digits of SHA-256, or 40 of SHA-1; colons allowed)");
        }

        if (LicenceRefreshSeconds < 1)
        {
            throw new ArgumentException($"Naeural:LicenceRefreshSeconds (--licence-refresh) must be at least 1, not {LicenceRefreshSeconds}");
        }

        if (TlsEnabled && SeedList.Count > 0 && AdmitList.Count == 0 && !AdmitLicensed)
        {
            throw new ArgumentException("Naeural:Seeds (--seed) over TLS: this node admits only itself, so it can't accept its seeds; "
                                        + "list their node ids with --admit 0x… (each node's banner prints its id), or use --admit-licensed");
        }
    }

    /// <summary>True for <c>localhost</c> and loopback IP addresses (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string[] Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The node's model-serving settings.</summary>
public sealed class InferenceOptions
{
    public int Workers { get; set; } = 1;

    public int MaxBatch { get; set; } = 32;

    public double MaxWaitMs { get; set; } = 2;

    /// <summary><see cref="MaxWaitMs"/> as a duration.</summary>
    public TimeSpan MaxWait => TimeSpan.FromMilliseconds(MaxWaitMs);

    public double IdleMinutes { get; set; } = 5;

    /// <summary><see cref="IdleMinutes"/> as a duration.</summary>
    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(IdleMinutes);

    public bool HalfPrecisionOnGpu { get; set; }
}

/// <summary>The node's work metering and billing settings.</summary>
public sealed class MeteringOptions
{
    /// <summary>Seconds between two rounds of signed work receipts.</summary>
    public double ReceiptPeriodSeconds { get; set; } = 5;

    /// <summary><see cref="ReceiptPeriodSeconds"/> as a duration.</summary>
    public TimeSpan ReceiptPeriod => TimeSpan.FromSeconds(ReceiptPeriodSeconds);

    /// <summary>Billed work (in token units) an owner may leave unpaid before this node reports it in arrears.</summary>
    public long CreditLimit { get; set; } = 10_000;
}

/// <summary>The embedded ledger's settings.</summary>
public sealed class LedgerOptions
{
    /// <summary>Authorities of the embedded ledger (mint, register the reward observers, fund epoch pools), comma-separated. Empty: nobody.</summary>
    public string MintAuthorities { get; set; } = "";

    /// <summary>
    /// Where this node's payment channels settle and its epoch rewards are claimed: <c>embedded</c> (the network's embedded
    /// ledger, a cluster singleton) or <c>evm</c> (the NaeuralLedger contract at <see cref="EvmContract"/> on the chain at
    /// <see cref="EvmUrl"/>, in transactions signed with the node's key, which needs gas there).
    /// </summary>
    public SettlementKind Settlement { get; set; } = SettlementKind.Embedded;

    /// <summary>The chain's JSON-RPC endpoint, e.g. <c>http://127.0.0.1:8545</c>.</summary>
    public string? EvmUrl { get; set; }

    /// <summary>The address of the deployed NaeuralLedger contract (<c>naeural ledger deploy</c> prints it).</summary>
    public string? EvmContract { get; set; }

    /// <summary>The chain's id (vouchers and epoch results are signed for it).</summary>
    public long EvmChainId { get; set; } = 1337;

    public bool IsEvm => Settlement == SettlementKind.Evm;

    public void Validate()
    {
        foreach (var authority in MintAuthorityList.Where(a => !AccountAddress.IsValid(a)))
        {
            throw new ArgumentException($"Naeural:Ledger:MintAuthorities (--mint-authority) '{authority}' is not an address (0x and 40 hex digits)");
        }

        if (!Enum.IsDefined(Settlement))
        {
            throw new ArgumentException($"Naeural:Ledger:Settlement (--settlement) must be embedded or evm, not '{Settlement}'");
        }

        if (IsEvm && !(Uri.TryCreate(EvmUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            throw new ArgumentException($"Naeural:Ledger:EvmUrl (--evm-url) must be the chain's http(s) JSON-RPC URL with --settlement evm, not '{EvmUrl}'");
        }

        if (IsEvm && !AccountAddress.IsValid(EvmContract))
        {
            throw new ArgumentException($"Naeural:Ledger:EvmContract (--evm-contract) must be the contract's 0x address with --settlement evm, not '{EvmContract}'");
        }
    }

    public IReadOnlyList<string> MintAuthorityList =>
        MintAuthorities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The node's logs and metrics.</summary>
public sealed class TelemetryOptions
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>Console logs: <c>simple</c> (one line each) or <c>json</c> (one JSON object each, with scopes and UTC timestamps).</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Simple;

    /// <summary>
    /// Where metrics and logs go over OTLP (e.g. <c>http://collector:4317</c> for gRPC, <c>http://collector:4318</c> for
    /// http/protobuf); unset: nothing is exported.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTLP transport: <c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>Seconds between two metric exports.</summary>
    public double ExportIntervalSeconds { get; set; } = 10;

    /// <summary><see cref="ExportIntervalSeconds"/> as a duration.</summary>
    public TimeSpan ExportInterval => TimeSpan.FromSeconds(ExportIntervalSeconds);

    public bool IsJson => LogFormat == LogFormat.Json;

    public void Validate()
    {
        if (!Enum.IsDefined(LogFormat))
        {
            throw new ArgumentException($"Naeural:Telemetry:LogFormat (--log-format) must be simple or json, not '{LogFormat}'");
        }

        if (OtlpEndpoint is not null && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"Naeural:Telemetry:OtlpEndpoint (--otlp-endpoint) '{OtlpEndpoint}' is not an absolute URL");
        }

        if (!OtlpProtocol.Equals(Grpc, StringComparison.OrdinalIgnoreCase) && !OtlpProtocol.Equals(HttpProtobuf, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Naeural:Telemetry:OtlpProtocol (--otlp-protocol) must be {Grpc} or {HttpProtobuf}, not '{OtlpProtocol}'");
        }

        if (ExportIntervalSeconds <= 0)
        {
            throw new ArgumentException($"Naeural:Telemetry:ExportIntervalSeconds (--metrics-interval) must be positive, not {ExportIntervalSeconds}");
        }
    }
}

/// <summary>The node's HTTP API and dashboard (an edge: signed requests go on to the same actors the actor API uses).</summary>
public sealed class HttpOptions
{
    /// <summary>Whether the node serves HTTP at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The IP address to bind. Loopback by default: the dashboard's live feed shows payload data to whoever reaches it.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (the bound address is printed and exposed by <see cref="Http.HttpApiServer"/>).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>The largest request body read, in bytes; a larger one is answered 413 before it is read.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a request waits for the node's answer before it is answered 504.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary><see cref="RequestTimeoutSeconds"/> as a duration.</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    /// <summary>
    /// The names a request's <c>Host</c> may carry, comma-separated (<c>*</c> = any). Empty: the loopback names when bound to
    /// loopback (so a page that rebinds its DNS name to 127.0.0.1 is refused), any name otherwise.
    /// </summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>
    /// A secret every unsigned HTTP request must carry (the dashboard, the JSON reads), for a node whose HTTP port others can
    /// reach; at least 16 characters. Empty: none (bound to loopback, the machine's users are trusted). Signed requests never need it.
    /// </summary>
    public string ReadToken { get; set; } = "";

    /// <summary>How many long-lived streams (dashboard feed, payload subscriptions) the node serves at once; more are answered 503.</summary>
    public int MaxStreams { get; set; } = 32;

    /// <summary>Fails fast, naming the flag, when a value can't work.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Naeural:Http:Port (--http-port) must be 0..65535, not {Port}");
        }

        if (!System.Net.IPAddress.TryParse(Hostname, out _))
        {
            throw new ArgumentException($"Naeural:Http:Hostname (--http-hostname) must be an IP address to bind (127.0.0.1, 0.0.0.0, ::1), not '{Hostname}'");
        }

        if (MaxBodyBytes < 1024)
        {
            throw new ArgumentException($"Naeural:Http:MaxBodyBytes must be at least 1024, not {MaxBodyBytes}");
        }

        if (ReadToken.Length is > 0 and < 16)
        {
            throw new ArgumentException($"Naeural:Http:ReadToken (--http-token) must be at least 16 characters, not {ReadToken.Length}");
        }

        if (MaxStreams < 1)
        {
            throw new ArgumentException($"Naeural:Http:MaxStreams must be at least 1, not {MaxStreams}");
        }

        if (RequestTimeoutSeconds <= 0)
        {
            throw new ArgumentException($"Naeural:Http:RequestTimeoutSeconds must be positive, not {RequestTimeoutSeconds}");
        }
    }
}

/// <summary>Where a node journals (<see cref="NodeOptions.Persistence"/>).</summary>
public enum PersistenceKind
{
    /// <summary>Embedded in the data folder: each node its own store (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<see cref="NodeOptions.ConnectionString"/>), possibly shared by several nodes.</summary>
    PostgreSql,
}

/// <summary>Where a node settles its channels and claims its rewards (<see cref="LedgerOptions.Settlement"/>).</summary>
public enum SettlementKind
{
    /// <summary>The network's embedded ledger, a cluster singleton.</summary>
    Embedded,

    /// <summary>The NaeuralLedger contract on an EVM chain.</summary>
    Evm,
}

/// <summary>How the node's console logs are written (<see cref="TelemetryOptions.LogFormat"/>).</summary>
public enum LogFormat
{
    /// <summary>One line each.</summary>
    Simple,

    /// <summary>One JSON object each, with scopes and UTC timestamps.</summary>
    Json,
}

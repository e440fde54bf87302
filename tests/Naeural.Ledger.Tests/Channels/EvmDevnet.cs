using System.Diagnostics;
using Naeural.Ledger.Channels;
using Naeural.Testing;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>
/// A real local EVM devnet for the tests that claim one: ganache (npm, installed in chain/ by the test script) on a free
/// loopback port, deterministic accounts, chain id 1337; the contract compiled by solc-js. Started once per test class.
/// </summary>
public sealed class EvmDevnet : IAsyncLifetime
{
    public const long ChainId = 1337;

    // ganache --wallet.deterministic's first account: well known, holds the devnet's ether.
    private const string RichKey = "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";

    private readonly System.Text.StringBuilder _log = new();
    private readonly AdvancedClock _clock = new();
    private Process? _ganache;

    /// <summary>What ganache printed (for diagnosing a failed test).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public string Url { get; private set; } = "";

    public Account Owner { get; } = new(RichKey, ChainId);

    public ContractArtifact Contract { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chain = RepositoryRoot.File("chain");
        var ganache = Path.Combine(chain, "node_modules", "ganache", "dist", "node", "cli.js");
        if (!File.Exists(ganache))
        {
            throw new InvalidOperationException("ganache is not installed: run scripts/install-test-deps.sh (npm ci in chain/)");
        }

        Contract = await CompileAsync();

        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}";
        _ganache = Process.Start(new ProcessStartInfo("node", [ganache, "--server.host", "127.0.0.1", "--server.port", port.ToString(),
            "--chain.chainId", ChainId.ToString(), "--wallet.deterministic",
            "--wallet.defaultBalance", "1000000"]) // ether per account: every test funds its parties from the first
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ganache.OutputDataReceived += (_, e) => Append(e.Data);
        _ganache.ErrorDataReceived += (_, e) => Append(e.Data);
        _ganache.BeginOutputReadLine();
        _ganache.BeginErrorReadLine();

        var web3 = new Web3(Url);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync();
                return;
            }
            catch (Exception e) when ((e is RpcClientUnknownException or HttpRequestException or RpcClientTimeoutException) && DateTime.UtcNow < deadline && !_ganache.HasExited)
            {
                await Task.Delay(100); // polling a starting process; bounded by the deadline
            }
        }
    }

    /// <summary>
    /// The contract compiled afresh from <c>chain/NaeuralLedger.sol</c>, once per test process, into a file of its own: the
    /// committed artifact is never rewritten by a test (devnets of several test classes start at once).
    /// </summary>
    public static Task<ContractArtifact> CompileAsync() => Compiled.Value;

    private static readonly Lazy<Task<ContractArtifact>> Compiled = new(async () =>
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("naeural-contract-").FullName, "NaeuralLedger.json");
        await RunAsync("node", [RepositoryRoot.File("chain", "compile.js"), output]);
        return ContractArtifact.Load(output);
    });

    /// <summary>Gives <paramref name="account"/> ether for gas.</summary>
    public async Task FundAsync(string account) =>
        await new Web3(Owner, Url).Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(account, 1m);

    /// <summary>The chain's block time as a node reads it: the wall clock plus what <see cref="AdvanceAsync"/> moved it by.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Moves the chain's clock forward and mines a block at the new time.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var client = new Web3(Url).Client;
        await client.SendRequestAsync<object>(new RpcRequest(1, "evm_increaseTime", (long)by.TotalSeconds));
        await client.SendRequestAsync<object>(new RpcRequest(2, "evm_mine"));
        _clock.Advanced += by;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_ganache is { HasExited: false })
        {
            _ganache.Kill(entireProcessTree: true);
            _ganache.WaitForExit();
        }

        return Task.CompletedTask;
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {await output}{await errors}");
        }
    }
}

/// <summary>The wall clock moved forward by <see cref="Advanced"/> (what the tests told the chain to skip).</summary>
internal sealed class AdvancedClock : TimeProvider
{
    public TimeSpan Advanced { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Advanced;
}

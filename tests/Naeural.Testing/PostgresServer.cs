using System.Diagnostics;
using Npgsql;
using Xunit;

namespace Naeural.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster (Debian's <c>postgresql</c> binaries, installed by scripts/install-test-deps.sh): initdb
/// into a temporary folder, the server on 127.0.0.1 and a free port with its unix socket in that folder, trust
/// authentication, fsync off. Started once per test collection (<c>ICollectionFixture&lt;PostgresServer&gt;</c>); each test
/// class or test takes a fresh database from <see cref="CreateDatabaseAsync"/>. Dispose stops the server and deletes the
/// folder. As root the server runs as the <c>postgres</c> OS user (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string SuperUser = "postgres";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder = new("naeural-pg");
    private string _bin = "";

    public int Port { get; private set; }

    private string DataDirectory => _folder.Sub("data");

    private string SocketDirectory => _folder.Sub("socket");

    private static bool IsRoot => Environment.IsPrivilegedProcess;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _bin = FindBinaries();
        Port = FreePort.Next();
        Directory.CreateDirectory(SocketDirectory);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", $"{SuperUser}:", _folder.Path]);
        }

        await RunAsServerUserAsync("initdb",
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
        await RunAsServerUserAsync("pg_ctl",
        [
            "start", "-w", "-t", "60", "-D", DataDirectory, "-l", _folder.Sub("server.log"),
            "-o", $"-p {Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c max_connections=300 " +
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        ]);
    }

    /// <summary>A connection string for the cluster's <c>postgres</c> database or the named one.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix[..Math.Min(prefix.Length, 30)]}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Runs a scalar query against the database of <paramref name="connectionString"/>.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsServerUserAsync("pg_ctl", ["stop", "-w", "-t", "30", "-m", "fast", "-D", DataDirectory]);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            _folder.Dispose();
        }
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no {root}/*/bin/initdb): run scripts/install-test-deps.sh, which installs Debian's postgresql package");
    }

    private Task RunAsServerUserAsync(string tool, IReadOnlyList<string> arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", SuperUser, "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private async Task RunAsync(string executable, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.Path,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', arguments)} did not finish within {CommandTimeout}");
        }

        if (process.ExitCode != 0)
        {
            var log = _folder.Sub("server.log");
            throw new InvalidOperationException(
                $"{executable} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}{await error}" +
                (File.Exists(log) ? $"\nserver.log:\n{await File.ReadAllTextAsync(log)}" : ""));
        }
    }
}

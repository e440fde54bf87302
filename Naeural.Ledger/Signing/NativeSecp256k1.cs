using System.Reflection;
using System.Runtime.InteropServices;

namespace Naeural.Ledger.Signing;

/// <summary>
/// secp256k1 through the system's libsecp256k1 (Debian/Ubuntu: <c>libsecp256k1-1</c>, built with its recovery module).
/// One context, created at start and never changed, is shared by all threads (libsecp256k1 allows that for signing,
/// verifying and recovering).
/// </summary>
public sealed partial class NativeSecp256k1 : ISecp256k1Backend
{
    private const string Library = "secp256k1";
    private const uint ContextSignAndVerify = 0x0301;
    private const uint Uncompressed = 0x0002;

    private static readonly string[] Candidates = ["libsecp256k1.so.1", "libsecp256k1.so.2", "libsecp256k1.so", "libsecp256k1.dylib", "secp256k1.dll"];

    private static readonly ManagedSecp256k1 ManagedFallback = new();

    private readonly IntPtr _context;
    private volatile bool _ecdhMissing;

    static NativeSecp256k1()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeSecp256k1).Assembly, Resolve);
    }

    private NativeSecp256k1(IntPtr context) => _context = context;

    public string Name => "native (libsecp256k1)";

    /// <summary>The native backend, or null when the library (with its recovery module) can't be loaded here.</summary>
    public static NativeSecp256k1? TryCreate()
    {
        try
        {
            var context = secp256k1_context_create(ContextSignAndVerify);
            if (context == IntPtr.Zero)
            {
                return null;
            }

            var candidate = new NativeSecp256k1(context);
            Span<byte> probe = stackalloc byte[65];
            return candidate.TryCreatePublicKey(Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001"), probe)
                ? candidate
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return null;
        }
    }

    public bool TryCreatePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey65)
    {
        if (privateKey.Length != 32 || publicKey65.Length < 65)
        {
            return false;
        }

        var publicKey = new byte[64];
        return secp256k1_ec_pubkey_create(_context, publicKey, privateKey.ToArray()) == 1 && Serialize(publicKey, publicKey65);
    }

    public bool TrySign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> digest, Span<byte> compact64, out int recoveryId)
    {
        recoveryId = -1;
        if (privateKey.Length != 32 || digest.Length != 32)
        {
            return false;
        }

        var signature = new byte[65];
        var output = new byte[64];
        if (secp256k1_ecdsa_sign_recoverable(_context, signature, digest.ToArray(), privateKey.ToArray(), IntPtr.Zero, IntPtr.Zero) != 1
            || secp256k1_ecdsa_recoverable_signature_serialize_compact(_context, output, out recoveryId, signature) != 1)
        {
            return false;
        }

        output.CopyTo(compact64);
        return true;
    }

    public bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> digest, Span<byte> publicKey65)
    {
        if (compact64.Length != 64 || digest.Length != 32 || recoveryId is < 0 or > 3)
        {
            return false;
        }

        var signature = new byte[65];
        var publicKey = new byte[64];
        return secp256k1_ecdsa_recoverable_signature_parse_compact(_context, signature, compact64.ToArray(), recoveryId) == 1
               && secp256k1_ecdsa_recover(_context, publicKey, signature, digest.ToArray()) == 1
               && Serialize(publicKey, publicKey65);
    }

    public bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> secret32)
    {
        if (privateKey.Length != 32 || publicKey.Length is not (33 or 65) || secret32.Length < 32)
        {
            return false;
        }

        if (_ecdhMissing)
        {
            return ManagedFallback.TryAgree(privateKey, publicKey, secret32);
        }

        var parsed = new byte[64];
        var output = new byte[32];
        var secret = privateKey.ToArray();
        try
        {
            // A null hash function is libsecp256k1's default: SHA-256 of the compressed shared point (what the managed backend computes).
            if (secp256k1_ec_pubkey_parse(_context, parsed, publicKey.ToArray(), (nuint)publicKey.Length) != 1
                || secp256k1_ecdh(_context, output, parsed, secret, IntPtr.Zero, IntPtr.Zero) != 1)
            {
                return false;
            }

            output.CopyTo(secret32);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            // A libsecp256k1 built without its ECDH module: agree in managed code (same result), sign and recover natively.
            _ecdhMissing = true;
            return ManagedFallback.TryAgree(privateKey, publicKey, secret32);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(output);
        }
    }

    private bool Serialize(byte[] publicKey, Span<byte> publicKey65)
    {
        var output = new byte[65];
        var length = (nuint)65;
        if (secp256k1_ec_pubkey_serialize(_context, output, ref length, publicKey, Uncompressed) != 1 || length != 65)
        {
            return false;
        }

        output.CopyTo(publicKey65);
        return true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    [LibraryImport(Library)]
    private static partial IntPtr secp256k1_context_create(uint flags);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_pubkey_create(IntPtr context, [Out] byte[] publicKey, [In] byte[] privateKey);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_pubkey_serialize(IntPtr context, [Out] byte[] output, ref nuint outputLength, [In] byte[] publicKey, uint flags);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_pubkey_parse(IntPtr context, [Out] byte[] publicKey, [In] byte[] input, nuint inputLength);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdh(IntPtr context, [Out] byte[] output32, [In] byte[] publicKey, [In] byte[] privateKey, IntPtr hashFunction, IntPtr data);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_sign_recoverable(IntPtr context, [Out] byte[] signature, [In] byte[] digest, [In] byte[] privateKey, IntPtr nonceFunction, IntPtr nonceData);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recoverable_signature_serialize_compact(IntPtr context, [Out] byte[] output64, out int recoveryId, [In] byte[] signature);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recoverable_signature_parse_compact(IntPtr context, [Out] byte[] signature, [In] byte[] input64, int recoveryId);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recover(IntPtr context, [Out] byte[] publicKey, [In] byte[] signature, [In] byte[] digest);
}

using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Actors.Security;

namespace Naeural.Host.Cli;

/// <summary>
/// The channels a developer opened from this machine, one JSON file each in <c>channels/</c> beside their key: what a later
/// <c>channel pay</c> or <c>channel close</c> needs (terms and the price agreed). What has been paid is not kept here: the
/// payee reports it (its best voucher's nonce and amount), so paying from another process resumes where the last one stopped.
/// </summary>
public sealed class ChannelBook(string stateFolder)
{
    private readonly string _folder = Path.Combine(stateFolder, "channels");

    public void Save(PayerTerms terms, DateTimeOffset openedAt)
    {
        Directory.CreateDirectory(_folder);
        var json = new JsonObject
        {
            ["CHANNEL_ID"] = terms.Channel.ChannelId,
            ["PAYER"] = terms.Channel.Payer,
            ["PAYEE"] = terms.Channel.Payee,
            ["DEPOSIT"] = terms.Channel.Deposit.ToString(),
            ["PRICE_PER_UNIT"] = terms.PricePerUnit.ToString(),
            ["OPENED_AT"] = openedAt.ToString("O"),
        };
        File.WriteAllText(PathOf(terms.Channel.ChannelId), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The channel whose id is (or starts with, at least 6 hex digits) <paramref name="idOrPrefix"/>.</summary>
    public PayerTerms Find(string idOrPrefix)
    {
        var matches = All().Where(t => t.Channel.ChannelId.StartsWith(Normalize(idOrPrefix), StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 when Normalize(idOrPrefix).Length >= 8 => matches[0],
            0 => throw new ArgumentException($"no channel {idOrPrefix} was opened from here ({_folder}); `channel list` shows those that were"),
            _ => throw new ArgumentException($"'{idOrPrefix}' names {matches.Count} channel(s): give more of its id"),
        };
    }

    public IReadOnlyList<PayerTerms> All() =>
        Directory.Exists(_folder)
            ? [.. Directory.EnumerateFiles(_folder, "*.json").Order(StringComparer.Ordinal).Select(Load)]
            : [];

    private static PayerTerms Load(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new FormatException($"{path} is not a channel file");
        string Text(string key) => json[key]?.GetValue<string>() ?? throw new FormatException($"{path}: {key} is missing");
        return new PayerTerms(new ChannelTerms(Text("CHANNEL_ID"), Text("PAYER"), Text("PAYEE"), BigInteger.Parse(Text("DEPOSIT"))),
            BigInteger.Parse(Text("PRICE_PER_UNIT")));
    }

    private string PathOf(string channelId) => Path.Combine(_folder, channelId.ToLowerInvariant() + ".json");

    private static string Normalize(string id) => "0x" + HexText.Digits(id).ToString();
}

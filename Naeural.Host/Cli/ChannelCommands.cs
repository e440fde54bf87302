using System.CommandLine;
using System.Numerics;
using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Actors.Metering;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Spectre.Console;

namespace Naeural.Host.Cli;

/// <summary>
/// <c>channel open|pay|settle|close|reclaim|list</c>: the developer pays nodes for the work they meter through payment channels
/// on the network's embedded ledger (every change signed with the developer's key); the payer or the payee's operator settles (signed).
/// </summary>
public static class ChannelCommands
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var command = new Command("channel", "Payment channels: pay nodes for the work they do for you")
        {
            Open(), Pay(), Settle(), Close(), Reclaim(), List(),
        };
        foreach (var sub in command.Subcommands)
        {
            LedgerConnection.AddTo(sub);
        }

        return command;
    }

    private static Command Open()
    {
        var node = new Argument<string>("node-id") { Description = "The node to pay (its id, from `nodes`)" };
        var deposit = new Option<string>("--deposit") { Description = "Tokens escrowed for it (you need that balance: `ledger balance`)", Required = true };
        var days = new Option<double>("--days") { Description = "Days until the deposit can be reclaimed without the payee", DefaultValueFactory = _ => 7 };
        var command = new Command("open", "Open a channel to a node, escrowing a deposit") { node, deposit, days };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var ledger = await LedgerConnection.ConnectAsync(result, client, key);
            var terms = await CliConsole.Create().Status().StartAsync("opening the channel…", _ => client.OpenChannelOnLedgerAsync(key,
                result.GetValue(node)!, BigInteger.Parse(result.GetValue(deposit)!), new PayerOptions { Duration = TimeSpan.FromDays(result.GetValue(days)) }, token,
                ledger));
            new ChannelBook(ClientConnection.StateFolder(result)).Save(terms, DateTimeOffset.UtcNow);
            Console.WriteLine($"channel {terms.Channel.ChannelId} open: {terms.Channel.Deposit} escrowed for {terms.Channel.Payee} at {terms.PricePerUnit} per unit");
            Console.WriteLine($"  pay for the work it bills you:  channel pay {terms.Channel.ChannelId[..10]}");
            return 0;
        }));
        return command;
    }

    private static Command Pay()
    {
        var channel = new Argument<string>("channel") { Description = "The channel's id (or its first 8+ characters)" };
        var follow = new Option<bool>("--follow") { Description = "Keep paying as new receipts come, until Ctrl+C" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the payee to take the voucher", DefaultValueFactory = _ => 30 };
        var command = new Command("pay", "Pay what the node's verified work receipts justify (capped by the deposit)") { channel, follow, timeout };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            var terms = new ChannelBook(ClientConnection.StateFolder(result)).Find(result.GetValue(channel)!);
            await using var client = ClientConnection.Connect(result);
            var payee = await client.GetPayeeStateAsync(terms.Channel, token);
            await using var paying = await client.PayAsync(key, terms, new PayerResume(payee.LastNonce, payee.Collected),
                new PayerOptions { PollInterval = Poll }, token, await LedgerConnection.ConnectAsync(result, client, key));
            var state = result.GetValue(follow)
                ? await FollowAsync(paying, token)
                : await PayDueAsync(client, terms, paying, TimeSpan.FromSeconds(result.GetValue(timeout)), token);
            Print(terms, state);
            return state.LastVoucherRefusal is null ? 0 : 2;
        }));
        return command;
    }

    /// <summary>Until the payer has taken every receipt issued so far and the payee holds a voucher for what they justify.</summary>
    private static async Task<PayerState> PayDueAsync(NaeuralClient client, PayerTerms terms, PayerChannel paying, TimeSpan timeout, CancellationToken token)
    {
        var node = (await client.GetNodesAsync(token)).Find(terms.Channel.Payee)?.Resources
                   ?? throw new ArgumentException($"node {terms.Channel.Payee} is not in the network");
        var billed = await client.GetBilledAsync(node.NodeId, token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(timeout);
        return await CliConsole.Create().Status().StartAsync($"paying for {billed.LastSequence} receipt(s)…", async _ =>
        {
            while (true)
            {
                var state = await paying.GetStateAsync(deadline.Token);
                var due = BigInteger.Min(state.VerifiedBilled, terms.Channel.Deposit);
                if (state.LastVoucherRefusal is not null || (state.LastSequence >= billed.LastSequence && state.Paid >= due))
                {
                    return state;
                }

                await Task.Delay(Poll / 2, deadline.Token);
            }
        });
    }

    private static async Task<PayerState> FollowAsync(PayerChannel paying, CancellationToken token)
    {
        var last = await paying.GetStateAsync(token);
        try
        {
            while (true)
            {
                await Task.Delay(Poll, token);
                var state = await paying.GetStateAsync(token);
                if (state.Paid != last.Paid || state.LastSequence != last.LastSequence)
                {
                    Console.WriteLine($"receipts up to #{state.LastSequence}: billed {state.VerifiedBilled}, paid {state.Paid}");
                }

                last = state;
            }
        }
        catch (OperationCanceledException)
        {
            return last;
        }
    }

    private static void Print(PayerTerms terms, PayerState state)
    {
        var table = CliConsole.Table("CHANNEL", "PAYEE", ">RECEIPTS", ">BILLED", ">PAID", ">DEPOSIT LEFT", ">REFUSED RECEIPTS");
        table.Row(state.ChannelId, terms.Channel.Payee, state.LastSequence, state.VerifiedBilled, state.Paid,
            terms.Channel.Deposit - state.Paid, state.ReceiptsRefused);
        var console = CliConsole.Create();
        console.Write(table);
        if (state.LastReceiptProblem is not null)
        {
            console.WriteLine($"a receipt was not accepted: {state.LastReceiptProblem}");
        }

        if (state.LastVoucherRefusal is { } refusal)
        {
            console.WriteLine($"the payee refused a voucher: {refusal.Code}: {refusal.Reason}");
        }

        if (state.DepositExhausted)
        {
            console.WriteLine("the work billed is more than the deposit: open another channel to keep paying");
        }
    }

    private static Command Settle()
    {
        var channel = new Argument<string>("channel") { Description = "The channel's full id (0x + 64 hex digits)" };
        var payee = new Option<string?>("--payee") { Description = "The payee node's id; default: the node --node points at" };
        var command = new Command("settle", "As the payer (or the payee's operator, with its key): settle a channel with its best voucher (the rest goes back to the payer)")
        {
            channel, payee,
        };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            await using var client = ClientConnection.Connect(result);
            var payeeId = result.GetValue(payee) ?? await client.NodeIdAsync(token);
            if ((await client.GetNodesAsync(token)).Find(payeeId) is null)
            {
                throw new ArgumentException($"the payee node {payeeId} is not in the network");
            }

            var answer = await CliConsole.Create().Status().StartAsync("settling…", _ =>
                client.SettleChannelAsync(payeeId, result.GetValue(channel)!.ToLowerInvariant(), ClientConnection.DeveloperKey(result), token));
            switch (answer)
            {
                case ChannelSettledAck settled:
                    Console.WriteLine($"settled {settled.ChannelId}: {settled.Paid} paid to {payeeId}; the rest of the deposit went back to the payer");
                    return 0;
                case ChannelRefused refused:
                    throw new SettlementException($"{refused.Code}: {refused.Reason}");
                default:
                    throw new InvalidOperationException($"unexpected answer {answer.GetType().Name}");
            }
        }));
        return command;
    }

    private static Command Close()
    {
        var channel = new Argument<string>("channel") { Description = "The channel's id (or its first 8+ characters)" };
        var minutes = new Option<double>("--dispute-minutes") { Description = "How long the payee has to settle (at least 60)", DefaultValueFactory = _ => 60 };
        var command = new Command("close", "As the payer: ask to close a channel; the payee may settle within the dispute window") { channel, minutes };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            var terms = new ChannelBook(ClientConnection.StateFolder(result)).Find(result.GetValue(channel)!);
            await using var client = ClientConnection.Connect(result);
            await (await LedgerConnection.ConnectAsync(result, client, key)).RequestCloseAsync(key.Address, terms.Channel.ChannelId, TimeSpan.FromMinutes(result.GetValue(minutes)), token);
            Console.WriteLine($"close requested for {terms.Channel.ChannelId}: the payee has {result.GetValue(minutes):0} minutes to settle, then `channel reclaim`");
            return 0;
        }));
        return command;
    }

    private static Command Reclaim()
    {
        var channel = new Argument<string>("channel") { Description = "The channel's id (or its first 8+ characters)" };
        var command = new Command("reclaim", "As the payer: take back what the payee did not settle, after expiry or a close's dispute window") { channel };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            var terms = new ChannelBook(ClientConnection.StateFolder(result)).Find(result.GetValue(channel)!);
            await using var client = ClientConnection.Connect(result);
            await (await LedgerConnection.ConnectAsync(result, client, key)).ReclaimAsync(key.Address, terms.Channel.ChannelId, token);
            Console.WriteLine($"reclaimed the rest of {terms.Channel.ChannelId}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "The channels opened from here, as the ledger holds them");
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var ledger = await LedgerConnection.ConnectAsync(result, client, key);
            var table = CliConsole.Table("CHANNEL", "PAYEE", ">DEPOSIT", ">PRICE", "EXPIRES", "STATE", ">PAID", ">REFUNDED");
            foreach (var terms in new ChannelBook(ClientConnection.StateFolder(result)).All())
            {
                var record = await ledger.GetChannelAsync(terms.Channel.ChannelId, token);
                table.Row(terms.Channel.ChannelId, terms.Channel.Payee, terms.Channel.Deposit, terms.PricePerUnit,
                    record?.ExpiresAt.ToString("u"), record switch
                    {
                        null => "unknown to the ledger",
                        { Settled: true } => "settled",
                        { CloseRequestedUntil: { } until } => $"closing until {until:u}",
                        _ => "open",
                    }, record?.PaidToPayee, record?.RefundedToPayer);
            }

            CliConsole.Create().Write(table);
            return 0;
        }));
        return command;
    }
}

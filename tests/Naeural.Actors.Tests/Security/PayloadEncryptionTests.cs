using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// <c>ENCRYPT_PAYLOADS</c>: payloads sealed for the owner's key (learnt from its signed create), opened by the owner's
/// client, unreadable to anyone else, bound to their place in the stream, and still signed by the node over the whole envelope.
/// </summary>
public sealed class PayloadEncryptionTests(SingleNodeFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _owner = new();

    [Fact]
    public async Task Encrypted_payloads_reach_the_owner_decrypted_and_carry_no_plaintext()
    {
        var client = _owner.ClientFor(fixture.Node);
        await client.DeployAsync(Encrypted("sealed"));
        await client.DeployAsync(Specs.Sensor("in-clear", "PASS_THROUGH", rate: 50));
        var encrypted = new PayloadCollector();
        var clear = new PayloadCollector();
        await using var a = await encrypted.SubscribeAsync(client, "sealed");
        await using var b = await clear.SubscribeAsync(client, "in-clear");

        await AwaitAssertAsync(() => Assert.True(encrypted.Payloads.Count >= 5 && clear.Payloads.Count >= 1), Bound, Poll);
        Assert.All(encrypted.Payloads, p =>
        {
            Assert.True(p.Verified && p.Decrypted, "verified and decrypted");
            Assert.True(PayloadFormat.IsEncrypted(p.Json));
            Assert.Null(p.Json[PayloadFormat.DataField]);
            Assert.Equal(_owner.Address, p.Json[PayloadFormat.DestinationField]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrEmpty(p.Json[PayloadFormat.EncryptedDataField]!.GetValue<string>()));
            Assert.Equal(KeysOf(clear.Payloads[0].Data), KeysOf(p.Data)); // the plaintext is the plugin's DATA, as in clear
        });
        Assert.All(clear.Payloads, p => Assert.False(p.Decrypted || PayloadFormat.IsEncrypted(p.Json)));
    }

    [Fact]
    public async Task Nobody_but_the_owner_opens_them_and_a_ciphertext_does_not_open_in_another_payload()
    {
        var client = _owner.ClientFor(fixture.Node);
        await client.DeployAsync(Encrypted("private"));
        var collector = new PayloadCollector();
        await using (var subscription = await collector.SubscribeAsync(client, "private"))
        {
            await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 2), Bound, Poll);
        }

        var (first, second) = (collector.Payloads[0].Json, collector.Payloads[1].Json);
        var nodeKey = fixture.Node.Service<NodeKey>().PublicKey.ToArray();
        Assert.NotNull(_owner.Key.Open(nodeKey, Sealed(first), PayloadFormat.AssociatedData(first))); // the owner: yes

        foreach (var outsider in new[] { new Developer().Key, NodeKey.Generate() }) // another developer, another node
        {
            Assert.ThrowsAny<CryptographicException>(() => outsider.Open(nodeKey, Sealed(first), PayloadFormat.AssociatedData(first)));
        }

        // Moved into the next payload's envelope (other sequence number), it no longer opens.
        Assert.ThrowsAny<CryptographicException>(() => _owner.Key.Open(nodeKey, Sealed(first), PayloadFormat.AssociatedData(second)));

        // Tampered in transit: the node's signature over the envelope no longer holds, so the client refuses before decrypting.
        var tampered = (JsonObject)first.DeepClone();
        tampered[PayloadFormat.EncryptedDataField] = Convert.ToBase64String(Sealed(second));
        Assert.False(SignedJson.Verify(tampered, new Secp256k1Verifier()).IsValid);
    }

    [Fact]
    public async Task A_subscriber_with_another_key_gets_no_garbage_only_decryption_failures()
    {
        var client = _owner.ClientFor(fixture.Node);
        await client.DeployAsync(Encrypted("wrong-key"));
        var stranger = new Developer();
        var wrongKey = NaeuralClient.ForNode(fixture.Node.System, _owner.Key, Developer.Options with { Decryptor = stranger.Key });
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(wrongKey, "wrong-key");

        await AwaitAssertAsync(() => Assert.True(collector.Notifications.Count(n => n.Code == NotificationCodes.DecryptionFailed) >= 3), Bound, Poll);
        var state = await subscription.GetStateAsync();
        Assert.Empty(collector.Payloads);
        Assert.True(state.Undecryptable >= 3 && state.LastDelivered >= state.Undecryptable, $"{state}");
        Assert.Contains("does not open", collector.Notifications.First(n => n.Code == NotificationCodes.DecryptionFailed).Message);
    }

    [Fact]
    public async Task Encryption_needs_the_owners_own_signature_on_the_create_and_a_boolean()
    {
        var operatorKey = fixture.Node.Service<NodeKey>();
        var onBehalf = SignedCommand.Create(PipelineActions.Create, "on-behalf", JsonNode.Parse(Encrypted("on-behalf")), operatorKey,
            DateTimeOffset.UtcNow, owner: _owner.Address);
        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => fixture.Node.Client.SendAsync(onBehalf));
        Assert.Equal(RejectionCodes.InvalidSpec, error.Code);
        Assert.Contains($"{PipelineSpec.EncryptPayloadsKey}: the owner's key is unknown", error.Reason);

        var notBoolean = await Assert.ThrowsAsync<PipelineCommandException>(() =>
            _owner.ClientFor(fixture.Node).DeployAsync(Encrypted("maybe").Replace("\"ENCRYPT_PAYLOADS\": true", "\"ENCRYPT_PAYLOADS\": \"sometimes\"")));
        Assert.Equal(RejectionCodes.InvalidSpec, notBoolean.Code);
        Assert.Contains($"{PipelineSpec.EncryptPayloadsKey}:", notBoolean.Reason);
    }

    [Fact]
    public async Task The_owners_key_is_persisted_with_the_pipeline_and_payloads_stay_encrypted_after_a_restart()
    {
        using var data = new TempDirectory();
        var options = new NodeOptions { Port = 0, DataDirectory = data.Sub("node"), HeartbeatSeconds = 0.5, Http = new HttpOptions { Port = 0 } };
        await using (var first = await StartAsync(options))
        {
            await _owner.ClientFor(first).DeployAsync(Encrypted("durable-secret"));
        }

        var restartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var second = await StartAsync(options);
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(_owner.ClientFor(second), "durable-secret");
        IEnumerable<ReceivedPayload> SinceRestart() =>
            collector.Payloads.Where(p => p.Json[PayloadFormat.TimestampField]!.GetValue<long>() >= restartedAt);
        await AwaitAssertAsync(() => Assert.True(SinceRestart().Count() >= 3), TimeSpan.FromSeconds(30), Poll);
        Assert.All(collector.Payloads, p => Assert.True(p.Verified && p.Decrypted && PayloadFormat.IsEncrypted(p.Json)));
    }

    private static string Encrypted(string name) =>
        Specs.Sensor(name, "PASS_THROUGH", rate: 50).Replace("\"SEED\": 7", "\"SEED\": 7, \"ENCRYPT_PAYLOADS\": true");

    private static byte[] Sealed(JsonObject envelope) => Convert.FromBase64String(envelope[PayloadFormat.EncryptedDataField]!.GetValue<string>());

    private static string KeysOf(JsonNode? data) => string.Join(",", data!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));

    private static async Task<InProcessNode> StartAsync(NodeOptions options)
    {
        var host = NodeHost.Build(options);
        await host.StartAsync();
        var node = InProcessNode.From(host);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(node.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Host.Http;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Http;

/// <summary>The node's HTTP API against a real in-process node over real HTTP: every answer is checked from its JSON.</summary>
[Collection(InProcessNodes.Name)]
public sealed class HttpApiTests(HttpNodeFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<HttpNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly Secp256k1Verifier Verifier = new();

    private HttpClient Http => fixture.Http;

    private string NodeId => fixture.Node.NodeId;

    [Fact]
    public async Task A_deploy_posted_as_signed_JSON_runs_and_the_pipeline_is_listed_with_its_plugins()
    {
        var developer = new Developer();

        var (status, body) = await CommandAsync(Sign(PipelineActions.Create, "http-deploy",
            JsonNode.Parse(Specs.Sensor("http-deploy", "PASS_THROUGH", rate: 5)), developer.Key));

        Assert.Equal((HttpStatusCode.OK, NotificationCodes.PipelineOk), (status, Code(body)));
        Assert.Equal(CommandEnvelope.PipelineIdOf(developer.Address, "http-deploy"), (string?)body["PIPELINE"]);
        await AwaitAssertAsync(async () =>
        {
            var (listStatus, list) = await GetAsync($"/api/pipelines?owner={developer.Address}");
            Assert.Equal(HttpStatusCode.OK, listStatus);
            var pipeline = Assert.Single(list["pipelines"]!.AsArray());
            Assert.Equal(("http-deploy", "Running", NodeId), ((string?)pipeline!["name"], (string?)pipeline["status"], (string?)pipeline["nodeId"]));
        }, Bound, Poll);
        var (_, all) = await GetAsync("/api/pipelines?all=true");
        Assert.Contains(all["pipelines"]!.AsArray(), p => (string?)p!["owner"] == developer.Address.ToLowerInvariant() || (string?)p["name"] == "http-deploy");
        var (detailStatus, detail) = await GetAsync($"/api/pipelines/{developer.Address}/http-deploy");
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        var plugin = Assert.Single(detail["plugins"]!.AsArray());
        Assert.Equal(("PASS_THROUGH", "main"), ((string?)plugin!["signature"], (string?)plugin["instances"]![0]));
    }

    [Fact]
    public async Task A_forged_signature_is_401_BAD_SIGNATURE_and_the_node_still_serves()
    {
        var signed = JsonNode.Parse(Sign(PipelineActions.UpdateConfig, HttpNodeFixture.Served, new JsonObject { ["CAP_RESOLUTION"] = 9 }).Json)!.AsObject();
        signed[SignedCommand.PayloadField] = new JsonObject { ["CAP_RESOLUTION"] = 1000 }; // changed after signing

        var (status, body) = await PostAsync("/api/commands", signed.ToJsonString());

        Assert.Equal((HttpStatusCode.Unauthorized, RejectionCodes.BadSignature), (status, Code(body)));
        Assert.False(string.IsNullOrEmpty(Reason(body)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_replayed_command_is_409_REPLAYED_and_the_node_still_serves()
    {
        var command = Sign(PipelineActions.UpdateConfig, HttpNodeFixture.Served, new JsonObject { ["CAP_RESOLUTION"] = 6 });

        var first = await CommandAsync(command);
        var again = await CommandAsync(command);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.Conflict, RejectionCodes.Replayed), (again.Status, Code(again.Body)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_stale_command_is_401_STALE_and_the_node_still_serves()
    {
        var (status, body) = await CommandAsync(Sign(PipelineActions.UpdateConfig, HttpNodeFixture.Served,
            new JsonObject { ["CAP_RESOLUTION"] = 6 }, at: DateTimeOffset.UtcNow.AddMinutes(-10)));

        Assert.Equal((HttpStatusCode.Unauthorized, RejectionCodes.Stale), (status, Code(body)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_command_for_someone_elses_pipeline_is_403_NOT_OWNER_and_the_node_still_serves()
    {
        var (status, body) = await CommandAsync(Sign(PipelineActions.Stop, HttpNodeFixture.Served, null, NodeKey.Generate(),
            owner: fixture.Owner.Address));

        Assert.Equal((HttpStatusCode.Forbidden, RejectionCodes.NotOwner), (status, Code(body)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task An_oversized_body_is_413_TOO_LARGE_with_or_without_a_declared_length_and_the_node_still_serves()
    {
        var huge = new string('x', HttpNodeFixture.MaxBodyBytes + 1024);
        var declared = new HttpRequestMessage(HttpMethod.Post, "/api/commands") { Content = new StringContent(huge) };
        declared.Headers.ExpectContinue = true; // the node answers before the body is sent
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/commands")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))), // no length: read until over the limit
        };

        foreach (var request in new[] { declared, chunked })
        {
            var (status, body) = await SendAsync(request);
            Assert.Equal((HttpStatusCode.RequestEntityTooLarge, RejectionCodes.TooLarge), (status, Code(body)));
        }

        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("{\"ACTION\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public async Task A_body_that_is_not_a_JSON_object_is_400_MALFORMED_with_a_reason_and_the_node_still_serves(string body)
    {
        var (status, answer) = await PostAsync("/api/commands", body);

        Assert.Equal((HttpStatusCode.BadRequest, RejectionCodes.Malformed), (status, Code(answer)));
        Assert.False(string.IsNullOrEmpty(Reason(answer)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task An_unknown_action_is_400_UNKNOWN_ACTION_and_an_unknown_pipeline_404_and_the_node_still_serves()
    {
        var unknownAction = await CommandAsync(Sign("SELF_DESTRUCT", HttpNodeFixture.Served, null));
        var unknownPipeline = await CommandAsync(Sign(PipelineActions.Stop, "never-deployed", null));

        Assert.Equal((HttpStatusCode.BadRequest, RejectionCodes.UnknownAction), (unknownAction.Status, Code(unknownAction.Body)));
        Assert.Equal((HttpStatusCode.NotFound, RejectionCodes.UnknownPipeline), (unknownPipeline.Status, Code(unknownPipeline.Body)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_distributed_job_is_started_and_read_back_over_HTTP()
    {
        var developer = new Developer();
        var spec = new JsonObject
        {
            [JobSpec.NameKey] = "http-sum", ["WORKERS"] = 1, ["PLUGIN"] = "STATS", ["CONFIG"] = new JsonObject { ["FIELD"] = "v" },
            ["INPUT"] = new JsonArray(new JsonObject { ["v"] = 1 }, new JsonObject { ["v"] = 2 }, new JsonObject { ["v"] = 39 }),
        };

        var started = await CommandAsync(Sign(JobActions.Start, "http-sum", spec, developer.Key));
        var unknown = await CommandAsync(Sign(JobActions.Get, "no-such-job", null, developer.Key));

        Assert.Equal((HttpStatusCode.OK, JobCodes.Started), (started.Status, Code(started.Body)));
        Assert.Equal((HttpStatusCode.NotFound, RejectionCodes.UnknownJob), (unknown.Status, Code(unknown.Body)));
        await AwaitAssertAsync(async () =>
        {
            var (status, job) = await CommandAsync(Sign(JobActions.Get, "http-sum", null, developer.Key));
            Assert.Equal((HttpStatusCode.OK, "COMPLETED"), (status, (string?)job["STATE"]));
            Assert.Equal((3L, 42m), (job["RESULT"]!["COUNT"]!.GetValue<long>(), job["RESULT"]!["SUM"]!.GetValue<decimal>()));
        }, Bound, Poll);
    }

    [Fact]
    public async Task A_signed_subscription_streams_the_pipelines_payloads_signed_by_the_node_in_order_each_once_and_resumes_after_a_sequence()
    {
        var developer = new Developer();
        var deployed = await CommandAsync(Sign(PipelineActions.Create, "http-sse",
            JsonNode.Parse(Specs.Sensor("http-sse", "PASS_THROUGH", rate: 20)), developer.Key));
        Assert.Equal(HttpStatusCode.OK, deployed.Status);

        var first = await ReadPayloadsAsync("/api/commands",
            Sign(PipelineActions.Subscribe, "http-sse", new JsonObject { ["AFTER_SEQUENCE"] = 0 }, developer.Key), 30);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), first.Select(p => p.Sequence));
        foreach (var payload in first)
        {
            var check = SignedJson.Verify(payload.Json, Verifier);
            Assert.True(check.IsValid, check.Error);
            Assert.Equal(NodeId, check.Signer, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(payload.Sequence, payload.Json[PayloadFormat.SequenceField]!.GetValue<long>());
            Assert.Equal("http-sse", (string?)payload.Json[PayloadFormat.PathField]![1]);
        }

        // What the first stream wrote was acknowledged: a new one after #30 never repeats a number up to 30, and has no gap.
        var resumed = await ReadPayloadsAsync("/api/payloads",
            Sign(PipelineActions.Subscribe, "http-sse", new JsonObject { ["AFTER_SEQUENCE"] = 30 }, developer.Key), 10);

        Assert.True(resumed[0].Sequence > 30, $"resumed at #{resumed[0].Sequence}");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => resumed[0].Sequence + i), resumed.Select(p => p.Sequence));
        Assert.All(resumed, p => Assert.True(SignedJson.Verify(p.Json, Verifier).IsValid));
    }

    [Fact]
    public async Task A_subscription_by_someone_other_than_the_owner_is_403_and_no_stream_starts()
    {
        var (status, body) = await CommandAsync(Sign(PipelineActions.Subscribe, HttpNodeFixture.Served, null, NodeKey.Generate(),
            owner: fixture.Owner.Address));

        Assert.Equal((HttpStatusCode.Forbidden, RejectionCodes.NotOwner), (status, Code(body)));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Signed_ledger_requests_are_applied_once_and_refused_with_the_gates_codes()
    {
        var developer = new Developer();
        var mint = LedgerRequests.Sign(new MintTokens(developer.Address, 1_234), fixture.Authority, DateTimeOffset.UtcNow);

        var applied = await PostAsync("/api/ledger", mint.Json);
        var replayed = await PostAsync("/api/ledger", mint.Json);
        var notAuthority = await PostAsync("/api/ledger",
            LedgerRequests.Sign(new MintTokens(developer.Address, 1), developer.Key, DateTimeOffset.UtcNow).Json);
        var forged = JsonNode.Parse(LedgerRequests.Sign(new MintTokens(developer.Address, 1), fixture.Authority, DateTimeOffset.UtcNow).Json)!.AsObject();
        forged["AMOUNT"] = "1000000";
        var tampered = await PostAsync("/api/ledger", forged.ToJsonString());
        var malformed = await PostAsync("/api/ledger", "{\"LEDGER_ACTION\": 12");
        var overdrawn = await PostAsync("/api/ledger", LedgerRequests.Sign(new OpenChannel(developer.Address,
            new ChannelTerms(ChannelId(), developer.Address, NodeId, 1_000_000), TimeSpan.FromHours(1)), developer.Key, DateTimeOffset.UtcNow).Json);

        Assert.Equal((HttpStatusCode.OK, JsonReplies.Ok), (applied.Status, Code(applied.Body)));
        Assert.Equal((HttpStatusCode.Conflict, LedgerRequests.Replayed), (replayed.Status, Code(replayed.Body)));
        Assert.Equal((HttpStatusCode.Forbidden, LedgerRequests.NotAuthorised), (notAuthority.Status, Code(notAuthority.Body)));
        Assert.Equal((HttpStatusCode.Unauthorized, LedgerRequests.BadSignature), (tampered.Status, Code(tampered.Body)));
        Assert.Equal((HttpStatusCode.BadRequest, RejectionCodes.Malformed), (malformed.Status, Code(malformed.Body)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, JsonReplies.Refused), (overdrawn.Status, Code(overdrawn.Body)));
        var (_, balances) = await GetAsync($"/api/balances?address={developer.Address}");
        Assert.Equal("1234", (string?)balances["balances"]![0]!["balance"]);
    }

    [Fact]
    public async Task The_read_endpoints_show_the_network_this_nodes_channels_and_its_signed_receipts()
    {
        var developer = new Developer();
        var minted = await PostAsync("/api/ledger",
            LedgerRequests.Sign(new MintTokens(developer.Address, 10_000), fixture.Authority, DateTimeOffset.UtcNow).Json);
        Assert.Equal(HttpStatusCode.OK, minted.Status);
        await using var client = developer.ClientFor(fixture.Node);
        await using var channel = await client.OpenChannelAsync(developer.Key, NodeId, 5_000, new PayerOptions { PollInterval = Poll });
        var deployed = await CommandAsync(Sign(PipelineActions.Create, "http-billed",
            JsonNode.Parse(Specs.Sensor("http-billed", "COUNTER", rate: 0, source: "\"MAX_FRAMES\": 50")), developer.Key));
        Assert.Equal(HttpStatusCode.OK, deployed.Status);

        await AwaitAssertAsync(async () =>
        {
            var (_, channels) = await GetAsync("/api/channels");
            var owner = Assert.Single(channels["owners"]!.AsArray(), o => (string?)o!["owner"] == developer.Address.ToLowerInvariant())!;
            Assert.Equal(("50", "50"), ((string?)owner["account"]!["billed"], (string?)owner["account"]!["collected"]));
            var open = Assert.Single(owner["channels"]!.AsArray())!;
            Assert.Equal((channel.ChannelId, "5000"), ((string?)open["channelId"], (string?)open["ledger"]!["deposit"]));
        }, Bound, Poll);
        var (_, receipts) = await GetAsync($"/api/receipts?owner={developer.Address}&after=0");
        var issued = receipts["owners"]![0]!["receipts"]!.AsArray();
        Assert.NotEmpty(issued);
        foreach (var receipt in issued)
        {
            var check = SignedJson.Verify(receipt!["signed"]!.AsObject(), Verifier);
            Assert.True(check.IsValid, check.Error);
            Assert.Equal(NodeId, check.Signer, StringComparer.OrdinalIgnoreCase);
        }

        // The owner reads its own with a signed read over HTTP; another key asking for them is refused and gets nothing.
        var (ownStatus, own) = await CommandAsync(Sign(ReadActions.Receipts, "", new JsonObject { [ReadActions.AfterField] = 0, [ReadActions.NodeField] = NodeId }, developer.Key));
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Equal(issued.Count, own["receipts"]!.AsArray().Count);
        var (billedStatus, billed) = await CommandAsync(Sign(ReadActions.Billed, "", new JsonObject { [ReadActions.NodeField] = NodeId }, developer.Key));
        Assert.Equal((HttpStatusCode.OK, "50"), (billedStatus, (string?)billed["billed"]));
        var stranger = await CommandAsync(Sign(ReadActions.Receipts, "", new JsonObject { [ReadActions.NodeField] = NodeId }, NodeKey.Generate(), owner: developer.Address));
        Assert.Equal((HttpStatusCode.Forbidden, RejectionCodes.NotOwner), (stranger.Status, Code(stranger.Body)));
        Assert.Null(stranger.Body["receipts"]);

        var (_, everyone) = await GetAsync("/api/receipts");
        Assert.Contains(everyone["owners"]!.AsArray(), o => (string?)o!["owner"] == developer.Address.ToLowerInvariant());
        await AwaitAssertAsync(async () =>
        {
            var (_, nodes) = await GetAsync("/api/nodes");
            var self = Assert.Single(nodes["nodes"]!.AsArray())!;
            Assert.Equal((NodeId, true), ((string?)self["resources"]!["nodeId"], (bool)self["reachable"]!));
            Assert.True(self["resources"]!["payloadsEmitted"]!.GetValue<long>() > 0, "the heartbeat counts emitted payloads");
        }, Bound, Poll);
        var (_, node) = await GetAsync("/api/node");
        Assert.Equal(NodeId, (string?)node["nodeId"]);
    }

    [Fact]
    public async Task Observers_and_an_epoch_pool_set_over_HTTP_show_in_the_epoch_archive_with_this_nodes_claimed_reward()
    {
        var clock = new EpochClock(fixture.Node.Service<Naeural.Host.Hosting.NodeOptions>().EpochGenesis, TimeSpan.FromSeconds(HttpNodeFixture.EpochSeconds));
        var epoch = clock.EpochAt(DateTimeOffset.UtcNow) + 1;
        var observers = await PostAsync("/api/ledger",
            LedgerRequests.Sign(new SetRewardObservers([NodeId], 1), fixture.Authority, DateTimeOffset.UtcNow).Json);
        var funded = await PostAsync("/api/ledger",
            LedgerRequests.Sign(new FundEpochRewards(epoch, 700), fixture.Authority, DateTimeOffset.UtcNow).Json);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (observers.Status, funded.Status));

        await AwaitAssertAsync(async () =>
        {
            var (status, archive) = await GetAsync($"/api/epochs?epoch={epoch}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(1, archive["observers"]!["threshold"]!.GetValue<int>());
            var report = Assert.Single(archive["epochs"]!.AsArray())!;
            Assert.True(report["known"]!.GetValue<bool>());
            Assert.True(report["result"]![NodeId.ToLowerInvariant()]!.GetValue<int>() > 200, "a node up all epoch is available");
            Assert.NotEmpty(report["signatures"]!.AsArray());
            Assert.Equal(("700", "700"), ((string?)report["reward"]!["pool"], (string?)report["reward"]!["claimed"]));
        }, Bound, Poll);
        var (_, newest) = await GetAsync("/api/epochs?count=3");
        Assert.NotEmpty(newest["epochs"]!.AsArray());
    }

    [Fact]
    public async Task Errors_are_JSON_for_unknown_routes_wrong_methods_and_bad_queries()
    {
        var missing = await GetAsync("/api/no-such-thing");
        using var wrongMethod = await Http.DeleteAsync("/api/nodes");
        var badOwner = await GetAsync("/api/pipelines?owner=nobody");
        var unlisted = await GetAsync($"/api/pipelines/{fixture.Owner.Address}/not-deployed");

        Assert.Equal((HttpStatusCode.NotFound, JsonReplies.NotFound), (missing.Status, Code(missing.Body)));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(JsonReplies.MethodNotAllowed, Code(JsonNode.Parse(await wrongMethod.Content.ReadAsStringAsync())!.AsObject()));
        Assert.Equal((HttpStatusCode.BadRequest, RejectionCodes.Malformed), (badOwner.Status, Code(badOwner.Body)));
        Assert.Equal((HttpStatusCode.NotFound, RejectionCodes.UnknownPipeline), (unlisted.Status, Code(unlisted.Body)));
    }

    [Fact]
    public async Task A_request_under_a_name_other_than_loopback_is_400_BAD_HOST_and_the_node_still_serves()
    {
        // What a page on evil.example sees after rebinding its own name to 127.0.0.1.
        var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/node");
        rebound.Headers.Host = $"evil.example:{fixture.Node.HttpAddress!.Port}";
        var (status, body) = await SendAsync(rebound);
        var named = new HttpRequestMessage(HttpMethod.Get, "/api/node");
        named.Headers.Host = $"localhost:{fixture.Node.HttpAddress!.Port}";
        var (namedStatus, _) = await SendAsync(named);

        Assert.Equal((HttpStatusCode.BadRequest, RequestGuard.BadHost), (status, Code(body)));
        Assert.Equal(HttpStatusCode.OK, namedStatus);
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData(RejectionCodes.Malformed, 400)]
    [InlineData(RejectionCodes.InvalidSpec, 400)]
    [InlineData(RejectionCodes.UnknownAction, 400)]
    [InlineData(RejectionCodes.UnknownJobPlugin, 400)]
    [InlineData(RejectionCodes.BadSignature, 401)]
    [InlineData(RejectionCodes.Stale, 401)]
    [InlineData(RejectionCodes.NotOwner, 403)]
    [InlineData(RejectionCodes.NotAllowed, 403)]
    [InlineData(RejectionCodes.Replayed, 409)]
    [InlineData(RejectionCodes.AlreadyExists, 409)]
    [InlineData(RejectionCodes.UnknownPipeline, 404)]
    [InlineData(RejectionCodes.UnknownInstance, 404)]
    [InlineData(RejectionCodes.UnknownJob, 404)]
    [InlineData(RejectionCodes.TooLarge, 413)]
    [InlineData(RejectionCodes.Timeout, 504)]
    public void Every_rejection_code_has_its_HTTP_status(string code, int status) =>
        Assert.Equal(status, JsonReplies.StatusOfCommand(code));

    private SignedCommand Sign(string action, string pipeline, JsonNode? payload, NodeKey? key = null, DateTimeOffset? at = null, string? owner = null) =>
        SignedCommand.Create(action, pipeline, payload, key ?? fixture.Owner.Key, at ?? DateTimeOffset.UtcNow, owner);

    /// <summary>A valid command after a refusal: the node still obeys.</summary>
    private async Task AssertStillServesAsync()
    {
        var (status, body) = await CommandAsync(Sign(PipelineActions.UpdateConfig, HttpNodeFixture.Served, new JsonObject { ["CAP_RESOLUTION"] = 5 }));
        Assert.Equal((HttpStatusCode.OK, PipelineActions.UpdateConfig), (status, (string?)body["ACTION"]));
        Assert.Contains(Code(body), new[] { NotificationCodes.ConfigOk, NotificationCodes.PipelineOk });
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> CommandAsync(SignedCommand command) => PostAsync("/api/commands", command.Json);

    private Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, string body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

    private Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    private async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await Http.SendAsync(request))
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }
    }

    /// <summary>Posts a signed subscription and reads <paramref name="count"/> payload events off the stream, then closes it.</summary>
    private async Task<List<(long Sequence, JsonObject Json)>> ReadPayloadsAsync(string path, SignedCommand subscription, int count)
    {
        using var cancellation = new CancellationTokenSource(Bound);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(subscription.Json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(cancellation.Token));
        Assert.Equal("subscribed", (await events.NextAsync(cancellation.Token))?.Name);
        var payloads = new List<(long, JsonObject)>();
        while (payloads.Count < count && await events.NextAsync(cancellation.Token) is { } e)
        {
            if (e.Name == "payload")
            {
                payloads.Add((long.Parse(e.Id!), JsonNode.Parse(e.Data)!.AsObject()));
            }
        }

        Assert.Equal(count, payloads.Count);
        return payloads;
    }

    private static string ChannelId() => "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static string? Code(JsonObject body) => (string?)body[JsonReplies.CodeField];

    private static string? Reason(JsonObject body) => (string?)body[JsonReplies.ReasonField];
}

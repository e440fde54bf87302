using Naeural.Actors.Client;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Vision;

/// <summary>One node serving PaddleOCR's PP-OCRv4 detector and recogniser (ONNX Runtime) from its models folder.</summary>
public sealed class OcrNodeFixture : IAsyncLifetime
{
    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    public string FilesRoot => Path.Combine(Node.DataDirectory, "files");

    public async Task InitializeAsync() => Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        OcrModels.InstallInto(o.FullDataDirectory)));

    public async Task DisposeAsync() => await Network.DisposeAsync();

    /// <summary>Renders a clip with ffmpeg into the files root: white 640×480, each phrase in black for one second, in order.</summary>
    public async Task<string> RenderAsync(string name, params string[] phrases)
    {
        var path = Path.Combine(FilesRoot, name);
        Directory.CreateDirectory(FilesRoot);
        var font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        var text = string.Join(",", phrases.Select((p, i) =>
            $"drawtext=fontfile={font}:text='{p}':fontsize=44:fontcolor=black:x=(w-text_w)/2:y=(h-text_h)/2:enable='gte(t,{i})*lt(t,{i + 1})'"));
        await Ffmpeg.RunAsync("-f", "lavfi", "-i", $"color=c=white:s=640x480:r=10:d={phrases.Length}", "-vf", text, "-pix_fmt", "yuv420p",
            "-c:v", "libx264", path);
        return path;
    }
}

public sealed class OcrPipelineTests(OcrNodeFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit, IClassFixture<OcrNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();

    private NaeuralClient Client => _developer.ClientFor(fixture.Node);

    [Fact]
    public async Task A_video_of_known_text_is_read_phrase_by_phrase_in_order_and_watched_words_raise_an_alert()
    {
        string[] phrases = ["NAEURAL 2026", "HELLO WORLD", "GATE 7 OPEN", "TRUCK AB123CD"];
        var video = await fixture.RenderAsync("signs.mp4", phrases);
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "signs");

        await Client.DeployAsync($$"""
            { "NAME": "signs", "TYPE": "Video", "URL": "{{video}}", "CAP_RESOLUTION": 1, "WIDTH": 640, "HEIGHT": 480,
              "PLUGINS": [ { "SIGNATURE": "OCR_TEXT",
                             "INSTANCES": [ { "INSTANCE_ID": "reader", "WATCH": "truck, gate", "MAX_PICTURES_IN_FLIGHT": 6 } ] } ] }
            """);

        await AwaitAssertAsync(() => Assert.Contains(collector.Payloads, p => p.Data!["TEXT"]!.GetValue<string>().Contains("TRUCK")), Bound, Poll);
        var read = collector.Payloads.Select(p => p.Data!["TEXT"]!.GetValue<string>()).ToList();
        output.WriteLine(string.Join(" / ", collector.Payloads.Select(p => $"{p.Data!["TEXT"]} ({p.Data!["LINES"]!.ToJsonString()})")));
        // One picture a second, one phrase each (at most 6 in flight: none skipped).
        Assert.All(collector.Payloads, p => Assert.Equal(0, p.Data!["PICTURES_SKIPPED"]!.GetValue<long>()));
        // PP-OCRv4's recogniser (trained mostly on Chinese) may drop the space around a lone digit ("GATE7OPEN"): letters and
        // digits must be exact, in order, one payload a phrase.
        Assert.Equal(phrases.Select(p => p.Replace(" ", "")), read.Select(r => r.Replace(" ", "")));
        Assert.Equal(phrases[0], read[0]);
        Assert.Equal([false, false, true, true], collector.Payloads.Select(p => p.Data!["IS_ALERT"]!.GetValue<bool>()));
        Assert.Equal("gate", collector.Payloads[2].Data!["WATCHED"]![0]!.GetValue<string>());
        Assert.All(collector.Payloads, p => Assert.True(p.Data!["LINES"]![0]!["CONFIDENCE"]!.GetValue<double>() > 0.8, p.Data!.ToJsonString()));
    }

    [Fact]
    public async Task A_reader_naming_a_model_the_node_lacks_is_told_why_once_and_the_node_goes_on_reading_for_others()
    {
        var video = await fixture.RenderAsync("gate.mp4", "GATE OPEN", "GATE OPEN", "GATE OPEN");
        var (broken, unlabelled, working) = (new PayloadCollector(), new PayloadCollector(), new PayloadCollector());
        await using var brokenSubscription = await broken.SubscribeAsync(Client, "no-model");
        await using var unlabelledSubscription = await unlabelled.SubscribeAsync(Client, "not-a-reader");
        await using var workingSubscription = await working.SubscribeAsync(Client, "gate");

        await Client.DeployAsync(Spec("no-model", video, """ "DET_MODEL": "no-such-detector" """));
        await Client.DeployAsync(Spec("not-a-reader", video, """ "REC_MODEL": "mlp" """));
        await Client.DeployAsync(Spec("gate", video, ""));

        await AwaitAssertAsync(() => Assert.Contains(working.Payloads, p => p.Data!["TEXT"]!.GetValue<string>() == "GATE OPEN"), Bound, Poll);
        await AwaitAssertAsync(() => Assert.Contains(broken.Notifications, n => n.Message.Contains("capture closed")), Bound, Poll);
        await AwaitAssertAsync(() => Assert.Contains(unlabelled.Notifications, n => n.Message.Contains("capture closed")), Bound, Poll);
        // Six pictures each, one notice each: told once, not once a picture.
        Assert.Single(broken.Notifications, n => n.Message.Contains("model 'no-such-detector' (DET_MODEL) is not served on this node"));
        Assert.Single(unlabelled.Notifications, n => n.Message.Contains("model 'mlp' (REC_MODEL) takes [64], not a picture of a line"));
        Assert.Empty(broken.Payloads);
        Assert.Empty(unlabelled.Payloads);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Client.DeployAsync(Spec("greedy", video, """ "MAX_LINES": 10000 """)));
        Assert.Contains("MAX_LINES", refused.Message);
    }

    private static string Spec(string name, string video, string extra) => $$"""
        { "NAME": "{{name}}", "TYPE": "Video", "URL": "{{video}}", "CAP_RESOLUTION": 2, "WIDTH": 640, "HEIGHT": 480,
          "PLUGINS": [ { "SIGNATURE": "OCR_TEXT", "INSTANCES": [ { "INSTANCE_ID": "reader" {{(extra.Length > 0 ? "," + extra : "")}} } ] } ] }
        """;
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Capture;

/// <summary>
/// One node whose operator lets tenants' video sources reach streams on loopback; files come from its default files root.
/// Videos and pictures are rendered here with ffmpeg (known colours), so what the pipeline reports can be checked.
/// </summary>
public sealed class VideoSourcesFixture : IAsyncLifetime
{
    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    public string FilesRoot => Path.Combine(Node.DataDirectory, "files");

    public async Task InitializeAsync() => Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        o.Sources.HttpTargets = "127.0.0.1:*"));

    public async Task DisposeAsync() => await Network.DisposeAsync();

    /// <summary>Renders with ffmpeg (lavfi sources: colours, a test pattern) into the files root.</summary>
    public async Task<string> RenderAsync(string name, params string[] arguments)
    {
        var path = Path.Combine(FilesRoot, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Ffmpeg.RunAsync([.. arguments, path]);
        return path;
    }
}

public sealed class VideoCaptureTests(VideoSourcesFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<VideoSourcesFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();

    private NaeuralClient Client => _developer.ClientFor(fixture.Node);

    [Fact]
    public async Task A_video_file_is_decoded_frame_by_frame_at_the_asked_size_and_its_colours_come_through_in_order()
    {
        // One second each of red, green and blue at 10 frames per second.
        var video = await fixture.RenderAsync("colours.mp4", "-f", "lavfi", "-i", "color=c=red:s=64x48:r=10:d=1", "-f", "lavfi", "-i",
            "color=c=lime:s=64x48:r=10:d=1", "-f", "lavfi", "-i", "color=c=blue:s=64x48:r=10:d=1",
            "-filter_complex", "[0][1][2]concat=n=3:v=1", "-pix_fmt", "yuv420p", "-c:v", "libx264");
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "colours");

        await Client.DeployAsync(Spec("colours", video, """ "WIDTH": 32, "HEIGHT": 24 """));

        await AwaitAssertAsync(() => Assert.Equal(30, collector.Payloads.Count), Bound, Poll);
        var dominant = collector.Payloads.Select(p => p.Data!["DOMINANT"]!.GetValue<string>()).ToList();
        Assert.Equal([.. Enumerable.Repeat("RED", 10), .. Enumerable.Repeat("GREEN", 10), .. Enumerable.Repeat("BLUE", 10)], dominant);
        Assert.All(collector.Payloads, p => Assert.Equal((32, 24), (p.Data!["WIDTH"]!.GetValue<int>(), p.Data!["HEIGHT"]!.GetValue<int>())));
        Assert.True(collector.Payloads[0].Data!["MEAN_R"]!.GetValue<double>() > 200, "red is red");
        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Message.Contains("capture closed")), Bound, Poll);
    }

    [Fact]
    public async Task A_folder_of_pictures_is_read_in_name_order_one_frame_each()
    {
        await fixture.RenderAsync("stills/a.png", "-f", "lavfi", "-i", "color=c=blue:s=40x30:d=0.1", "-frames:v", "1");
        await fixture.RenderAsync("stills/b.jpg", "-f", "lavfi", "-i", "color=c=black:s=80x60:d=0.1", "-frames:v", "1");
        await fixture.RenderAsync("stills/c.bmp", "-f", "lavfi", "-i", "color=c=red:s=20x20:d=0.1", "-frames:v", "1");
        await File.WriteAllTextAsync(Path.Combine(fixture.FilesRoot, "stills", "notes.txt"), "not a picture");
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "stills");

        await Client.DeployAsync(Spec("stills", Path.Combine(fixture.FilesRoot, "stills"), """ "WIDTH": 16, "HEIGHT": 16 """));

        await AwaitAssertAsync(() => Assert.Equal(3, collector.Payloads.Count), Bound, Poll);
        Assert.Equal(("BLUE", "RED"), (collector.Payloads[0].Data!["DOMINANT"]!.GetValue<string>(), collector.Payloads[2].Data!["DOMINANT"]!.GetValue<string>()));
        Assert.Equal([false, true, false], collector.Payloads.Select(p => p.Data!["IS_DARK"]!.GetValue<bool>())); // b is black
    }

    [Fact]
    public async Task A_corrupt_video_closes_its_capture_naming_ffmpegs_error_and_another_pipeline_goes_on()
    {
        var broken = Path.Combine(fixture.FilesRoot, "broken.mp4");
        await File.WriteAllBytesAsync(broken, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);
        var good = await fixture.RenderAsync("good.mkv", "-f", "lavfi", "-i", "color=c=lime:s=32x32:r=5:d=2", "-c:v", "mpeg4");
        var collector = new PayloadCollector();
        await using var brokenFeed = await collector.SubscribeAsync(Client, "broken");
        var goodCollector = new PayloadCollector();
        await using var goodFeed = await goodCollector.SubscribeAsync(Client, "good");

        await Client.DeployAsync(Spec("broken", "broken.mp4", "")); // named inside the files root: its path there is not told
        await Client.DeployAsync(Spec("good", good, ""));

        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Message.Contains("RECONNECTABLE is NO: ffmpeg:")
            && n.Message.Contains("broken.mp4: Invalid data found") && !n.Message.Contains(fixture.FilesRoot)), Bound, Poll);
        Assert.Empty(collector.Payloads);
        await AwaitAssertAsync(() => Assert.Equal(10, goodCollector.Payloads.Count), Bound, Poll);
    }

    [Fact]
    public async Task A_stream_that_drops_is_reconnected_and_frames_keep_coming()
    {
        var clip = await fixture.RenderAsync("clip.ts", "-f", "lavfi", "-i", "color=c=red:s=32x32:r=10:d=2", "-c:v", "mpeg2video", "-f", "mpegts");
        var bytes = await File.ReadAllBytesAsync(clip);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        var server = ServeAsync(listener, () => Interlocked.Increment(ref connections), "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t", bytes);
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "live");

        await Client.DeployAsync(Spec("live", $"http://127.0.0.1:{port}/live.ts", ""));

        // Each connection serves the clip once and closes: the stream drops, the source reconnects, frames go on.
        await AwaitAssertAsync(() =>
        {
            Assert.True(Volatile.Read(ref connections) >= 3, $"{connections} connection(s)");
            Assert.True(collector.Payloads.Count > 20, $"{collector.Payloads.Count} frame(s)");
        }, TimeSpan.FromSeconds(60), Poll);
        Assert.Contains(collector.Notifications, n => n.Message.Contains("reopening") || n.Message.Contains("reconnecting"));
        await Client.ArchiveAsync("live");
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => server);
    }

    [Fact]
    public async Task A_stream_that_redirects_elsewhere_is_not_followed()
    {
        // The allowed host answers with a redirect to another port of the node's network (where its metadata or a database
        // might be): the node does not follow it, and nothing connects there.
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var reached = 0;
        var target = ServeAsync(elsewhere, () => Interlocked.Increment(ref reached), "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t", []);
        using var redirecting = new TcpListener(IPAddress.Loopback, 0);
        redirecting.Start();
        var asked = 0;
        var redirect = ServeAsync(redirecting, () => Interlocked.Increment(ref asked),
            $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/secret", []);
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "redirected");

        await Client.DeployAsync(Spec("redirected", $"http://127.0.0.1:{((IPEndPoint)redirecting.LocalEndpoint).Port}/live.ts", ""));

        await AwaitAssertAsync(() => Assert.True(Volatile.Read(ref asked) >= 2, $"asked {asked} time(s)"), Bound, Poll); // and reconnected
        Assert.Equal(0, Volatile.Read(ref reached));
        Assert.Empty(collector.Payloads);
        await Client.ArchiveAsync("redirected");
        elsewhere.Stop();
        redirecting.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => Task.WhenAll(target, redirect));
    }

    [Fact]
    public async Task A_stream_host_not_on_the_allow_list_and_a_file_outside_the_root_are_refused()
    {
        var refusedHost = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(Spec("far", "http://10.1.2.3:8080/cam.ts", "")));
        Assert.Contains("video stream", refusedHost.Reason);
        var rtsp = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(Spec("rtsp", "rtsp://127.0.0.1:554/cam", "")));
        Assert.Contains("RTSP streams are not served yet", rtsp.Reason);
        var huge = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(Spec("huge", "x.mp4", """ "WIDTH": 4096 """)));
        Assert.Contains("WIDTH", huge.Reason);
        var refusedFile = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(Spec("etc", "/etc/passwd", "")));
        Assert.Contains("outside the files root", refusedFile.Reason);
    }

    private static string Spec(string name, string url, string extra) => $$"""
        { "NAME": "{{name}}", "TYPE": "Video", "URL": "{{url}}" {{(extra.Length > 0 ? "," + extra : "")}},
          "PLUGINS": [ { "SIGNATURE": "IMAGE_STATS", "INSTANCES": [ { "INSTANCE_ID": "stats" } ] } ] }
        """;

    /// <summary>A minimal HTTP server: each connection gets <paramref name="head"/> and <paramref name="body"/> once, then closes.</summary>
    private static async Task ServeAsync(TcpListener listener, Action connected, string head, byte[] body)
    {
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync();
            connected();
            try
            {
                await using var stream = client.GetStream();
                var request = new byte[4096];
                _ = await stream.ReadAsync(request);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + "\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // the client went away mid-answer: the next connection is served all the same
            }
        }
    }
}

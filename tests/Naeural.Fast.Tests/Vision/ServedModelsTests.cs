using Naeural.Actors.Inference;
using Xunit;

namespace Naeural.Fast.Tests.Vision;

/// <summary>What plugins see of the node's served models: shapes as served, labels only where a usable file gives them.</summary>
public sealed class ServedModelsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("naeural-served-").FullName;

    [Fact]
    public void Labels_come_from_the_models_folder_and_a_file_too_short_to_label_anything_gives_none()
    {
        File.WriteAllLines(Path.Combine(_folder, "reader.labels.txt"), ["<blank>", "A", "B"]);
        File.WriteAllLines(Path.Combine(_folder, "one.labels.txt"), ["<blank>"]);
        var served = ServedModels.From([("reader", [3L, 48, 320], 120), ("one", [4L], 1), ("plain", [64L], 8)], _folder);

        Assert.Equal(["<blank>", "A", "B"], served.Find("READER")!.Labels!);
        Assert.Equal([3L, 48, 320], served.Find("reader")!.InputShape);
        Assert.Null(served.Find("one")!.Labels);
        Assert.Null(served.Find("plain")!.Labels);
        Assert.Null(served.Find("missing"));
        Assert.Null(ServedModels.None.Find("reader"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

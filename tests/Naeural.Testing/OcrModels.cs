namespace Naeural.Testing;

/// <summary>
/// PaddleOCR's PP-OCRv4 models as <c>scripts/fetch-ocr-models.sh</c> installs them (<c>scripts/install-test-deps.sh</c> puts
/// them in the checkout's <c>.models/</c>), for tests that read real text.
/// </summary>
public static class OcrModels
{
    public static string Folder => RepositoryRoot.File(".models");

    /// <summary>Copies the models into <paramref name="dataDirectory"/>'s models folder (what a node serves at start).</summary>
    public static void InstallInto(string dataDirectory)
    {
        var models = Path.Combine(dataDirectory, "models");
        Directory.CreateDirectory(models);
        foreach (var file in new[] { "ppocr-det.onnx", "ppocr-det.json", "ppocr-rec.onnx", "ppocr-rec.json", "ppocr-rec.labels.txt" })
        {
            var from = Path.Combine(Folder, file);
            if (!File.Exists(from))
            {
                throw new FileNotFoundException($"{from} is missing: run scripts/install-test-deps.sh (or scripts/fetch-ocr-models.sh .models)", from);
            }

            File.Copy(from, Path.Combine(models, file), overwrite: true);
        }
    }
}

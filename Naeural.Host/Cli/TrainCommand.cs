using System.CommandLine;
using Naeural.Actors.Capture;
using Naeural.Inference.Models;
using Spectre.Console;

namespace Naeural.Host.Cli;

/// <summary>
/// <c>train anomaly</c>: trains the anomaly autoencoder on the synthetic sensor stream (the demo pipeline's source), checks
/// it on a held-out stream, and saves it where the node's model server finds it (<c>&lt;data&gt;/models</c>).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The node's data folder", DefaultValueFactory = _ => "data" };
        var seed = new Option<int>("--seed") { Description = "Seed of the training stream", DefaultValueFactory = _ => 1 };
        var frames = new Option<int>("--frames") { Description = "Readings to train on", DefaultValueFactory = _ => 20_000 };
        var anomaly = new Command("anomaly", "Train the anomaly-autoencoder on synthetic sensor data") { data, seed, frames };
        anomaly.SetAction(result =>
        {
            var started = DateTime.UtcNow;
            const int epochs = 15;
            TrainedAnomalyModel trained = null!;
            CliConsole.ProgressFor(CliConsole.Create()).Start(progress =>
            {
                var task = progress.AddTask("training anomaly-autoencoder", maxValue: epochs);
                trained = AnomalyTraining.Train(new SyntheticSignal(result.GetValue(seed)), result.GetValue(frames), epochs,
                    progress: new Progress(done => task.Value = done));
                progress.Refresh();
            });
            var quality = AnomalyTraining.Evaluate(trained.Model, new SyntheticSignal(result.GetValue(seed) + 1000));
            var folder = ModelFiles.FolderOf(Path.GetFullPath(result.GetValue(data)!));
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "anomaly-autoencoder.dat");
            trained.Model.save(path);
            Console.WriteLine($"""
                trained anomaly-autoencoder on {trained.TrainingWindows} normal windows in {(DateTime.UtcNow - started).TotalSeconds:0.0} s
                  threshold (raw score):  {trained.Threshold:0.000}   (the model's output is score / threshold: above 1 = anomalous)
                  held-out stream:        precision {quality.Precision:0.000}, recall {quality.Recall:0.000} over {quality.Windows} windows
                  saved to:               {path}
                A node using this data folder serves it from its next model-server start (restart the node if it already served it).
                """);
            return 0;
        });
        return new Command("train", "Train a model of the catalogue") { anomaly };
    }
}

/// <summary>Reports progress synchronously (System.Progress posts to the thread pool, too late for a progress bar that ends with the work).</summary>
internal sealed class Progress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Naeural.Inference.Models;

/// <summary>A small image classifier: 1×28×28 grey images → class logits (two conv blocks, one linear head).</summary>
public sealed class ImageCnn : Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Sequential _features;
    private readonly TorchSharp.Modules.Linear _head;

    public ImageCnn(long classes = 10)
        : base(nameof(ImageCnn))
    {
        _features = Sequential(
            ("conv1", Conv2d(1, 8, 3, padding: 1)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(8, 16, 3, padding: 1)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)));
        _head = Linear(16 * 7 * 7, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        using var features = _features.forward(images.reshape(-1, 1, 28, 28));
        using var flat = features.flatten(1);
        return _head.forward(flat);
    }
}

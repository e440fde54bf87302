using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Inference.Tests;

/// <summary>A model that fails its forward pass when the first input of the batch is negative (a stand-in for a bad kernel).</summary>
public sealed class CrashingModel : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear _linear = nn.Linear(4, 2);

    public CrashingModel()
        : base(nameof(CrashingModel)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        if (input[0, 0].item<float>() < 0)
        {
            throw new InvalidOperationException("negative input crashed the kernel");
        }

        return _linear.forward(input);
    }
}

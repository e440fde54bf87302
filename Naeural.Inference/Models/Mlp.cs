using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Naeural.Inference.Models;

/// <summary>A two-layer perceptron: inputs → hidden (ReLU) → outputs.</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear _hidden;
    private readonly TorchSharp.Modules.Linear _output;

    public Mlp(long inputs, long hidden, long outputs)
        : base(nameof(Mlp))
    {
        _hidden = Linear(inputs, hidden);
        _output = Linear(hidden, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var hidden = functional.relu(_hidden.forward(input));
        return _output.forward(hidden);
    }
}

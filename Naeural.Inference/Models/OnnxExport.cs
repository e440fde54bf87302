using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Inference.Models;

/// <summary>
/// Writes a catalogue model as an ONNX file, so the same network runs on both engines (the ONNX engine's parity test and
/// benchmark use it): the <see cref="Models.Mlp"/> as <c>Gemm → Relu → Gemm</c> (opset 13), its weights as initializers, a
/// dynamic batch axis. Anything exported from PyTorch or TensorFlow runs the same way; this is the exporter for our own.
/// </summary>
public static class OnnxExport
{
    private const int Float = (int)TensorProto.Types.DataType.Float;

    /// <summary>Writes <paramref name="mlp"/> (its current weights) to <paramref name="path"/>.</summary>
    public static void Mlp(Mlp mlp, string path)
    {
        var weights = mlp.state_dict().ToDictionary(p => p.Key.TrimStart('_'), p => p.Value);
        var (inputs, outputs) = (weights["hidden.weight"].shape[1], weights["output.weight"].shape[0]);
        var graph = new GraphProto { Name = "mlp" };
        graph.Input.Add(Value("input", inputs));
        graph.Output.Add(Value("output", outputs));
        foreach (var (name, tensor) in weights)
        {
            graph.Initializer.Add(Initializer(name, tensor));
        }

        graph.Node.Add(Gemm("input", "hidden", "hidden_linear"));
        graph.Node.Add(new NodeProto { OpType = "Relu", Name = "hidden_relu", Input = { "hidden_linear" }, Output = { "hidden_relu" } });
        graph.Node.Add(Gemm("hidden_relu", "output", "output"));

        var model = new ModelProto { IrVersion = 8, ProducerName = "naeural", ProducerVersion = "1", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    /// <summary>A linear layer: <c>x · Wᵀ + b</c>, as torch computes it.</summary>
    private static NodeProto Gemm(string input, string layer, string output) => new()
    {
        OpType = "Gemm",
        Name = $"{layer}_gemm",
        Input = { input, $"{layer}.weight", $"{layer}.bias" },
        Output = { output },
        Attribute = { new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
    };

    private static TensorProto Initializer(string name, Tensor tensor)
    {
        var proto = new TensorProto { Name = name, DataType = Float };
        proto.Dims.AddRange(tensor.shape);
        using var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        proto.FloatData.AddRange(cpu.data<float>().ToArray());
        return proto;
    }

    /// <summary>A float tensor of shape [batch, <paramref name="width"/>], the batch dynamic.</summary>
    private static ValueInfoProto Value(string name, long width) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = Float,
                Shape = new TensorShapeProto
                {
                    Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = width } },
                },
            },
        },
    };
}

using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;
using Xunit;

namespace Naeural.Fast.Tests.Pipelines;

public sealed class ConfigMergeTests
{
    private static readonly JsonObject Current = JsonNode.Parse("""
        { "NAME": "p", "TYPE": "SyntheticSensor", "CAP_RESOLUTION": 10, "STREAM": { "A": 1, "B": 2 },
          "PLUGINS": [
            { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "a", "EMIT_EVERY": 5 }, { "INSTANCE_ID": "b" } ] },
            { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "x" } ] }
          ] }
        """)!.AsObject();

    [Fact]
    public void Scalars_are_replaced_objects_merge_key_by_key_and_null_removes()
    {
        var merged = ConfigMerge.Merge(Current, JsonNode.Parse("""{ "cap_resolution": 20, "STREAM": { "B": null, "C": 3 } }""")!.AsObject());

        Assert.Equal(20, merged["CAP_RESOLUTION"]!.GetValue<int>());
        Assert.Equal("""{"A":1,"C":3}""", merged["STREAM"]!.ToJsonString());
        Assert.Equal(10, Current["CAP_RESOLUTION"]!.GetValue<int>());
    }

    [Fact]
    public void Plugins_merge_by_signature_and_instances_by_instance_id()
    {
        var merged = ConfigMerge.Merge(Current, JsonNode.Parse("""
            { "PLUGINS": [
                { "SIGNATURE": "counter", "INSTANCES": [ { "INSTANCE_ID": "a", "EMIT_EVERY": 50 }, { "INSTANCE_ID": "c" } ] },
                { "SIGNATURE": "THRESHOLD_ALERT", "INSTANCES": [ { "INSTANCE_ID": "t", "RAISE_THRESHOLD": 1 } ] }
            ] }
            """)!.AsObject());

        var plugins = merged["PLUGINS"]!.AsArray();
        Assert.Equal(["COUNTER", "PASS_THROUGH", "THRESHOLD_ALERT"], plugins.Select(p => p!["SIGNATURE"]!.GetValue<string>()));
        var counter = plugins[0]!["INSTANCES"]!.AsArray();
        Assert.Equal(["a", "b", "c"], counter.Select(i => i!["INSTANCE_ID"]!.GetValue<string>()));
        Assert.Equal(50, counter[0]!["EMIT_EVERY"]!.GetValue<int>());
    }
}

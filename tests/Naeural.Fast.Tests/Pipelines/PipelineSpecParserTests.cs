using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Xunit;

namespace Naeural.Fast.Tests.Pipelines;

public sealed class PipelineSpecParserTests
{
    private readonly PipelineSpecParser _parser = new(SourceCatalogue.BuiltIn, PluginCatalogue.BuiltIn);

    [Fact]
    public void A_spec_in_the_originals_format_parses_with_case_insensitive_type_and_signature()
    {
        var result = _parser.Parse("""
            { "NAME": "demo", "TYPE": "syntheticsensor", "CAP_RESOLUTION": 10, "RECONNECTABLE": "KEEPALIVE",
              "PLUGINS": [
                { "SIGNATURE": "threshold_alert", "INSTANCES": [ { "INSTANCE_ID": "hot", "RAISE_THRESHOLD": 30, "PROCESS_DELAY": 0.5 } ] },
                { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "a" }, { "INSTANCE_ID": "b", "EMIT_EVERY": 5 } ] }
              ] }
            """);

        Assert.True(result.IsValid, result.ErrorText);
        var spec = result.Spec!;
        Assert.Equal(("demo", "SyntheticSensor"), (spec.Name, spec.Type));
        Assert.Equal(["THRESHOLD_ALERT", "COUNTER"], spec.Plugins.Select(p => p.Signature));
        Assert.Equal(["hot", "a", "b"], spec.AllInstances().Select(i => i.Instance.InstanceId));
        Assert.Equal(0.5, spec.FindInstance("THRESHOLD_ALERT", "hot")!.Config()["PROCESS_DELAY"]!.GetValue<double>());
        Assert.Null(spec.FindInstance("COUNTER", "b")!.Config()["INSTANCE_ID"]);
        Assert.Equal(10, spec.SourceConfig()["CAP_RESOLUTION"]!.GetValue<double>());
        Assert.Null(spec.SourceConfig()["PLUGINS"]);
    }

    [Fact]
    public void Every_problem_of_a_spec_is_reported_at_once_each_naming_its_field()
    {
        var result = _parser.Parse("""
            { "NAME": "bad name!", "TYPE": "SyntheticSensor", "SENSORS": 500,
              "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "EMIT_EVERY": 0 } ] }, { "INSTANCES": [] } ] }
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["NAME", "SENSORS", "PLUGINS[0].INSTANCES[0].INSTANCE_ID", "PLUGINS[0].INSTANCES[0].EMIT_EVERY", "PLUGINS[1].SIGNATURE", "PLUGINS[1].INSTANCES"],
            result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{", "$")]
    [InlineData("{ \"TYPE\": \"Void\" }", "NAME")]
    [InlineData("{ \"NAME\": \"x\" }", "TYPE")]
    [InlineData("{ \"NAME\": \"x\", \"TYPE\": \"Void\", \"PLUGINS\": {} }", "PLUGINS")]
    [InlineData("{ \"NAME\": \"x\", \"TYPE\": \"FileReplay\", \"URL\": \"/no/such/file.csv\" }", "URL")]
    [InlineData("{ \"NAME\": \"x\", \"TYPE\": \"MqttListener\", \"URL\": \"http://broker\", \"TOPIC\": \"t\" }", "URL")]
    [InlineData("{ \"NAME\": \"x\", \"TYPE\": \"MqttListener\", \"URL\": \"mqtt://127.0.0.1:1883\" }", "TOPIC")]
    [InlineData("{ \"NAME\": \"x\", \"TYPE\": \"HttpIngest\", \"URL\": \"ftp://a/\" }", "URL")]
    public void Malformed_specs_name_the_offending_field(string json, string field)
    {
        var result = _parser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field);
    }

    [Fact]
    public void A_lower_threshold_above_the_raise_threshold_is_refused()
    {
        var result = _parser.Parse("""
            { "NAME": "x", "TYPE": "Void", "PLUGINS": [ { "SIGNATURE": "THRESHOLD_ALERT",
              "INSTANCES": [ { "INSTANCE_ID": "a", "RAISE_THRESHOLD": 10, "LOWER_THRESHOLD": 11 } ] } ] }
            """);

        Assert.Equal("PLUGINS[0].INSTANCES[0].LOWER_THRESHOLD", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Instance_ids_that_differ_only_in_case_are_one_id()
    {
        var result = _parser.Parse("""
            { "NAME": "x", "TYPE": "Void", "PLUGINS": [ { "SIGNATURE": "COUNTER",
              "INSTANCES": [ { "INSTANCE_ID": "cam" }, { "INSTANCE_ID": "CAM" } ] } ] }
            """);

        Assert.Equal("PLUGINS[0].INSTANCES[1].INSTANCE_ID", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_instead_of_exhausting_the_parser()
    {
        var json = "{\"NAME\":\"x\",\"TYPE\":\"Void\",\"DEEP\":" + new string('[', 200) + new string(']', 200) + "}";

        Assert.Equal("$", Assert.Single(_parser.Parse(json).Errors).Field);
    }
}

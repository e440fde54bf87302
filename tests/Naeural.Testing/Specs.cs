namespace Naeural.Testing;

/// <summary>Pipeline JSON the tests deploy, in the original's format.</summary>
public static class Specs
{
    /// <summary>A synthetic sensor at <paramref name="rate"/> frames/s feeding one instance of <paramref name="signature"/>.</summary>
    public static string Sensor(string name, string signature, string instanceConfig = "", double rate = 50, string source = "") => $$"""
        {
          "NAME": "{{name}}",
          "TYPE": "SyntheticSensor",
          "CAP_RESOLUTION": {{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}},
          "SEED": 7{{(source.Length > 0 ? ", " + source : "")}},
          "PLUGINS": [
            { "SIGNATURE": "{{signature}}", "INSTANCES": [ { "INSTANCE_ID": "main"{{(instanceConfig.Length > 0 ? ", " + instanceConfig : "")}} } ] }
          ]
        }
        """;
}

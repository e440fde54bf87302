using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Capture;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.CustomCode;
using Xunit;

namespace Naeural.Actors.Tests.Plugins.CustomCode;

/// <summary>
/// A CUSTOM_EXEC instance on a node whose default dispatcher has one thread: while a step runs on the instance's own thread,
/// every other actor on that dispatcher keeps being served.
/// </summary>
public sealed class CustomExecDispatcherTests() : Akka.TestKit.Xunit2.TestKit("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
    akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
    akka.actor.default-dispatcher {
      executor = fork-join-executor
      fork-join-executor { parallelism-min = 1, parallelism-factor = 1.0, parallelism-max = 1 }
      throughput = 1
    }
    akka.loglevel = WARNING
    """)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private const string Owner = "0x00000000000000000000000000000000000a11ce";

    [Fact]
    public void Another_actor_on_the_one_thread_dispatcher_answers_while_a_step_runs_and_frames_that_came_meanwhile_follow_in_order()
    {
        var compiler = new CustomCodeCompiler();
        var services = new PipelineServices("node", null!, null!, SourceCatalogue.BuiltIn,
            PluginCatalogue.Empty.With(CustomExecPlugin.Descriptor(compiler)), new PipelineSettings(), TimeProvider.System,
            new HashSet<string>());
        var entityId = PluginInstanceEntity.EntityIdFor($"{Owner}/spin", CustomExecPlugin.Signature, "main");
        var instance = Sys.ActorOf(PluginInstanceEntity.Props(entityId, services));
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        var config = new JsonObject
        {
            ["INSTANCE_ID"] = "main", ["MAX_EXEC_MS"] = 3000,
            ["CODE"] = "if (input.Index == 0) { while (true) { } }\nreturn new JsonObject { [\"INDEX\"] = input.Index };",
        };
        instance.Tell(new ConfigureInstance(entityId, $"{Owner}/spin", Owner, "spin", CustomExecPlugin.Signature, "main",
            config.ToJsonString(), 1, TestActor));
        Assert.Null(ExpectMsg<InstanceReady>(Bound).InitError);

        instance.Tell(new ProcessFrames([Frame(0)]));
        AwaitCondition(() => compiler.Overruns.Stepping == 1, Bound);
        instance.Tell(new ProcessFrames([Frame(1)]));
        instance.Tell(new ProcessFrames([Frame(2)]));

        echo.Tell("ping");
        ExpectMsg("ping", TimeSpan.FromSeconds(1));
        Assert.Equal(1, compiler.Overruns.Stepping); // answered while the step still ran

        var emitted = (EmitPayloads)FishForMessage(m => m is EmitPayloads, Bound);
        Assert.Equal([1L, 2L], emitted.Payloads.Select(p => JsonNode.Parse(p.DataJson)!["INDEX"]!.GetValue<long>()));
    }

    private static Frame Frame(long index) => new(index, DateTimeOffset.UnixEpoch.AddSeconds(index),
        ImmutableDictionary<string, double>.Empty.Add("value", index), ImmutableDictionary<string, string>.Empty);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}

using Akka.Actor;
using Naeural.Actors.Metering;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Metering;

public sealed class NodeMeterTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_nodes_meter_that_stops_is_started_again_and_keeps_its_receipts()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.Metering.ReceiptPeriodSeconds = 3600));
        var node = network[0];
        var meter = node.System.ActorSelection(WorkMeterEndpoint.Path);
        meter.Tell(new WorkDone("0xa11ce", "0xa11ce/p", "COUNTER/main", WorkKinds.PluginFrame, 7));
        Assert.Equal(1, (await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound)).Count);

        var inner = await node.System.ActorSelection(WorkMeterEndpoint.Path + "/*").ResolveOne(Bound);
        Watch(inner);
        node.System.Stop(inner); // as if a journal write had failed
        ExpectTerminated(inner, Bound);

        await AwaitAssertAsync(async () => Assert.Equal(7, (int)(await meter.Ask<OwnerBilled>(new GetBilled("0xa11ce"), TimeSpan.FromSeconds(1))).Billed),
            Bound, TimeSpan.FromMilliseconds(250));
    }
}

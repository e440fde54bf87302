using Xunit;

namespace Naeural.Testing;

/// <summary>One in-process node shared by the tests of a class (each test uses its own pipeline names).</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    public async Task InitializeAsync() => Network = await InProcessNetwork.StartAsync(1);

    public async Task DisposeAsync() => await Network.DisposeAsync();
}

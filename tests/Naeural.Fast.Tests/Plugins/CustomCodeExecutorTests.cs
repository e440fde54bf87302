using Naeural.Actors.Plugins.CustomCode;
using Xunit;

namespace Naeural.Fast.Tests.Plugins;

public sealed class CustomCodeExecutorTests
{
    [Fact]
    public void A_step_past_the_hard_limit_is_given_up_on_and_the_executor_is_busy_until_it_returns()
    {
        var overruns = new OverrunSteps();
        using var executor = new CustomCodeExecutor("test", overruns);
        using var release = new ManualResetEventSlim();
        var ranOn = 0;

        Assert.True(executor.Run(() => ranOn = Environment.CurrentManagedThreadId, TimeSpan.FromSeconds(10)));
        Assert.NotEqual(Environment.CurrentManagedThreadId, ranOn);

        Assert.False(executor.Run(() => release.Wait(), TimeSpan.FromMilliseconds(50)));
        Assert.True(executor.IsBusy);
        Assert.Equal(1, overruns.Running); // the node counts it until it returns
        Assert.Throws<InvalidOperationException>(() => executor.Run(() => { }, TimeSpan.FromSeconds(1)));

        release.Set();
        Assert.True(SpinWait.SpinUntil(() => !executor.IsBusy, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, overruns.Running);
        Assert.True(executor.Run(() => { }, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_throwing_step_does_not_end_the_executor()
    {
        using var executor = new CustomCodeExecutor("test", new OverrunSteps());

        Assert.True(executor.Run(() => throw new InvalidOperationException("boom"), TimeSpan.FromSeconds(10)));
        Assert.True(executor.Run(() => { }, TimeSpan.FromSeconds(10)));
    }
}

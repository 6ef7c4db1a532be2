using Leaf.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round14Api;

/// <summary>
/// <see cref="DemoData.Create"/> given <see langword="default"/> (or a clock at the start of the calendar): refused
/// naming its own parameter, and by <see cref="FakeLeafServer.Start"/> before any port is opened.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DemoDataClockTests
{
    [Test]
    public void Create_refuses_default_naming_now()
    {
        // Before: "The added or subtracted value results in an un-representable DateTime. (Parameter 'value')".
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DemoData.Create(default));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("now"));
            Assert.That(ex.Message, Does.Contain("nine days"));
        });
    }

    [Test]
    public void Create_takes_the_earliest_moment_with_room_for_the_oldest_sync()
    {
        var earliest = DateTimeOffset.MinValue + TimeSpan.FromDays(9);

        var summaries = DemoData.Create(earliest);

        Assert.That(summaries.Min(s => s.SyncReferenceTime), Is.EqualTo(DateTimeOffset.MinValue));
    }

    [Test]
    public void Create_refuses_a_moment_whose_own_clock_has_no_room_though_UTC_has()
    {
        // Nine days and an hour into the calendar in UTC, but eight days and 11 hours on its own clock (UTC-14): the
        // oldest sync's time would be before the calendar's start on that clock.
        var now = new DateTimeOffset(DateTime.MinValue.AddDays(9).AddHours(-13), TimeSpan.FromHours(-14));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DemoData.Create(now));

        Assert.That(ex!.ParamName, Is.EqualTo("now"));
    }

    [Test]
    public void Start_on_a_clock_at_the_start_of_the_calendar_is_refused_before_a_port_is_opened()
    {
        var options = new FakeLeafServerOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.MinValue) };

        // Before: DemoData threw after the server had started listening, and the server was never stopped.
        var ex = Assert.Throws<ArgumentException>(() => FakeLeafServer.Start(options).Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("options"));
            Assert.That(ex.Message, Does.StartWith("FakeLeafServerOptions.TimeProvider reads 0001-01-01T00:00:00.0000000+00:00, too close to DateTimeOffset.MinValue").And.Contain("SeedDemoData = false"));
        });
    }

    [Test]
    public void Without_demo_data_a_clock_at_the_start_of_the_calendar_runs()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.MinValue), SeedDemoData = false });

        Assert.That(server.Summaries, Is.Empty);
    }
}

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>
/// TimeSpan.Parse, and so Microsoft's ConfigurationBinder, reads a bare number as days: "TotalTimeout": "1" was a
/// 24-hour call time-out, accepted without a word, and "AttemptTimeout": "20" was refused as "20.00:00:00" without
/// saying why. The SDK's binder refuses a bare number other than 0 and shows what to write.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BareNumberTimeSpanTests
{
    [TestCase("TotalTimeout", "1", "00:00:01")]
    [TestCase("AttemptTimeout", "1", "00:00:01")]
    [TestCase("AttemptTimeout", " 20 ", "00:00:20")]
    [TestCase("TotalTimeout", "90", "00:01:30")]
    [TestCase("RetryBaseDelay", "2", "00:00:02")]
    [TestCase("RetryBaseDelay", "-5", "-00:00:05")]
    [TestCase("TotalTimeout", "-2147483648", "-24855.03:14:08")]
    public void A_bare_number_is_refused_with_the_time_span_it_probably_meant(string key, string value, string meant)
    {
        var (options, error) = R7Config.FromSection(("AccessToken", R7Config.Token), (key, value));

        Assert.That(options, Is.Null, "a bare number was accepted as days");
        Assert.That(error!.Message, Does.Contain($"Leaf:{key} '{value}'").And.Contain("days").And.Contain(meant));
        Assert.That(error.Message, Does.Not.Contain(R7Config.Token));
    }

    [Test]
    public void Zero_is_zero_in_any_unit_and_is_still_accepted()
    {
        var (options, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("RetryBaseDelay", "0"));

        Assert.That(error, Is.Null);
        Assert.That(options!.RetryBaseDelay, Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase("00:00:20", 20)]
    [TestCase("0:0:20", 20)]
    [TestCase("00:00:20.5", 20.5)]
    [TestCase("  00:00:45  ", 45)]
    [TestCase("0.00:00:30", 30)]
    public void Time_spans_written_as_time_spans_still_bind(string value, double seconds)
    {
        var (options, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("AttemptTimeout", value));

        Assert.That(error, Is.Null);
        Assert.That(options!.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }
}

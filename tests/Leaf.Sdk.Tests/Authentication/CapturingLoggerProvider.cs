using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>
/// Records everything any logger writes, at every level: the formatted message, every structured value, every scope
/// and the exception's full text. What a secret scan needs, with nothing filtered out.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Text)> _entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Text)> Entries => [.. _entries];

    public ILoggerFactory CreateFactory() =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, string text) => _entries.Enqueue((category, level, text));

    private static string Describe(object? state)
    {
        var text = state?.ToString() ?? string.Empty;
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            text += " | " + string.Join(" | ", values.Select(v => $"{v.Key}={v.Value}"));
        }

        return text;
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner.Add(category, LogLevel.None, "scope: " + Describe(state));
            return NullScope.Instance;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = $"{eventId} {formatter(state, exception)} | {Describe(state)} | {exception}";
            owner.Add(category, logLevel, text);
        }
    }

    private sealed class NullScope : IDisposable
    {
        public static readonly NullScope Instance = new();

        public void Dispose()
        {
        }
    }
}

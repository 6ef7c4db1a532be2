namespace Leaf.Sdk.Tests.Authentication;

/// <summary>Assert.ThrowsAsync that hands back the exception, non-null, or fails the test.</summary>
internal static class Expect
{
    public static async Task<T> Throws<T>(Func<Task> call)
        where T : Exception
    {
        var error = await Assert.ThrowsAsync<T>(async () => await call());
        return error ?? throw new AssertionException($"expected {typeof(T).Name}");
    }

    /// <summary>Like <see cref="Throws{T}"/>, also accepting a subclass of <typeparamref name="T"/>.</summary>
    public static async Task<T> ThrowsKindOf<T>(Func<Task> call)
        where T : Exception
    {
        var error = await Assert.ThrowsAsync(Is.InstanceOf<T>(), async () => await call());
        return error as T ?? throw new AssertionException($"expected {typeof(T).Name}");
    }

    /// <summary>
    /// Awaits <paramref name="task"/> and expects it cancelled. Never blocks a thread: a blocking assertion on a
    /// thread-pool thread starves the pool on a small machine and delays every continuation it is timing.
    /// </summary>
    public static async Task<OperationCanceledException> Cancelled(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException cancelled)
        {
            return cancelled;
        }

        throw new AssertionException("expected OperationCanceledException, but the call completed");
    }
}

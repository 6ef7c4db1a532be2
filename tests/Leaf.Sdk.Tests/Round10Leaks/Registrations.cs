using System.Reflection;

namespace Leaf.Sdk.Tests.Round10Leaks;

/// <summary>
/// The callbacks still registered on a <see cref="CancellationTokenSource"/>. No public API counts them; a registration
/// nobody disposed keeps its callback, and what the callback holds, alive for as long as the source lives (an app's
/// stopping token: the app's lifetime). Read from the runtime's private fields, which have kept their names since .NET 6;
/// should they change, the test fails saying so rather than passing with nothing counted.
/// </summary>
internal static class Registrations
{
    private static readonly FieldInfo? RegistrationsField = typeof(CancellationTokenSource).GetField("_registrations", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>What each callback still registered on <paramref name="source"/> runs (its method's declaring type and name).</summary>
    public static IReadOnlyList<string> On(CancellationTokenSource source)
    {
        if (RegistrationsField is null)
        {
            Assert.Fail("CancellationTokenSource._registrations is gone from this runtime; count the registrations another way.");
        }

        var registrations = RegistrationsField!.GetValue(source);
        if (registrations is null)
        {
            return [];
        }

        var callbacks = registrations.GetType().GetField("Callbacks") ?? throw new AssertionException("Registrations.Callbacks is gone from this runtime.");
        var found = new List<string>();
        for (var node = callbacks.GetValue(registrations); node is not null; node = node.GetType().GetField("Next")!.GetValue(node))
        {
            var callback = node.GetType().GetField("Callback")!.GetValue(node) as Delegate;
            found.Add(callback is null ? "(none)" : $"{callback.Method.DeclaringType?.FullName}.{callback.Method.Name}");
        }

        return found;
    }
}

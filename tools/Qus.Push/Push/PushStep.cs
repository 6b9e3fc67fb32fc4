using QemuUserStatic.Cli;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>Step 5 of the pipeline (qus-push): an OCI layout's tags → a registry (see <see cref="LayoutPusher"/>).</summary>
internal static class PushStep
{
    /// <summary>Pushes what <paramref name="options"/> name; prints <c>REFERENCE@DIGEST</c> per tag on the result lines.</summary>
    public static async Task<PushResult> RunAsync(PushOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var source = OciLayout.Open(options.Layout);
        var pushed = await new LayoutPusher(reporter).PushAsync(source, options, cancellationToken).ConfigureAwait(false);
        foreach (var tag in pushed)
        {
            reporter.Results.WriteLine($"{tag.Reference}@{tag.Digest}");
        }

        reporter.Line($"pushed {pushed.Count} tags to {options.Destination.Name}");
        return new PushResult(options.Destination.Name, pushed);
    }
}

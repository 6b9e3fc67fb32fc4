using System.Text.RegularExpressions;

namespace QemuUserStatic.Acceptance.Cases;

/// <summary>5. The <c>aarch64</c> and <c>x86_64-aarch64</c> images hold the emulator, and <c>--version</c> runs.</summary>
internal sealed partial class EmulatorImages() : TestCase(5, settings =>
    $"{settings.Target.Name} and {settings.HostArch}-{settings.Target.Name} hold /usr/bin/{settings.Target.EmulatorFileName()}, --version runs")
{
    /// <inheritdoc />
    public override async Task RunAsync(CaseContext context, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var tag in new[] { context.Target.Name, context.HostTargetTag })
        {
            try
            {
                var image = await context.Engine.ImageAsync(tag, cancellationToken).ConfigureAwait(false);
                var output = await context.Engine.RunAsync(new ContainerRun(image, [context.EmulatorPath, "--version"]), cancellationToken).ConfigureAwait(false);
                if (!output.Succeeded || !VersionLine().IsMatch(output.StandardOutput))
                {
                    failures.Add($"{tag}: {context.EmulatorPath} --version {(output.Succeeded ? "printed no version" : "failed")}: {output.LastError}");
                }
            }
            catch (CaseFailedException failure)
            {
                failures.Add($"{tag}: {failure.Message}");
            }
        }

        CaseContext.Expect(failures.Count == 0, string.Join('\n', failures));
    }

    [GeneratedRegex(@"version \d+\.\d+")]
    private static partial Regex VersionLine();
}

namespace QemuUserStatic.Guests;

/// <summary>
/// The setuid witness of the local guest images (qus-test's <c>--setuid-witness</c>, case 7): a static program
/// printing its effective uid, since busybox's own applets drop setuid privileges. Built by Debian's cross compiler.
/// </summary>
public static class EuidWitness
{
    /// <summary>Its name, on the guest's PATH (<c>/usr/bin</c>).</summary>
    public const string Name = "qus-euid";

    /// <summary>Its C source.</summary>
    public const string Source = "#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf(\"%d\\n\", (int)geteuid()); return 0; }\n";

    /// <summary>The program for <paramref name="gnuTriplet"/> (aarch64-linux-gnu), built static and stripped.</summary>
    public static async Task<byte[]> BuildAsync(string gnuTriplet, CancellationToken cancellationToken = default)
    {
        var work = Directory.CreateTempSubdirectory("qus-euid-").FullName;
        try
        {
            var source = Path.Combine(work, "euid.c");
            var program = Path.Combine(work, Name);
            await File.WriteAllTextAsync(source, Source, cancellationToken).ConfigureAwait(false);
            await CrossCompiler.CompileAsync(gnuTriplet, source, [], program, cancellationToken).ConfigureAwait(false);
            return await File.ReadAllBytesAsync(program, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

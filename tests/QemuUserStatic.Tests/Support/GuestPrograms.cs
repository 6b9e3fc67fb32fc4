using QemuUserStatic.Guests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// The guest set of <see cref="GuestTable"/> as qus-test's <c>--guests</c> folder, built by the library's
/// <see cref="GuestSetBuilder"/> as <c>qus-test --build-guests</c> builds it (Debian's busybox-static, the hello by
/// Debian 12's cross compilers, which tests/prepare-machine installs). Cached in <c>.fixtures/</c> beside the other
/// Debian packages, never committed.
/// </summary>
public static class GuestPrograms
{
    private static readonly Lazy<string> Folder = new(() => GuestSetBuilder.ForGuestTable()
        .BuildAsync(PackageFixtures.CacheRoot, TestReporter.To(TestContext.Progress))
        .GetAwaiter().GetResult());

    /// <summary>The folder.</summary>
    public static string Path => Folder.Value;
}

using System.Text;
using Microsoft.AspNetCore.Http;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch;
using QemuUserStatic.Fetch.Debian;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>
/// A small Debian archive on loopback: <c>/debian/</c> and <c>/debian-security/</c> with real xz-compressed
/// <c>dists/SUITE/main/binary-ARCH/Packages.xz</c> indexes (stanzas built from the .deb's own control fields with
/// Filename, Size, MD5sum and SHA256, as apt-ftparchive writes them, among unrelated packages), each suite's
/// <c>dists/SUITE/InRelease</c> listing them, clear-signed by a test archive key (<see cref="Keyring"/>), and the pool files.
/// </summary>
internal sealed class DebianMirrorStandIn : IAsyncDisposable
{
    private static readonly Lazy<TestSigningKey> ArchiveKey = new(() => Key("archive@qus.test"));
    private static readonly Lazy<TestSigningKey> OtherKey = new(() => Key("stranger@qus.test"));

    private readonly TempDir work = new("qus-mirror");
    private readonly Dictionary<(string Archive, string Suite, string Arch), StringBuilder> indexes = [];
    private LoopbackServer server = null!;

    private DebianMirrorStandIn()
    {
    }

    /// <summary>The main archive's URL.</summary>
    public Uri Mirror => new(server.BaseAddress, "debian/");

    /// <summary>The security archive's URL.</summary>
    public Uri Security => new(server.BaseAddress, "debian-security/");

    /// <summary>The keyring holding the key the InRelease files are signed with (debian.keyring for this mirror).</summary>
    public string Keyring => ArchiveKey.Value.Keyring;

    /// <summary>A key that has nothing to do with this archive (a forged InRelease is signed with it).</summary>
    public static TestSigningKey StrangerKey => OtherKey.Value;

    /// <summary>Pool and index files (request log, faults).</summary>
    public StandInFiles Files { get; } = new();

    /// <summary>Starts the server.</summary>
    public static async Task<DebianMirrorStandIn> StartAsync()
    {
        var mirror = new DebianMirrorStandIn();
        mirror.server = await LoopbackServer.StartAsync(async context =>
        {
            if (!await mirror.Files.TryServeAsync(context))
            {
                context.Response.StatusCode = 404;
            }
        });
        return mirror;
    }

    /// <summary>Lists a real .deb in a suite's index and serves it from the pool; returns its pool path.</summary>
    public string AddDeb(string suite, string debPath, string archive = "debian")
    {
        var control = ToolProcess.ShellOrThrow($"dpkg-deb -f '{debPath}'").TrimEnd('\n');
        var arch = ToolProcess.ShellOrThrow($"dpkg-deb -f '{debPath}' Architecture").Trim();
        var poolPath = $"pool/main/q/qemu/{Path.GetFileName(debPath)}";
        var stanza = $"{control}\nFilename: {poolPath}\nSize: {new FileInfo(debPath).Length}\n" +
                     $"MD5sum: {ToolProcess.ShellOrThrow($"md5sum '{debPath}'")[..32]}\nSHA256: {Sha256Hex.OfFile(debPath)}\n";
        Index(archive, suite, arch).Append(stanza).Append('\n');
        Files.Add($"/{archive}/{poolPath}", debPath);
        return $"/{archive}/{poolPath}";
    }

    /// <summary>
    /// Lists a version in an index only (for --check; no pool file): of the package carrying the emulators in that
    /// version (qemu-user from 1:9.0.2+ds-7 on, else qemu-user-static), or of <paramref name="package"/>.
    /// </summary>
    public void AddEntry(string suite, string arch, string version, string archive = "debian", string? package = null)
    {
        package ??= DebianRepository.PackageFor(version);
        var file = $"{package}_{version[(version.IndexOf(':') + 1)..]}_{arch}.deb";
        Index(archive, suite, arch).Append(
            $"Package: {package}\nSource: qemu\nVersion: {version}\nArchitecture: {arch}\nMaintainer: Debian QEMU Team <pkg-qemu-devel@lists.alioth.debian.org>\n" +
            $"Installed-Size: 100\nDescription: QEMU user mode emulation binaries (static version)\n Multi-line description.\nFilename: pool/main/q/qemu/{file}\n" +
            $"Size: 1000\nSHA256: {new string('0', 64)}\n\n");
    }

    /// <summary>
    /// Writes every index as Packages.xz (xz -9, like Debian's) and each suite's InRelease listing them, signed by the
    /// archive key (or <paramref name="signer"/>), with <paramref name="validUntil"/> when given; serves them all.
    /// </summary>
    public void Publish(TestSigningKey? signer = null, DateTimeOffset? validUntil = null)
    {
        var releases = new Dictionary<(string Archive, string Suite), StringBuilder>();
        foreach (var ((archive, suite, arch), text) in indexes)
        {
            var folder = Path.Combine(work.Path, archive, suite, arch);
            Directory.CreateDirectory(folder);
            var plain = Path.Combine(folder, "Packages");
            File.WriteAllText(plain, text.ToString());
            ToolProcess.ShellOrThrow($"xz -9 -f -k '{plain}'");
            Files.Add($"/{archive}/dists/{suite}/main/binary-{arch}/Packages.xz", plain + ".xz");
            if (!releases.TryGetValue((archive, suite), out var sums))
            {
                releases[(archive, suite)] = sums = new StringBuilder();
            }

            foreach (var file in new[] { plain, plain + ".xz" })
            {
                sums.Append($" {Sha256Hex.OfFile(file)} {new FileInfo(file).Length,16} main/binary-{arch}/{Path.GetFileName(file)}\n");
            }
        }

        foreach (var ((archive, suite), sums) in releases)
        {
            var release = Path.Combine(work.Path, archive, suite, "InRelease");
            var until = validUntil is { } date ? $"Valid-Until: {date.UtcDateTime:ddd, dd MMM yyyy HH:mm:ss} UTC\n" : "";
            (signer ?? ArchiveKey.Value).ClearSign(
                $"Origin: Debian\nLabel: Debian\nSuite: stable\nCodename: {suite}\nDate: Sat, 11 Jul 2026 10:17:11 UTC\n{until}" +
                $"Acquire-By-Hash: yes\nArchitectures: amd64 arm64\nComponents: main\nDescription: qus test archive\nSHA256:\n{sums}",
                release);
            Files.Add($"/{archive}/dists/{suite}/InRelease", release);
        }
    }

    /// <summary>The snapshot archive's URL (debian.snapshot for this stand-in).</summary>
    public Uri Snapshot => new(server.BaseAddress, "snapshot/");

    /// <summary>
    /// Serves a real .deb the way snapshot.debian.org does, below <c>archive/ARCHIVE/TIMESTAMP/</c> at its pool path
    /// (or <paramref name="bytesFrom"/>'s bytes there: a snapshot serving something else); returns its lock entry.
    /// </summary>
    public LockedPackage AddSnapshot(string host, string timestamp, string debPath, string suite = "bookworm", string? bytesFrom = null)
    {
        var poolPath = $"pool/main/q/qemu/{Path.GetFileName(debPath)}";
        var archive = DebianRepositoryConfig.IsSecuritySuite(suite) ? "debian-security" : "debian";
        Files.Add($"/snapshot/archive/{archive}/{timestamp}/{poolPath}", bytesFrom ?? debPath);
        return new LockedPackage(
            host, ToolProcess.ShellOrThrow($"dpkg-deb -f '{debPath}' Package").Trim(), ToolProcess.ShellOrThrow($"dpkg-deb -f '{debPath}' Version").Trim(),
            ToolProcess.ShellOrThrow($"dpkg-deb -f '{debPath}' Architecture").Trim(), suite, poolPath, new FileInfo(debPath).Length, Sha256Hex.OfFile(debPath), timestamp);
    }

    /// <summary>Serves other bytes as a suite's Packages.xz than its InRelease lists (a tampered or stale mirror).</summary>
    public void TamperIndex(string suite, string arch, string archive = "debian")
    {
        var folder = Path.Combine(work.Path, archive, suite, arch);
        var plain = Path.Combine(folder, "Packages.tampered");
        File.WriteAllText(plain, indexes[(archive, suite, arch)].ToString().Replace("Size: 1\n", "Size: 2\n", StringComparison.Ordinal));
        ToolProcess.ShellOrThrow($"xz -9 -f -k '{plain}'");
        Files.Add($"/{archive}/dists/{suite}/main/binary-{arch}/Packages.xz", plain + ".xz");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        work.Dispose();
    }

    private StringBuilder Index(string archive, string suite, string arch)
    {
        if (!indexes.TryGetValue((archive, suite, arch), out var text))
        {
            // Unrelated packages around ours, the way a real index has them.
            text = new StringBuilder(
                $"Package: qemu-user\nSource: qemu\nVersion: 1:7.2+dfsg-7+deb12u18+b3\nArchitecture: {arch}\nFilename: pool/main/q/qemu/qemu-user_7.2_{arch}.deb\nSize: 1\nSHA256: {new string('1', 64)}\n\n" +
                $"Package: qemu-user-static-dbgsym\nVersion: 1:7.2+dfsg-7+deb12u18+b3\nArchitecture: {arch}\nDescription: debug\n symbols\nFilename: pool/main/q/qemu/x.deb\nSize: 1\nSHA256: {new string('2', 64)}\n\n");
            indexes[(archive, suite, arch)] = text;
        }

        return text;
    }

    private static TestSigningKey Key(string email)
    {
        var home = Directory.CreateTempSubdirectory("qus-archive-key-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(home, recursive: true);
        return TestSigningKey.Create(Path.Combine(home, "gnupg"), email);
    }
}

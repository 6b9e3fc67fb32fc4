using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Manifests;

/// <summary>
/// <c>sbom.spdx.json</c>: the SPDX 2.3 JSON document of one tarballs folder — QEMU upstream and its licence, the
/// source packages (name, version, download location, SHA256) and every emulator and tarball (SHA1 and SHA256).
/// Written with <see cref="Utf8JsonWriter"/> (no reflection, trimming-safe) and fully determined by the manifest:
/// created is the release's SOURCE_DATE_EPOCH and the namespace carries the manifest's SHA-256, so the same inputs
/// give the same bytes.
/// </summary>
public static partial class SpdxDocument
{
    /// <summary>The file name in a tarballs output folder and in the images.</summary>
    public const string FileName = "sbom.spdx.json";

    /// <summary>
    /// The licence of QEMU's linux-user emulators: Debian's copyright (qemu-user-static 1:7.2+dfsg-7+deb12u18, its one
    /// <c>Files: *</c> stanza) says "QEMU as a whole is released under the GNU General Public License version 2", parts
    /// under compatible licences (the CPU core library LGPL-2+, the BSD emulator BSD), as QEMU's own LICENSE does.
    /// </summary>
    public const string QemuLicense = "GPL-2.0-only";

    private const string NoAssertion = "NOASSERTION";

    /// <summary>
    /// The document for <paramref name="manifest"/> as indented UTF-8 JSON with a final newline;
    /// <paramref name="sha1"/> gives the SHA-1 of each file of the folder by name (SPDX 2.3 requires it for files).
    /// </summary>
    public static byte[] Write(ReleaseManifest manifest, Func<string, string> sha1, string tool)
    {
        var files = manifest.Targets.SelectMany(t => t.Tarballs.Prepend(t.Binary)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ReadableJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("spdxVersion", "SPDX-2.3");
            json.WriteString("dataLicense", "CC0-1.0");
            json.WriteString("SPDXID", "SPDXRef-DOCUMENT");
            var name = $"qemu-user-static-{manifest.TagVersion}-{manifest.FromArch}";
            json.WriteString("name", name);
            // The content hash makes the namespace unique per release content without a random UUID.
            json.WriteString("documentNamespace", $"https://spdx.org/spdxdocs/{name}-{Sha256Hex.Of(manifest.ToJsonBytes())}");
            json.WriteStartObject("creationInfo");
            json.WriteString("created", DateTimeOffset.FromUnixTimeSeconds(manifest.SourceDateEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteStartArray("creators");
            json.WriteStringValue($"Tool: {tool}");
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartArray("packages");
            WriteQemu(json, manifest);
            for (var i = 0; i < manifest.Sources.Count; i++)
            {
                WriteSource(json, manifest.Sources[i], SourceId(i));
            }

            json.WriteEndArray();

            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("SPDXID", FileId(file.Name));
                json.WriteString("fileName", $"./{file.Name}");
                json.WriteStartArray("checksums");
                WriteChecksum(json, "SHA1", sha1(file.Name));
                WriteChecksum(json, "SHA256", file.Sha256);
                json.WriteEndArray();
                json.WriteString("licenseConcluded", QemuLicense);
                json.WriteStartArray("licenseInfoInFiles");
                json.WriteStringValue(QemuLicense);
                json.WriteEndArray();
                json.WriteString("copyrightText", NoAssertion);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("relationships");
            WriteRelationship(json, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Package-qemu");
            foreach (var file in files)
            {
                WriteRelationship(json, "SPDXRef-Package-qemu", "CONTAINS", FileId(file.Name));
            }

            foreach (var target in manifest.Targets)
            {
                var source = manifest.Sources.Select((s, i) => (s, i)).FirstOrDefault(p => p.s.File == target.Package);
                foreach (var file in target.Tarballs.Prepend(target.Binary))
                {
                    if (source.s is not null)
                    {
                        WriteRelationship(json, FileId(file.Name), "GENERATED_FROM", SourceId(source.i));
                    }
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The SPDX element id of a file of the folder: <c>SPDXRef-File-</c> and its name, other characters as '-'.</summary>
    public static string FileId(string fileName) => $"SPDXRef-File-{NotIdChars().Replace(fileName, "-")}";

    /// <summary>Where a source package can be downloaded: Debian's pool or Fedora's Koji tree, else NOASSERTION (a folder).</summary>
    public static string DownloadLocation(ManifestPackage source) => source.Format switch
    {
        // Debian's qemu-user(-static) binaries are built from the source package qemu: pool/main/q/qemu/FILE.
        "deb" => new Uri(DebianRepositoryConfig.DefaultMirror, $"pool/main/q/qemu/{Uri.EscapeDataString(source.File)}").AbsoluteUri,
        "rpm" => new Uri(KojiRepositoryConfig.DefaultTopUrl,
            $"packages/qemu/{Uri.EscapeDataString(source.Version)}/{Uri.EscapeDataString(source.Release)}/{Uri.EscapeDataString(source.Arch)}/{Uri.EscapeDataString(source.File)}").AbsoluteUri,
        _ => NoAssertion,
    };

    /// <summary>The package URL (purl) of a source package, e.g. <c>pkg:deb/debian/qemu-user@1:9.2.0+ds-1?arch=amd64</c>.</summary>
    public static string? Purl(ManifestPackage source) => source.Format switch
    {
        "deb" => $"pkg:deb/debian/{Uri.EscapeDataString(source.Name)}@{Uri.EscapeDataString(FullVersion(source))}?arch={Uri.EscapeDataString(source.Arch)}",
        "rpm" => $"pkg:rpm/fedora/{Uri.EscapeDataString(source.Name)}@{Uri.EscapeDataString($"{source.Version}-{source.Release}")}?arch={Uri.EscapeDataString(source.Arch)}"
            + (source.Epoch is null ? "" : $"&epoch={Uri.EscapeDataString(source.Epoch)}"),
        _ => null,
    };

    private static string SourceId(int index) => $"SPDXRef-Source-{index + 1}";

    private static string FullVersion(ManifestPackage source)
    {
        var version = source.Epoch is null ? source.Version : $"{source.Epoch}:{source.Version}";
        return source.Release.Length == 0 ? version : $"{version}-{source.Release}";
    }

    private static void WriteQemu(Utf8JsonWriter json, ReleaseManifest manifest)
    {
        json.WriteStartObject();
        json.WriteString("SPDXID", "SPDXRef-Package-qemu");
        json.WriteString("name", "qemu");
        json.WriteString("versionInfo", manifest.QemuVersion);
        json.WriteString("supplier", "Organization: QEMU project");
        json.WriteString("downloadLocation", NoAssertion);
        json.WriteString("homepage", "https://www.qemu.org/");
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("licenseConcluded", QemuLicense);
        json.WriteString("licenseDeclared", QemuLicense);
        json.WriteString("copyrightText", NoAssertion);
        json.WriteString("summary", $"QEMU's linux-user emulators, built as {manifest.PackageVersion}, for {manifest.FromArch} hosts");
        json.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter json, ManifestPackage source, string id)
    {
        json.WriteStartObject();
        json.WriteString("SPDXID", id);
        json.WriteString("name", source.Name);
        json.WriteString("versionInfo", FullVersion(source));
        json.WriteString("packageFileName", source.File);
        json.WriteString("downloadLocation", DownloadLocation(source));
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteStartArray("checksums");
        WriteChecksum(json, "SHA256", source.Sha256);
        json.WriteEndArray();
        json.WriteString("licenseConcluded", QemuLicense);
        json.WriteString("licenseDeclared", QemuLicense);
        json.WriteString("copyrightText", NoAssertion);
        if (Purl(source) is { } purl)
        {
            json.WriteStartArray("externalRefs");
            json.WriteStartObject();
            json.WriteString("referenceCategory", "PACKAGE-MANAGER");
            json.WriteString("referenceType", "purl");
            json.WriteString("referenceLocator", purl);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteChecksum(Utf8JsonWriter json, string algorithm, string value)
    {
        json.WriteStartObject();
        json.WriteString("algorithm", algorithm);
        json.WriteString("checksumValue", value);
        json.WriteEndObject();
    }

    private static void WriteRelationship(Utf8JsonWriter json, string element, string type, string related)
    {
        json.WriteStartObject();
        json.WriteString("spdxElementId", element);
        json.WriteString("relationshipType", type);
        json.WriteString("relatedSpdxElement", related);
        json.WriteEndObject();
    }

    [GeneratedRegex("[^a-zA-Z0-9.-]")]
    private static partial Regex NotIdChars();
}

using System.Text.Json;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>
/// A containers-auth.json holding one registry's credentials, for skopeo's <c>--dest-authfile</c>: the secret reaches
/// skopeo through a file only this user can read (folder 0700, file 0600), never through its command line, and the
/// folder is deleted on dispose.
/// </summary>
public sealed class RegistryAuthFile : IDisposable
{
    private readonly string folder;

    private RegistryAuthFile(string folder, string path)
    {
        this.folder = folder;
        Path = path;
    }

    /// <summary>The auth.json path.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="credentials"/> for <paramref name="registry"/> (as written in references, e.g. docker.io).</summary>
    public static RegistryAuthFile Create(string registry, RegistryCredentials credentials)
    {
        // CreateTempSubdirectory makes the folder with mode 0700.
        var folder = Directory.CreateTempSubdirectory("qus-push-").FullName;
        var path = System.IO.Path.Combine(folder, "auth.json");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, options))
        using (var json = new Utf8JsonWriter(file))
        {
            json.WriteStartObject();
            json.WriteStartObject("auths");
            json.WriteStartObject(registry);
            json.WriteString("auth", credentials.BasicToken);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new RegistryAuthFile(folder, path);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(folder, recursive: true);
}

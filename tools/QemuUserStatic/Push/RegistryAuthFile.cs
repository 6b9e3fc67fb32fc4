using System.Text.Json;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>
/// A containers-auth.json holding one registry's credentials, for skopeo's <c>--dest-authfile</c>: the secret
/// reaches skopeo through a <see cref="MemoryFile"/>, so it is never on a disk nor on a command line, and it is gone
/// with this process even when that is killed.
/// </summary>
public sealed class RegistryAuthFile : IDisposable
{
    private readonly MemoryFile file;

    private RegistryAuthFile(MemoryFile file) => this.file = file;

    /// <summary>The path skopeo reads it by (<c>/proc/PID/fd/N</c>).</summary>
    public string Path => file.Path;

    /// <summary>Holds <paramref name="credentials"/> for <paramref name="registry"/> (as written in references, e.g. docker.io).</summary>
    public static RegistryAuthFile Create(string registry, RegistryCredentials credentials)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("auths");
            json.WriteStartObject(registry);
            json.WriteString("auth", credentials.BasicToken);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var file = MemoryFile.Create("qus-push-auth.json");
        file.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        // The managed copy is cleared at once: only the memory file keeps the secret.
        Array.Clear(buffer.GetBuffer());
        return new RegistryAuthFile(file);
    }

    /// <inheritdoc />
    public void Dispose() => file.Dispose();
}

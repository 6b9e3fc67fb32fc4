using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>A real OpenPGP key made by gpg in a private GNUPGHOME, able to sign RPMs with rpmsign and Debian InRelease files.</summary>
public sealed record TestSigningKey(string Home, string Email, string PublicKey)
{
    /// <summary>The public key as a binary keyring file (what gpgv and /usr/share/keyrings hold).</summary>
    public string Keyring => PublicKey[..^".asc".Length] + ".gpg";

    /// <summary>Generates an unprotected RSA key in <paramref name="home"/>; the public key is exported to <c>HOME.asc</c>.</summary>
    public static TestSigningKey Create(string home, string email)
    {
        Directory.CreateDirectory(home);
        ToolProcess.ShellOrThrow($"chmod 700 '{home}'");
        var env = new Dictionary<string, string?> { ["GNUPGHOME"] = home };
        File.WriteAllText(Path.Combine(home, "params"),
            $"%no-protection\nKey-Type: RSA\nKey-Length: 2048\nName-Real: Test Signer\nName-Email: {email}\nExpire-Date: 0\n%commit\n");
        ToolProcess.ShellOrThrow($"gpg --batch --quiet --gen-key '{home}/params' 2>/dev/null", env);
        var publicKey = home + ".asc";
        ToolProcess.ShellOrThrow($"gpg --batch --armor --export '{email}' > '{publicKey}'", env);
        ToolProcess.ShellOrThrow($"gpg --batch --export '{email}' > '{home}.gpg'", env);
        return new TestSigningKey(home, email, publicKey);
    }

    /// <summary>Signs an RPM in place with rpmsign (Fedora's signing is the same header signature).</summary>
    public void Sign(string rpm) => ToolProcess.ShellOrThrow(
        $"rpmsign --addsign --define '_gpg_name {Email}' --define '_gpg_path {Home}' --define '__gpg /usr/bin/gpg' '{rpm}' </dev/null >/dev/null 2>&1",
        new Dictionary<string, string?> { ["GNUPGHOME"] = Home });

    /// <summary>Writes <paramref name="text"/> clear-signed to <paramref name="output"/>, as Debian's archive signs InRelease.</summary>
    public void ClearSign(string text, string output)
    {
        File.WriteAllText(output + ".unsigned", text);
        ToolProcess.ShellOrThrow(
            $"gpg --batch --yes --quiet --local-user '{Email}' --digest-algo SHA256 --clearsign --output '{output}' '{output}.unsigned' 2>/dev/null",
            new Dictionary<string, string?> { ["GNUPGHOME"] = Home });
        File.Delete(output + ".unsigned");
    }
}

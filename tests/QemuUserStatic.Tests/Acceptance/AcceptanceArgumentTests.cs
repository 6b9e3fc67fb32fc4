using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>qus-test refusing bad command lines and inputs with one line and the right exit code, before any engine runs.</summary>
[Category("Unit")]
public sealed class AcceptanceArgumentTests
{
    [TestCase(new string[0], 2, "give the images with --layout DIR or --repository REGISTRY/REPOSITORY")]
    [TestCase(new[] { "--layout", "/tmp", "--repository", "127.0.0.1:5000/qus" }, 2, "(one of them)")]
    [TestCase(new[] { "--repository", "127.0.0.1:5000/qus:latest" }, 1, "--repository: '127.0.0.1:5000/qus:latest' names a tag or digest")]
    [TestCase(new[] { "--layout", "/nonexistent-qus" }, 1, "/nonexistent-qus: not an OCI image layout")]
    [TestCase(new[] { "--repository", "r.example/q", "--cases", "1,9" }, 2, "--cases: '9' is not a case number (1-7) or range")]
    [TestCase(new[] { "--repository", "r.example/q", "--arch", "amd64" }, 2, "--arch x86_64: this x86_64 host runs it natively")]
    [TestCase(new[] { "--repository", "r.example/q", "--arch", "vax" }, 1, "unknown --arch target 'vax'")]
    [TestCase(new[] { "--repository", "r.example/q", "--guest-image", "oci:/nonexistent-qus:guest" }, 1, "/nonexistent-qus: not an OCI image layout")]
    [TestCase(new[] { "--repository", "r.example/q", "--setuid-witness", " " }, 2, "--setuid-witness: give a command of the guest")]
    [TestCase(new[] { "--repository", "r.example/q", "--guests", "/tmp", "--build-guests", "/tmp" }, 2, "give the guest set with --guests DIR or --build-guests CACHE_DIR (one of them)")]
    [TestCase(new[] { "--repository", "r.example/q", "--build-guests", "/etc/passwd" }, 1, "guest set cache /etc/passwd: is a file, not a folder")]
    [TestCase(new[] { "--repository", "r.example/q", "--build-guests", "" }, 1, "guest set cache '': give a folder")]
    [TestCase(new[] { "--repository", "r.example/q", "--build-guests", "/etc/passwd/cache" }, 1, "guest set cache /etc/passwd/cache: cannot be created: ")]
    public void RefusesWithOneLine(string[] args, int exitCode, string message)
    {
        var result = ToolProcess.RunTool("Qus.Test", args, new Dictionary<string, string?> { ["HOST_ARCH"] = "x86_64" });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
            Assert.That(result.StandardError.Trim().Split('\n'), Has.Length.EqualTo(1), result.ToString());
            Assert.That(result.StandardError, Does.StartWith("qus-test: error: ").And.Contain(message));
            Assert.That(result.StandardOutput, Is.Empty);
        });
    }

    [Test]
    public void AnUnknownEngineIsAParseError()
    {
        var result = ToolProcess.RunTool("Qus.Test", ["--repository", "r.example/q", "--engine", "podman"]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.Contain("podman"));
        });
    }
}

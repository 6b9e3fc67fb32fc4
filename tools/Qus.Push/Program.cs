using System.CommandLine;
using System.Text.Json;
using QemuUserStatic.Cli;
using QemuUserStatic.Oci;
using QemuUserStatic.Push;

var layout = new Option<string>("--layout", "-l") { Description = "The OCI image layout qus-images wrote", Required = true };
var to = new Option<string?>("--to")
{
    Description = "Where to push: a repository REGISTRY/REPOSITORY (docker.io/OWNER/qemu-user-static, 127.0.0.1:5000/qus), or oci:DIR, an OCI layout that collects the tags of every push; default: image.repository in qus.yml",
};
var config = ConfigOption.Create();
var tags = new Option<string[]>("--tags")
{
    Description = "Push only these tags (comma- or space-separated); default: every tag of the layout",
    AllowMultipleArgumentsPerToken = true,
};
var tlsVerify = new Option<bool>("--dest-tls-verify")
{
    Description = "Require HTTPS with a valid certificate; --dest-tls-verify=false for a loopback or test registry",
    DefaultValueFactory = _ => true,
};
var jobs = new Option<int>("--jobs", "-j") { Description = "Uploads and manifest writes in flight at the same time", DefaultValueFactory = _ => 4 };

var root = new RootCommand(
    "Pushes every tag of an OCI image layout to a registry (the OCI distribution API, its own client): indexes included, " +
    "digests kept, blobs the registry already has not uploaded again, transient faults retried. Prints REFERENCE@DIGEST per tag " +
    "and writes the digests to $GITHUB_OUTPUT (digests, digests-json). Credentials: QUS_REGISTRY_USERNAME and " +
    "QUS_REGISTRY_PASSWORD (sent only to the registry or its token service, over HTTPS or on this machine; never printed).")
{
    layout, to, tags, tlsVerify, jobs, config,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var reporter = Reporter.Console;
    var destination = PushDestination.Parse(
        parse.GetValue(to) ?? parse.Defaults(config).Value.ImageRepository
        ?? throw new UserException("--to: no repository to push to (give --to REGISTRY/REPOSITORY or set image.repository in qus.yml)", ExitCodes.Usage),
        "--to");
    var source = OciLayout.Open(parse.GetValue(layout)!);
    var names = OptionList.Items(parse.GetValue(tags));
    var credentials = RegistryCredentials.FromEnvironment(LayoutPusher.UsernameVariable, LayoutPusher.PasswordVariable);
    var options = new PushOptions { TlsVerify = parse.GetValue(tlsVerify), Jobs = Math.Max(1, parse.GetValue(jobs)) };

    var pushed = await new LayoutPusher(reporter).PushAsync(
        source, destination, names.Count == 0 ? null : names, credentials, options, cancellationToken);

    foreach (var tag in pushed)
    {
        Console.WriteLine($"{tag.Reference}@{tag.Digest}");
    }

    reporter.Actions.SetOutput("digests", string.Join('\n', pushed.Select(p => $"{p.Tag} {p.Digest}")));
    reporter.Actions.SetOutput("digests-json", JsonSerializer.Serialize(pushed.ToDictionary(p => p.Tag, p => p.Digest), PushJsonContext.Default.DictionaryStringString));
    reporter.Actions.AppendSummary(GitHubActions.MarkdownTable(
        ["pushed", "digest"], pushed.Select(p => (IReadOnlyList<string>)[p.Reference, p.Digest])));
    reporter.Line($"pushed {pushed.Count} tags to {destination.Name}");
    return ExitCodes.Success;
});

return await ToolApp.RunAsync("qus-push", root, args);

using System.CommandLine;
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
var json = JsonOption.Create();

var root = new RootCommand(
    "Pushes every tag of an OCI image layout to a registry (the OCI distribution API, its own client): indexes included, " +
    "digests kept, blobs the registry already has not uploaded again, transient faults retried. Prints REFERENCE@DIGEST per tag " +
    "and writes the digests to $GITHUB_OUTPUT (digests, digests-json). Credentials: QUS_REGISTRY_USERNAME and " +
    "QUS_REGISTRY_PASSWORD (sent only to the registry or its token service, over HTTPS or on this machine; never printed).")
{
    layout, to, tags, tlsVerify, jobs, config, json,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var reporter = Reporter.ForTool(parse.GetValue(json));
    var names = OptionList.Items(parse.GetValue(tags));
    var options = new PushOptions
    {
        Layout = parse.GetValue(layout)!,
        Destination = PushDestination.Parse(
            parse.GetValue(to) ?? parse.Defaults(config).Value.ImageRepository
            ?? throw new UserException("--to: no repository to push to (give --to REGISTRY/REPOSITORY or set image.repository in qus.yml)", ExitCodes.Usage),
            "--to"),
        Tags = names.Count == 0 ? null : names,
        Credentials = RegistryCredentials.FromEnvironment(),
        TlsVerify = parse.GetValue(tlsVerify),
        Jobs = Math.Max(1, parse.GetValue(jobs)),
    };
    return StepOutput.Write(await PushStep.RunAsync(options, reporter, cancellationToken), reporter);
});

return await ToolApp.RunAsync("qus-push", root, args);

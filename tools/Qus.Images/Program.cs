using System.CommandLine;
using QemuUserStatic.Cli;
using QemuUserStatic.Images;
using QemuUserStatic.Oci;

var inputs = new Option<string[]>("--input", "-i")
{
    Description = "A qus-tarballs output folder (manifest.json and qemu-*-static), or a folder of them (taken in name order); repeat it, one per host architecture",
    Required = true,
    AllowMultipleArgumentsPerToken = true,
};
var output = new Option<string>("--output", "-o")
{
    Description = "The OCI image layout folder to write; a previous layout there is replaced only when the build succeeds",
    Required = true,
};
var baseImage = new Option<string>("--base")
{
    Description = "Base of latest, VERSION and register: a registry reference, or oci:DIR:TAG for a local layout",
    DefaultValueFactory = _ => BaseImage.DefaultReference,
};
var pull = new Option<PullPolicy>("--pull")
{
    Description = "missing: pull the base once and reuse the cached copy; always: resolve its tag on the registry every run",
    DefaultValueFactory = _ => PullPolicy.Missing,
};
var cache = new Option<string>("--cache")
{
    Description = "Folder caching pulled base images",
    DefaultValueFactory = _ => ImageCache.DefaultFolder,
};
var tagVersion = new Option<string?>("--tag-version") { Description = "The VERSION of tags and labels (default: the inputs' tagVersion)" };
var tags = new Option<string[]>("--tags")
{
    Description = "Build only these tags (comma- or space-separated), e.g. latest,x86_64-aarch64",
    AllowMultipleArgumentsPerToken = true,
};
var repository = new Option<string?>("--repository")
{
    Description = "The repository the images are for (docker.io/OWNER/qemu-user-static); names each index.json entry (default: image.repository in qus.yml)",
};
var config = ConfigOption.Create();
var defaults = ImageSetOptions.FromEnvironment();
var source = new Option<string?>("--source")
{
    Description = "org.opencontainers.image.source label (default in GitHub Actions: the repository's URL)",
    DefaultValueFactory = _ => defaults.Source,
};
var revision = new Option<string?>("--revision")
{
    Description = "org.opencontainers.image.revision label (default in GitHub Actions: GITHUB_SHA)",
    DefaultValueFactory = _ => defaults.Revision,
};
var json = JsonOption.Create();
var jobs = new Option<int>("--jobs", "-j")
{
    Description = "Layers compressed in parallel",
    DefaultValueFactory = _ => Environment.ProcessorCount,
};

var root = new RootCommand(
    "Builds every qemu-user-static image (FROM-TO, TO, latest, VERSION, register; with their VERSION tags) from " +
    "qus-tarballs folders into one reproducible OCI image layout, without a Docker daemon. Prints TAG DIGEST per tag. " +
    "Base registry credentials: QUS_BASE_USERNAME and QUS_BASE_PASSWORD. SOURCE_DATE_EPOCH overrides the inputs' timestamps.")
{
    inputs, output, baseImage, pull, cache, tagVersion, tags, repository, source, revision, jobs, config, json,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var reporter = Reporter.ForTool(parse.GetValue(json));
    var options = new ImagesOptions
    {
        Inputs = parse.GetValue(inputs)!,
        Output = parse.GetValue(output)!,
        Base = parse.GetValue(baseImage)!,
        Pull = parse.GetValue(pull),
        Cache = parse.GetValue(cache)!,
        Tags = OptionList.Items(parse.GetValue(tags)),
        ImageSet = defaults with
        {
            TagVersion = parse.GetValue(tagVersion),
            Repository = parse.GetValue(repository) ?? parse.Defaults(config).Value.ImageRepository,
            Source = parse.GetValue(source),
            Revision = parse.GetValue(revision),
            Jobs = Math.Max(1, parse.GetValue(jobs)),
        },
    };
    return StepOutput.Write(await ImagesStep.RunAsync(options, reporter, cancellationToken), reporter);
});

return await ToolApp.RunAsync("qus-images", root, args);

using System.CommandLine;
using System.Globalization;
using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Manifests;
using QemuUserStatic.Net;
using QemuUserStatic.Releases;

var assets = new Option<string[]>("--assets", "-a")
{
    Description = "A qus-tarballs output folder to publish, or a folder of them; repeat it for several host architectures " +
        "(the main host's folder gives every file, the others their HOST_qemu-ARCH-static.tar.gz and HOST_manifest.json)",
    Required = true,
};
var mainHost = new Option<string?>("--main-host")
{
    Description = "The host whose emulators get the plain names (qemu-ARCH-static, qemu-ARCH-static.tar.gz) [default: the first of hosts in qus.yml]",
};
var repository = new Option<GitHubRepository>("--repository", "-r")
{
    Description = "OWNER/NAME of the GitHub repository [default: $GITHUB_REPOSITORY, else github.repository in qus.yml]",
    DefaultValueFactory = r => Environment.GetEnvironmentVariable("GITHUB_REPOSITORY") is { Length: > 0 } value
        ? ParseRepository(r, value, "GITHUB_REPOSITORY")
        : null!,
    CustomParser = r => ParseRepository(r, r.Tokens.Single().Value, "--repository"),
};
var native = new Option<string[]>("--native")
{
    Description = "A native qus-register built by tools/build-native (qus-register-linux-x64, -arm64) to publish too, listed in SHA256SUMS (repeatable)",
    HelpName = "FILE",
};
var toFolder = new Option<string?>("--to-folder")
{
    Description = "Publish to this folder instead of GitHub: the release is FOLDER/TAG/ (the assets and RELEASE.md), by the same rules (no token needed)",
};
var tag = new Option<string?>("--tag", "-t") { Description = "The release tag [default: github.tag in qus.yml over manifest.json, v<tagVersion>]" };
var config = ConfigOption.Create();
var json = JsonOption.Create();
var name = new Option<string?>("--name") { Description = "The release title of a created release [default: the tag]" };
var draft = new Option<bool>("--draft") { Description = "Create the release as a draft" };
var prerelease = new Option<bool>("--prerelease") { Description = "Mark a created release as a pre-release" };
var target = new Option<string?>("--target") { Description = "Branch or commit a new tag is made from [default: the default branch]" };
var replace = new Option<bool>("--replace") { Description = "Replace assets whose bytes differ (otherwise that is an error)" };
var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print what would be done; change nothing" };
var apiUrl = new Option<Uri>("--api-url")
{
    Description = "GitHub REST API root, e.g. https://HOST/api/v3 for GitHub Enterprise ($GITHUB_API_URL when set)",
    DefaultValueFactory = r => ParseApiUrl(r, Environment.GetEnvironmentVariable("GITHUB_API_URL") is { Length: > 0 } url ? url : GitHubConnection.PublicApi.AbsoluteUri, "GITHUB_API_URL"),
    CustomParser = r => ParseApiUrl(r, r.Tokens.Single().Value, "--api-url"),
};
var tokenEnv = new Option<string>("--token-env")
{
    Description = "The environment variable that holds the token (it is never printed)",
    DefaultValueFactory = _ => "GITHUB_TOKEN",
};
var parallel = new Option<int>("--parallel", "-j") { Description = "Uploads at the same time (1-16)", DefaultValueFactory = _ => 4 };
parallel.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() is < 1 or > 16)
    {
        r.AddError("--parallel: expected 1 to 16");
    }
});
var retries = new Option<int>("--retries") { Description = "Attempts per request before giving up (1-20)", DefaultValueFactory = _ => RetryPolicy.Default.MaxAttempts };
retries.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() is < 1 or > 20)
    {
        r.AddError("--retries: expected 1 to 20");
    }
});
var retryDelay = new Option<double>("--retry-delay")
{
    Description = "Seconds before the first retry, doubling up to 30 (a server's Retry-After wins)",
    DefaultValueFactory = _ => RetryPolicy.Default.BaseDelay.TotalSeconds,
};
retryDelay.Validators.Add(r =>
{
    if (r.GetValueOrDefault<double>() is < 0 or > 60)
    {
        r.AddError("--retry-delay: expected 0 to 60 seconds");
    }
});

var root = new RootCommand("Publishes qus-tarballs folders as a GitHub release (or a release folder). Re-running is safe: assets already there with the same " +
    "bytes are skipped, half-done uploads are redone, and nothing is uploaded twice.")
{
    assets, mainHost, native, repository, toFolder, tag, name, draft, prerelease, target, replace, dryRun, apiUrl, tokenEnv, parallel, retries, retryDelay, config, json,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var folders = TarballsFolders.Expand(parse.GetValue(assets)!);
    var request = new PublishRequest
    {
        AssetsFolders = folders,
        MainHost = parse.GetValue(mainHost),
        HostOrder = folders.Count > 1 && parse.GetValue(mainHost) is null ? parse.Defaults(config).Value.Hosts : [],
        NativeTools = parse.GetValue(native) ?? [],
        Repository = parse.GetValue(repository) ?? ConfiguredRepository(parse.Defaults(config).Value),
        Tag = parse.GetValue(tag),
        TagTemplate = parse.GetValue(tag) is null ? parse.Defaults(config).Value.ReleaseTag : ReleaseTagTemplate.Default,
        Name = parse.GetValue(name),
        Draft = parse.GetValue(draft),
        Prerelease = parse.GetValue(prerelease),
        Target = parse.GetValue(target),
        Replace = parse.GetValue(replace),
        DryRun = parse.GetValue(dryRun),
        Parallel = parse.GetValue(parallel),
    };
    var options = new PublishOptions
    {
        Request = request,
        ToFolder = parse.GetValue(toFolder),
        ApiUrl = parse.GetValue(apiUrl)!,
        TokenVariable = parse.GetValue(tokenEnv)!,
        Retry = RetryPolicy.Default with
        {
            MaxAttempts = parse.GetValue(retries),
            BaseDelay = TimeSpan.FromSeconds(parse.GetValue(retryDelay)),
        },
    };
    var reporter = Reporter.ForTool(parse.GetValue(json));
    return StepOutput.Write(await PublishStep.RunAsync(options, reporter, cancellationToken), reporter);
});
return await ToolApp.RunAsync("qus-publish", root, args);

static GitHubRepository? ConfiguredRepository(PipelineConfig config) =>
    config.GitHubRepository is null ? null
    : GitHubRepository.TryParse(config.GitHubRepository, out var parsed) ? parsed
    : throw new UserException($"{config.SourceFile}: github.repository '{config.GitHubRepository}' is not OWNER/NAME", ExitCodes.Usage);

static GitHubRepository ParseRepository(System.CommandLine.Parsing.ArgumentResult result, string value, string source)
{
    if (GitHubRepository.TryParse(value, out var parsed))
    {
        return parsed;
    }

    result.AddError($"{source} '{value}': expected OWNER/NAME, e.g. multiarch/qemu-user-static");
    return null!;
}

static Uri ParseApiUrl(System.CommandLine.Parsing.ArgumentResult result, string value, string source)
{
    if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
    {
        return url;
    }

    result.AddError($"{source} '{value}': expected an absolute http(s) address");
    return null!;
}

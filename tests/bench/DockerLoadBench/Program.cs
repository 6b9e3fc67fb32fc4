// Usage: DockerLoadBench LAYOUT PLATFORM REPOSITORY TAG... Loads each oci:LAYOUT:TAG's PLATFORM image into the Docker
// engine as REPOSITORY:TAG through DockerLoad (a docker-archive streamed into docker load), one after another, as
// qus-test's docker engine does, and prints each image ID.
using QemuUserStatic.Acceptance.Docker;
using QemuUserStatic.Architectures;

if (args.Length < 4 || !OciPlatform.TryParse(args[1], out var platform))
{
    Console.Error.WriteLine("usage: DockerLoadBench LAYOUT PLATFORM REPOSITORY TAG...");
    return 2;
}

foreach (var tag in args[3..])
{
    var (output, archive) = await DockerLoad.LayoutImageAsync($"oci:{args[0]}:{tag}", $"{args[2]}:{tag}", platform, CancellationToken.None);
    if (!output.Succeeded)
    {
        Console.Error.WriteLine($"{tag}: {output.LastError}");
        return 1;
    }

    Console.WriteLine($"{tag} {archive.Config.Digest}");
}

return 0;

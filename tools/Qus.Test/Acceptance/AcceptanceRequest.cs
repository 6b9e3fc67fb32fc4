using QemuUserStatic.Acceptance.Docker;

namespace QemuUserStatic.Acceptance;

/// <summary>Everything a qus-test run was asked: images, settings, cases, engine and its options, report file.</summary>
/// <param name="Sources">Where the images and the guest come from.</param>
/// <param name="Settings">Target, host, /register targets, witness, timeout.</param>
/// <param name="Cases">The cases to run, in order.</param>
/// <param name="Engine">The engine.</param>
/// <param name="Privilege">Docker: the options of the registering containers.</param>
/// <param name="Network">Docker: the network of containers and builds, or null to decide from the engine.</param>
/// <param name="JUnitPath">Where to write the JUnit XML report, or null.</param>
internal sealed record AcceptanceRequest(
    ImageSources Sources, AcceptanceSettings Settings, IReadOnlyList<TestCase> Cases, EngineKind Engine,
    PrivilegeArguments Privilege, string? Network, string? JUnitPath);

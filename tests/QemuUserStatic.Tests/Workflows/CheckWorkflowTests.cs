using QemuUserStatic.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Tests.Workflows;

/// <summary>
/// check.yml's pull request step run as the runner runs it (bash, its env), in a real git clone whose origin is a
/// local bare repository, against the GitHub stand-in's pull request API: one pull request per version, whatever
/// happened before — a second run, a closed pull request, a branch pushed by a run that could not open it.
/// </summary>
public class CheckWorkflowTests
{
    private const string Token = "ghp_CheckWorkflowToken_77ab";
    private const string Current = "1:7.2+dfsg-7+deb12u18+b3";
    private const string Latest = "1:7.2+dfsg-7+deb12u20";
    private const string Branch = "qus/qemu-1-7.2-dfsg-7-deb12u20";

    private static readonly YamlMappingNode Step = GitHubYaml.WorkflowSteps(GitHubYaml.Load(Repo.Under(".github", "workflows", "check.yml")))
        .Single(s => s.Step.Str("name") == "Open a pull request").Step;

    [Test]
    public async Task Opens_one_pull_request_per_version_and_never_a_second()
    {
        await using var github = await FakeGitHub.StartAsync(token: Token);
        using var temp = new TempDir("qus-check-workflow");
        var origin = Origin(temp, github);

        var first = RunStep(temp, github, "first");
        var opened = Git(temp.Path, $"--git-dir '{origin}' show {Branch}:qus.yml").StandardOutput;
        var pushed = Git(temp.Path, $"--git-dir '{origin}' rev-parse {Branch}").StandardOutput;
        var second = RunStep(temp, github, "second");
        github.Close(1);
        var afterClose = RunStep(temp, github, "third");

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(first.StandardOutput, Does.Contain($"opened {github.ApiUrl}{github.Repository}/pull/1"));
            Assert.That(github.Pulls.Select(p => (p.Number, p.Head, p.Base, p.Title)), Is.EqualTo(new[] { (1, Branch, "main", $"QEMU {Latest}") }));
            Assert.That(github.Pulls[0].Body, Does.Contain(Current).And.Contain(Latest));
            Assert.That(opened, Does.Contain($"version: \"{Latest}\""), "the branch pins the new version");
            Assert.That(Git(temp.Path, $"--git-dir '{origin}' log -1 --format=%s {Branch}").StandardOutput.Trim(), Is.EqualTo($"qus.yml: QEMU {Latest}"));
            foreach (var again in new[] { second, afterClose })
            {
                Assert.That(again.ExitCode, Is.Zero, again.ToString());
                Assert.That(again.StandardOutput, Does.Contain("exists already: nothing to do"));
            }

            Assert.That(github.Pulls, Has.Count.EqualTo(1), "no second pull request, not even after the first was closed");
            Assert.That(Git(temp.Path, $"--git-dir '{origin}' rev-parse {Branch}").StandardOutput, Is.EqualTo(pushed), "nothing pushed again");
            Assert.That(first.ToString() + second + afterClose, Does.Not.Contain(Token));
        });
    }

    [Test]
    public async Task A_branch_pushed_by_a_run_that_could_not_open_the_pull_request_gets_it_next_time()
    {
        await using var github = await FakeGitHub.StartAsync(token: Token);
        using var temp = new TempDir("qus-check-workflow");
        var origin = Origin(temp, github);
        github.FailApi("POST", "/pulls", Fault.BadGateway, times: 10);

        var failed = RunStep(temp, github, "failed");
        var pushed = Git(temp.Path, $"--git-dir '{origin}' rev-parse {Branch}");
        github.ClearFaults();
        var retried = RunStep(temp, github, "retried");

        Assert.Multiple(() =>
        {
            Assert.That(failed.ExitCode, Is.Not.Zero, "a pull request that could not be opened fails the job");
            Assert.That(pushed.ExitCode, Is.Zero, "the branch was pushed before");
            Assert.That(retried.ExitCode, Is.Zero, retried.ToString());
            Assert.That(github.Pulls.Select(p => p.Head), Is.EqualTo(new[] { Branch }));
            Assert.That(Git(temp.Path, $"--git-dir '{origin}' rev-parse {Branch}").StandardOutput, Is.EqualTo(pushed.StandardOutput), "the branch is used as it is");
        });
    }

    // A bare origin whose main holds a qus.yml pinning the current version; the stand-in sees its branches.
    private static string Origin(TempDir temp, FakeGitHub github)
    {
        var origin = temp["origin.git"];
        ToolProcess.ShellOrThrow(
            $"git init -q --bare -b main '{origin}' && git clone -q '{origin}' '{temp["seed"]}' 2>/dev/null && cd '{temp["seed"]}' && " +
            $"printf 'source: debian\\nqemu:\\n  version: \"{Current}\"\\n' > qus.yml && git add qus.yml && " +
            "git -c user.name=t -c user.email=t@example.org commit -qm seed && git push -q origin main");
        github.BranchExists = branch => Git(temp.Path, $"ls-remote --exit-code --heads '{origin}' '{branch}'").ExitCode == 0;
        return origin;
    }

    // A fresh clone where the check step pinned the newer version (what actions/fetch with update does), then the step.
    private static ProcessResult RunStep(TempDir temp, FakeGitHub github, string name)
    {
        var clone = temp[name];
        ToolProcess.ShellOrThrow($"git clone -q '{temp["origin.git"]}' '{clone}' && sed -i 's/{Current}/{Latest}/' '{clone}/qus.yml'");
        File.WriteAllText(temp[name + ".sh"], Step.Str("run"));
        var env = new Dictionary<string, string?>
        {
            ["GH_TOKEN"] = Token, ["CURRENT"] = Current, ["LATEST"] = Latest, ["BASE"] = "main",
            ["GITHUB_API_URL"] = github.ApiUrl.ToString().TrimEnd('/'), ["GITHUB_REPOSITORY"] = github.Repository,
            ["GITHUB_REPOSITORY_OWNER"] = github.Repository.Split('/')[0],
        };
        Assert.That(Step.Map("env").Keys().Where(k => !env.ContainsKey(k)), Is.Empty, "the test gives every variable the step declares");
        return ToolProcess.Run("bash", ["--noprofile", "--norc", "-eo", "pipefail", temp[name + ".sh"]], env, clone);
    }

    private static ProcessResult Git(string directory, string arguments) => ToolProcess.Shell("git " + arguments, workingDirectory: directory);
}

using System.Text.RegularExpressions;
using QemuUserStatic.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Tests.Workflows;

/// <summary>
/// The workflows read as a graph (YamlDotNet): every action, reusable workflow, input, output, artifact and job they
/// name exists and fits; nothing is published or pushed before the test job passed, for a pull request or off the
/// default branch; permissions and secrets are where they are needed and nowhere else.
/// </summary>
[Category("Unit")]
public partial class WorkflowGraphTests
{
    private const string DefaultBranchGuard = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)";
    private const string NotPullRequestGuard = "github.event_name != 'pull_request'";

    private static IEnumerable<string> Workflows() => GitHubYaml.WorkflowFiles().Select(Path.GetFileName)!;

    private static YamlMappingNode Workflow(string name) => GitHubYaml.Load(Repo.Under(".github", "workflows", name));

    private static IEnumerable<(string Job, YamlMappingNode Node)> Jobs(YamlMappingNode workflow) =>
        workflow.Map("jobs")!.Children.Select(j => (((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value));

    [Test]
    public void The_pipeline_is_defined_once_and_has_every_step()
    {
        Assert.That(Workflows(), Is.SupersetOf(new[] { "actions.yml", "pipeline.yml", "check.yml", "ci.yml" }));
        var pipeline = Workflow("pipeline.yml");
        Assert.That(pipeline.Map("on")!.Keys(), Is.EqualTo(new[] { "workflow_call" }), "pipeline.yml is only called");
        Assert.That(Jobs(pipeline).Select(j => j.Job), Is.EqualTo(new[] { "fetch", "tarballs", "images", "test", "publish", "push", "attest-images" }));
        var uses = Jobs(pipeline).ToDictionary(j => j.Job, j => Steps(j.Node).Select(s => s.Str("uses")).OfType<string>().Where(u => u.StartsWith("./", StringComparison.Ordinal)).ToList());
        foreach (var step in new[] { "fetch", "tarballs", "images", "test", "publish", "push" })
        {
            Assert.That(uses[step], Is.EqualTo(new[] { $"./actions/{step}" }), $"job {step} runs actions/{step}");
        }

        Assert.That(Jobs(pipeline).Single(j => j.Job == "tarballs").Node.Map("strategy")!.Map("matrix")!.Str("host"),
            Is.EqualTo("${{ fromJSON(needs.fetch.outputs.hosts) }}"), "one tarballs job per configured host");

        var callers = Workflows().SelectMany(w => Jobs(Workflow(w)).Select(j => (Workflow: w, j.Node.Str("uses")))).Where(c => c.Item2 is not null).ToList();
        Assert.That(callers, Is.EqualTo(new[] { ("actions.yml", (string?)"./.github/workflows/pipeline.yml") }), "actions.yml runs the chain through pipeline.yml");
        Assert.That(Workflows().Where(w => w != "pipeline.yml").SelectMany(w => Jobs(Workflow(w)).SelectMany(j => Steps(j.Node)))
            .Select(s => s.Str("uses")).Where(u => u is "./actions/tarballs" or "./actions/images" or "./actions/publish" or "./actions/push"),
            Is.Empty, "no second definition of the chain");
    }

    [TestCaseSource(nameof(Workflows))]
    public void Every_local_action_exists_and_gets_declared_inputs_and_every_required_one(string workflow)
    {
        foreach (var (job, node) in Jobs(Workflow(workflow)))
        {
            foreach (var step in Steps(node).Where(s => s.Str("uses")?.StartsWith("./actions/", StringComparison.Ordinal) == true))
            {
                var uses = step.Str("uses")!;
                var file = Repo.Under(uses[2..], "action.yml");
                Assert.That(File.Exists(file), Is.True, $"{workflow} job {job}: {uses} does not exist");
                var inputs = GitHubYaml.Load(file).Map("inputs");
                var given = step.Map("with").Keys().ToList();
                Assert.That(given.Except(inputs.Keys()), Is.Empty, $"{workflow} job {job}: {uses} has no such input");
                var required = inputs!.Children.Where(i => ((YamlMappingNode)i.Value).Str("required") == "true" && ((YamlMappingNode)i.Value).Str("default") is null)
                    .Select(i => ((YamlScalarNode)i.Key).Value!);
                Assert.That(required.Except(given), Is.Empty, $"{workflow} job {job}: {uses} misses a required input");
            }
        }
    }

    [TestCaseSource(nameof(Workflows))]
    public void Every_called_workflow_exists_and_gets_declared_inputs_and_secrets(string workflow)
    {
        foreach (var (job, node) in Jobs(Workflow(workflow)).Where(j => j.Node.Str("uses") is not null))
        {
            var uses = node.Str("uses")!;
            Assert.That(uses, Does.StartWith("./.github/workflows/"), $"{workflow} job {job}");
            var called = Repo.Under(uses[2..]);
            Assert.That(File.Exists(called), Is.True, $"{workflow} job {job}: {uses} does not exist");
            var call = GitHubYaml.Load(called).Map("on")!.Map("workflow_call")!;
            Assert.That(node.Map("with").Keys().Except(call.Map("inputs").Keys()), Is.Empty, $"{workflow} job {job}: not an input of {uses}");
            Assert.That(node.Map("secrets").Keys().Except(call.Map("secrets").Keys()), Is.Empty, $"{workflow} job {job}: not a secret of {uses}");
            var required = call.Map("inputs")!.Children.Where(i => ((YamlMappingNode)i.Value).Str("required") == "true").Select(i => ((YamlScalarNode)i.Key).Value!);
            Assert.That(required.Except(node.Map("with").Keys()), Is.Empty, $"{workflow} job {job}: misses a required input of {uses}");
        }
    }

    [TestCaseSource(nameof(Workflows))]
    public void Every_expression_names_a_declared_input_output_step_need_or_matrix_value(string workflow)
    {
        var root = Workflow(workflow);
        var jobs = Jobs(root).ToDictionary(j => j.Job, j => j.Node);
        var callInputs = root.Map("on")?.Map("workflow_call")?.Map("inputs").Keys().ToHashSet() ?? [];
        foreach (var (job, node) in jobs)
        {
            var needs = node.Strings("needs");
            var steps = Steps(node).Where(s => s.Str("id") is not null).ToDictionary(s => s.Str("id")!);
            // The matrix's own keys, and those every include entry sets (a key some entry lacks would be empty there).
            var declared = node.Map("strategy")?.Map("matrix");
            var included = (declared?.Children.FirstOrDefault(c => ((YamlScalarNode)c.Key).Value == "include").Value as YamlSequenceNode)?
                .Children.Select(e => ((YamlMappingNode)e).Keys().ToHashSet()).ToList() ?? [];
            var matrix = declared.Keys().Where(k => k is not ("include" or "exclude"))
                .Concat(included.Count == 0 ? [] : included.Skip(1).Aggregate(included[0], (all, keys) => [.. all.Intersect(keys)]))
                .ToHashSet();
            foreach (var text in Scalars(node))
            {
                foreach (Match m in NeedsOutput().Matches(text))
                {
                    Assert.That(needs, Does.Contain(m.Groups[1].Value), $"{workflow} job {job}: {m.Value} without needs: {m.Groups[1].Value}");
                    Assert.That(jobs[m.Groups[1].Value].Map("outputs").Keys(), Does.Contain(m.Groups[2].Value), $"{workflow} job {job}: {m.Value} is not an output");
                }

                foreach (Match m in StepOutput().Matches(text))
                {
                    Assert.That(steps.Keys, Does.Contain(m.Groups[1].Value), $"{workflow} job {job}: {m.Value}: no step with that id");
                    if (steps[m.Groups[1].Value].Str("uses") is { } uses && uses.StartsWith("./actions/", StringComparison.Ordinal))
                    {
                        Assert.That(GitHubYaml.Load(Repo.Under(uses[2..], "action.yml")).Map("outputs").Keys(), Does.Contain(m.Groups[2].Value),
                            $"{workflow} job {job}: {m.Value} is not an output of {uses}");
                    }
                }

                foreach (Match m in InputReference().Matches(text))
                {
                    Assert.That(callInputs, Does.Contain(m.Groups[1].Value), $"{workflow} job {job}: {m.Value} is not a workflow_call input");
                }

                foreach (Match m in MatrixReference().Matches(text))
                {
                    Assert.That(matrix, Does.Contain(m.Groups[1].Value), $"{workflow} job {job}: {m.Value} is not in the matrix");
                }
            }
        }
    }

    [TestCaseSource(nameof(Workflows))]
    public void Every_downloaded_artifact_is_uploaded_by_a_job_it_needs(string workflow)
    {
        var jobs = Jobs(Workflow(workflow)).ToDictionary(j => j.Job, j => j.Node);
        var uploads = jobs.ToDictionary(j => j.Key, j => ArtifactSteps(j.Value, "actions/upload-artifact@").Select(s => s.Map("with")!.Str("name")!).ToList());
        foreach (var (job, node) in jobs)
        {
            var closure = Needs(jobs, job);
            foreach (var download in ArtifactSteps(node, "actions/download-artifact@"))
            {
                var with = download.Map("with")!;
                var wanted = with.Str("name") ?? with.Str("pattern");
                Assert.That(wanted, Is.Not.Null, $"{workflow} job {job}: a download-artifact without name or pattern takes every artifact");
                var sample = Expression().Replace(wanted!, "*").Replace("*", "x");
                var sources = closure.Where(j => uploads[j].Any(u => Regex.IsMatch(sample, "^" + Regex.Escape(Expression().Replace(u, "*")).Replace("\\*", ".+") + "$"))).ToList();
                Assert.That(sources, Is.Not.Empty, $"{workflow} job {job}: artifact '{wanted}' is uploaded by no job in its needs ({string.Join(", ", closure)})");
            }

            foreach (var name in uploads[job])
            {
                Assert.That(jobs.Where(j => j.Key != job).SelectMany(j => uploads[j.Key]), Has.No.Member(name), $"{workflow}: artifact {name} uploaded twice");
            }
        }
    }

    [Test]
    public void Publish_and_push_need_the_test_job_and_run_only_on_the_default_branch_never_for_a_pull_request()
    {
        var jobs = Jobs(Workflow("pipeline.yml")).ToDictionary(j => j.Job, j => j.Node);
        foreach (var job in new[] { "publish", "push" })
        {
            Assert.That(Needs(jobs, job), Does.Contain("test"), $"{job} depends on test");
            var condition = Normalize(jobs[job].Str("if"));
            Assert.That(condition, Does.Contain(NotPullRequestGuard).And.Contain(DefaultBranchGuard).And.Contain($"inputs.{job}"), job);
            Assert.That(condition, Does.Not.Contain("||").And.Not.Contain("always()"), $"{job}: the guard cannot be bypassed");
        }

        foreach (var job in new[] { "fetch", "tarballs", "images", "test" })
        {
            Assert.That(Needs(jobs, job), Does.Not.Contain("publish").And.Not.Contain("push"));
        }

        var caller = Jobs(Workflow("actions.yml")).Single().Node.Map("with")!;
        foreach (var input in new[] { "publish", "push" })
        {
            Assert.That(Normalize(caller.Str(input)), Does.Contain(NotPullRequestGuard).And.Contain(DefaultBranchGuard), $"actions.yml asks for {input} only where it may");
        }

        var on = Workflow("actions.yml").Map("on")!;
        Assert.That(on.Keys(), Is.EquivalentTo(new[] { "push", "pull_request", "workflow_dispatch" }));
        Assert.That(on.Map("push")!.Strings("branches"), Is.EqualTo(new[] { "main" }));
        Assert.That(Workflow("check.yml").Map("on")!.Keys(), Is.EquivalentTo(new[] { "schedule", "workflow_dispatch" }));
        Assert.That(Workflow("ci.yml").Map("on")!.Keys(), Is.EquivalentTo(new[] { "push", "pull_request" }));
    }

    [TestCase("pipeline.yml", "publish", "attestations: write, contents: write, id-token: write")]
    [TestCase("pipeline.yml", "push", "contents: read, packages: write")]
    [TestCase("pipeline.yml", "attest-images", "attestations: write, contents: read, id-token: write, packages: write")]
    [TestCase("actions.yml", "pipeline", "attestations: write, contents: write, id-token: write, packages: write")]
    [TestCase("check.yml", "check", "contents: write, pull-requests: write")]
    public void Only_the_jobs_that_write_have_write_permissions(string workflow, string writer, string permissions)
    {
        var root = Workflow(workflow);
        Assert.That(Permissions(root.Map("permissions")), Is.EqualTo("contents: read"), $"{workflow}: read-only by default");
        var writers = workflow == "pipeline.yml" ? new[] { "publish", "push", "attest-images" } : [writer];
        foreach (var (job, node) in Jobs(root).Where(j => !writers.Contains(j.Job)))
        {
            Assert.That(Permissions(node.Map("permissions")), Is.Empty, $"{workflow} job {job} inherits the read-only default");
        }

        Assert.That(Permissions(Jobs(root).Single(j => j.Job == writer).Node.Map("permissions")), Is.EqualTo(permissions));
        Assert.That(Permissions(Workflow("ci.yml").Map("permissions")), Is.EqualTo("contents: read"));
        Assert.That(Jobs(Workflow("ci.yml")).Select(j => Permissions(j.Node.Map("permissions"))), Is.All.Empty);
    }

    [TestCaseSource(nameof(Workflows))]
    public void Only_the_jobs_that_attest_may_sign_and_every_one_that_attests_may(string workflow)
    {
        var root = Workflow(workflow);
        var grants = new[] { "attestations: write", "id-token: write" };
        Assert.That(Permissions(root.Map("permissions")).Split(", "), Has.None.AnyOf(grants), $"{workflow}: not at the top level");
        // actions.yml's pipeline job calls pipeline.yml: it must grant what the attesting jobs there narrow to.
        var attesting = new HashSet<string> { "pipeline.yml/publish", "pipeline.yml/attest-images", "actions.yml/pipeline" };
        foreach (var (job, node) in Jobs(root))
        {
            var attests = Steps(node).Any(s => s.Str("uses")?.StartsWith("actions/attest-build-provenance@", StringComparison.Ordinal) == true)
                || attesting.Contains($"{workflow}/{job}");
            var granted = Permissions(node.Map("permissions")).Split(", ");
            Assert.That(attesting.Contains($"{workflow}/{job}"), Is.EqualTo(attests), $"{workflow} job {job} attests but is not known to");
            Assert.That(granted.Intersect(grants), attests ? Is.EquivalentTo(grants) : Is.Empty, $"{workflow} job {job}");
        }
    }

    [Test]
    public void The_release_files_and_every_pushed_image_digest_are_attested()
    {
        var jobs = Jobs(Workflow("pipeline.yml")).ToDictionary(j => j.Job, j => j.Node);
        var release = ArtifactSteps(jobs["publish"], "actions/attest-build-provenance@").Single().Map("with")!;
        Assert.That(release.Str("subject-path")!.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "tarballs/**", "native/qus-register-linux-*" }));
        var publish = Steps(jobs["publish"]).Select(s => s.Str("uses")).ToList();
        Assert.That(publish.FindIndex(u => u?.StartsWith("actions/attest-build-provenance@", StringComparison.Ordinal) == true),
            Is.GreaterThan(publish.IndexOf("./actions/publish")), "the published files are attested");

        var images = jobs["attest-images"];
        Assert.That(images.Strings("needs"), Does.Contain("push"));
        Assert.That(images.Map("strategy")!.Map("matrix")!.Str("digest"), Is.EqualTo("${{ fromJSON(needs.push.outputs.image-digests) }}"));
        var image = ArtifactSteps(images, "actions/attest-build-provenance@").Single().Map("with")!;
        Assert.That(image.Str("subject-name"), Is.EqualTo("${{ needs.fetch.outputs.image-repository }}"));
        Assert.That(image.Str("subject-digest"), Is.EqualTo("${{ matrix.digest }}"));
        Assert.That(image.Str("push-to-registry"), Is.EqualTo("true"));
    }

    [TestCaseSource(nameof(Workflows))]
    public void Secrets_and_the_token_appear_only_in_the_jobs_that_publish_push_or_open_a_pull_request(string workflow)
    {
        var allowed = new HashSet<string> { "pipeline.yml/publish", "pipeline.yml/push", "pipeline.yml/attest-images", "check.yml/check" };
        foreach (var (job, node) in Jobs(Workflow(workflow)))
        {
            var uses = Scalars(node).Where(t => SecretReference().IsMatch(t)).ToList();
            Assert.That(uses.Count == 0 || allowed.Contains($"{workflow}/{job}"), Is.True, $"{workflow} job {job} handles a secret: {string.Join(", ", uses)}");
        }

        var root = Workflow(workflow);
        Assert.That(root.Children.Where(c => ((YamlScalarNode)c.Key).Value != "jobs").SelectMany(c => Scalars(c.Value)).Where(t => SecretReference().IsMatch(t)),
            Is.Empty, $"{workflow}: no secret outside the jobs (workflow env, defaults)");
    }

    [Test]
    public void Runs_that_publish_never_overlap_and_every_top_level_workflow_has_a_concurrency_group()
    {
        foreach (var workflow in new[] { "actions.yml", "check.yml", "ci.yml" })
        {
            Assert.That(Workflow(workflow).Map("concurrency")?.Str("group"), Does.Contain("${{"), workflow);
        }

        Assert.That(Normalize(Workflow("actions.yml").Map("concurrency")!.Str("cancel-in-progress")), Is.EqualTo("${{ github.event_name == 'pull_request' }}"),
            "only pull request runs are cancelled");
        foreach (var (job, node) in Jobs(Workflow("pipeline.yml")).Where(j => j.Job is "publish" or "push"))
        {
            Assert.That(node.Map("concurrency")!.Str("cancel-in-progress"), Is.EqualTo("false"), job);
        }
    }

    [Test]
    public void The_actions_readme_documents_every_input_and_output_of_every_action()
    {
        var readme = File.ReadAllText(Repo.Under("actions", "README.md"));
        foreach (var file in GitHubYaml.ActionFiles())
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file))!;
            var start = readme.IndexOf($"### `actions/{name}`", StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), $"actions/README.md has no section for actions/{name}");
            var end = readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
            var section = end < 0 ? readme[start..] : readme[start..end];
            var action = GitHubYaml.Load(file);
            foreach (var key in action.Map("inputs").Keys().Concat(action.Map("outputs").Keys()))
            {
                Assert.That(section, Does.Contain($"| `{key}` |"), $"actions/README.md: actions/{name} does not document {key}");
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => (job.Seq("steps")?.Children ?? []).OfType<YamlMappingNode>();

    private static IEnumerable<YamlMappingNode> ArtifactSteps(YamlMappingNode job, string action) =>
        Steps(job).Where(s => s.Str("uses")?.StartsWith(action, StringComparison.Ordinal) == true);

    // The jobs a job needs, directly or through other jobs.
    private static HashSet<string> Needs(IReadOnlyDictionary<string, YamlMappingNode> jobs, string job)
    {
        var closure = new HashSet<string>();
        var queue = new Queue<string>(jobs[job].Strings("needs"));
        while (queue.TryDequeue(out var next))
        {
            if (closure.Add(next))
            {
                foreach (var more in jobs[next].Strings("needs"))
                {
                    queue.Enqueue(more);
                }
            }
        }

        return closure;
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node.AllNodes.OfType<YamlScalarNode>().Select(s => s.Value ?? "");

    private static string Permissions(YamlMappingNode? node) =>
        node is null ? "" : string.Join(", ", node.Children.Select(p => $"{((YamlScalarNode)p.Key).Value}: {((YamlScalarNode)p.Value).Value}").Order(StringComparer.Ordinal));

    private static string Normalize(string? expression) => Regex.Replace(expression ?? "", @"\s+", " ").Trim();

    [GeneratedRegex(@"\$\{\{.*?\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")]
    private static partial Regex NeedsOutput();

    [GeneratedRegex(@"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")]
    private static partial Regex StepOutput();

    [GeneratedRegex(@"\binputs\.([A-Za-z0-9_-]+)")]
    private static partial Regex InputReference();

    [GeneratedRegex(@"\bmatrix\.([A-Za-z0-9_-]+)")]
    private static partial Regex MatrixReference();

    [GeneratedRegex(@"\bsecrets\.|github\.token")]
    private static partial Regex SecretReference();
}

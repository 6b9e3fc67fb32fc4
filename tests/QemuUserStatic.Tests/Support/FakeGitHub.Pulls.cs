using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Pull requests on the GitHub stand-in, as the REST API documents them for what the check workflow uses: list with
/// <c>state</c> (open by default, closed, all) and <c>head=OWNER:BRANCH</c>; create (201; 422 when the head branch
/// does not exist, or when an open pull request from it exists already).
/// </summary>
public sealed partial class FakeGitHub
{
    private readonly List<FakePull> pulls = [];

    /// <summary>Whether a branch exists in the repository (GitHub refuses a pull request from a missing head).</summary>
    public Func<string, bool> BranchExists { get; set; } = _ => true;

    /// <summary>Every pull request, in creation order.</summary>
    public IReadOnlyList<FakePull> Pulls
    {
        get
        {
            lock (gate)
            {
                return [.. pulls];
            }
        }
    }

    /// <summary>Closes a pull request (as a maintainer rejecting it would).</summary>
    public void Close(int number)
    {
        lock (gate)
        {
            pulls.Single(p => p.Number == number).State = "closed";
        }
    }

    private async Task RoutePullsAsync(HttpContext context, string[] rest)
    {
        var owner = Repository.Split('/')[0];
        switch (context.Request.Method, rest)
        {
            case ("GET", []):
                var state = context.Request.Query["state"].ToString() is { Length: > 0 } s ? s : "open";
                var head = context.Request.Query["head"].ToString();
                await Page(context, Snapshot(() => pulls
                    .Where(p => state == "all" || p.State == state)
                    .Where(p => head.Length == 0 || head == $"{owner}:{p.Head}")
                    .Select(p => PullJson(p, owner)).ToList()));
                break;
            case ("POST", []):
                var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
                var branch = (string?)body["head"] ?? "";
                branch = branch.StartsWith(owner + ":", StringComparison.Ordinal) ? branch[(owner.Length + 1)..] : branch;
                if (!BranchExists(branch))
                {
                    await Validation(context, "PullRequest", "invalid", "head");
                    return;
                }

                FakePull? created;
                lock (gate)
                {
                    created = pulls.Any(p => p.Head == branch && p.State == "open") ? null : new FakePull(pulls.Count + 1, branch, (string?)body["base"] ?? "")
                    {
                        Title = (string?)body["title"] ?? "",
                        Body = (string?)body["body"] ?? "",
                    };
                    if (created is not null)
                    {
                        pulls.Add(created);
                    }
                }

                if (created is null)
                {
                    await Reply(context, 422, new JsonObject { ["message"] = $"A pull request already exists for {owner}:{branch}." });
                    return;
                }

                await Reply(context, 201, Snapshot(() => PullJson(created, owner)));
                break;
            default:
                await Error(context, 404, "Not Found");
                break;
        }
    }

    private JsonObject PullJson(FakePull pull, string owner) => new()
    {
        ["number"] = pull.Number,
        ["state"] = pull.State,
        ["title"] = pull.Title,
        ["body"] = pull.Body,
        ["html_url"] = new Uri(ApiUrl, $"{Repository}/pull/{pull.Number.ToString(CultureInfo.InvariantCulture)}").AbsoluteUri,
        ["head"] = new JsonObject { ["ref"] = pull.Head, ["label"] = $"{owner}:{pull.Head}" },
        ["base"] = new JsonObject { ["ref"] = pull.Base },
    };
}

/// <summary>A pull request on the stand-in.</summary>
public sealed class FakePull(int number, string head, string @base)
{
    /// <summary>Its number.</summary>
    public int Number { get; } = number;

    /// <summary>The branch it would merge.</summary>
    public string Head { get; } = head;

    /// <summary>The branch it would merge into.</summary>
    public string Base { get; } = @base;

    /// <summary>Its title.</summary>
    public string Title { get; init; } = "";

    /// <summary>Its description.</summary>
    public string Body { get; init; } = "";

    /// <summary>open or closed.</summary>
    public string State { get; set; } = "open";
}

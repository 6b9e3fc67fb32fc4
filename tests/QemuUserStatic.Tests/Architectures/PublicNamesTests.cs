using QemuUserStatic.Cli;

namespace QemuUserStatic.Tests.Architectures;

/// <summary>One name per concept: two public types of the library with the same simple name would mean two things.</summary>
public class PublicNamesTests
{
    [Test]
    public void No_two_public_types_of_the_library_share_a_simple_name()
    {
        var types = typeof(UserException).Assembly.GetExportedTypes();

        // Generic arity (`1) is not part of the name a reader sees; nested public types count too (Outer+Name reads as Name).
        var shared = types
            .GroupBy(t => t.Name.Split('`')[0], StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.FullName))}")
            .ToList();

        Assert.That(types, Has.Length.GreaterThan(100), "the library's public types were found");
        Assert.That(shared, Is.Empty);
    }
}

namespace QemuUserStatic.Tests.Register;

/// <summary>A test fixture run once per implementation of registration (see <see cref="Registrars"/>).</summary>
[TestFixtureSource(typeof(Registrars), nameof(Registrars.All))]
public abstract class RegistrarFixture(string implementation)
{
    /// <summary>The implementation under test.</summary>
    protected string Implementation { get; } = implementation;

    /// <summary>Shell words that run the implementation with <paramref name="args"/>.</summary>
    protected string Run(params string[] args) => Registrars.Command(Implementation, args);
}

namespace QemuUserStatic.Tests.Support;

/// <summary>A test class whose every test gets a fresh temporary folder, <see cref="Temp"/>, deleted afterwards.</summary>
public abstract class TempDirTest
{
    /// <summary>This test's folder.</summary>
    protected TempDir Temp { get; private set; } = null!;

    /// <summary>Creates the folder, named after the test class.</summary>
    [SetUp]
    public void CreateTempDir() => Temp = new TempDir(GetType().Name);

    /// <summary>Deletes it.</summary>
    [TearDown]
    public void DeleteTempDir() => Temp.Dispose();
}

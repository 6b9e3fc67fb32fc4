using System.Text;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Oci;

/// <summary>A registry user name and password (or token). Never printed: <see cref="ToString"/> hides the password.</summary>
public sealed class RegistryCredentials(string username, string password)
{
    /// <summary>The user name.</summary>
    public string Username { get; } = username;

    /// <summary>The password or access token.</summary>
    public string Password { get; } = password;

    /// <summary>The environment variable every tool reads the registry user from.</summary>
    public const string UsernameVariable = "QUS_REGISTRY_USERNAME";

    /// <summary>The environment variable every tool reads the registry password or token from.</summary>
    public const string PasswordVariable = "QUS_REGISTRY_PASSWORD";

    /// <summary>How a 401 names where the credentials come from.</summary>
    public const string VariablesNamed = $"{UsernameVariable} and {PasswordVariable}";

    /// <summary>Credentials from <see cref="UsernameVariable"/> and <see cref="PasswordVariable"/>, or null when neither is set.</summary>
    public static RegistryCredentials? FromEnvironment() => FromEnvironment(UsernameVariable, PasswordVariable);

    /// <summary>
    /// Credentials from two environment variables, or null when neither is set; one without the other is a user error
    /// (naming the variables, never their values).
    /// </summary>
    public static RegistryCredentials? FromEnvironment(string usernameVariable, string passwordVariable)
    {
        var username = Environment.GetEnvironmentVariable(usernameVariable);
        var password = Environment.GetEnvironmentVariable(passwordVariable);
        if (string.IsNullOrEmpty(username) && string.IsNullOrEmpty(password))
        {
            return null;
        }

        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            throw new UserException($"set both {usernameVariable} and {passwordVariable}, or neither");
        }

        return new RegistryCredentials(username, password);
    }

    /// <summary>The value of an HTTP Basic <c>Authorization</c> header (and of auth.json's <c>auth</c> field).</summary>
    public string BasicToken => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    /// <inheritdoc />
    public override string ToString() => $"{Username}:***";
}

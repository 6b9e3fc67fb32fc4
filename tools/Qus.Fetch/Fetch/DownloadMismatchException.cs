using QemuUserStatic.Cli;

namespace QemuUserStatic.Fetch;

/// <summary>A downloaded file is not the one its source (or the lock) describes: wrong size or SHA-256.</summary>
/// <param name="message">One line naming the URL and the mismatch.</param>
internal sealed class DownloadMismatchException(string message) : UserException(message);

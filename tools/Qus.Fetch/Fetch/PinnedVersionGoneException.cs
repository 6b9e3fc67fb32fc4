using QemuUserStatic.Cli;

namespace QemuUserStatic.Fetch;

/// <summary>
/// The pinned version is not to be had: the source no longer lists it for a host (and no lock entry or the snapshot
/// archive gave it). The fetcher completes the message with the newest available version and how to move the pin.
/// </summary>
/// <param name="message">One line: what is missing where.</param>
internal sealed class PinnedVersionGoneException(string message) : UserException(message);

using System.Net;

namespace QemuUserStatic.Net;

/// <summary>
/// Stream content over a seekable stream (a file) that may be sent more than once: every serialization starts
/// again from the stream's starting position. <see cref="RetryingHttpHandler"/> retries it, and a client that
/// copies a request before sending it (Octokit's HttpClientAdapter buffers every request for redirects) still sends
/// the whole body. The stream is not disposed with the content.
/// </summary>
public sealed class ResendableStreamContent : HttpContent
{
    private readonly Stream stream;
    private readonly long start;

    /// <summary>Wraps a seekable stream, sending from its current position to its end.</summary>
    public ResendableStreamContent(Stream stream)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the stream must be seekable to be sent again", nameof(stream));
        }

        this.stream = stream;
        start = stream.Position;
    }

    /// <summary>Bytes sent so far on the current attempt (for progress).</summary>
    public long Position => stream.Position - start;

    internal Task RewindAsync()
    {
        stream.Position = start;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) =>
        SerializeToStreamAsync(target, context, CancellationToken.None);

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken)
    {
        stream.Position = start;
        return stream.CopyToAsync(target, cancellationToken);
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = stream.Length - start;
        return true;
    }
}

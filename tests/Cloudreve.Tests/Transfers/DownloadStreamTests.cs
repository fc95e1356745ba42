using System.Net.Http;
using Cloudreve.Transfers;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// The drive's streaming read (<see cref="DownloadStream"/>) against a scripted transfer backend: resumes
/// with the right offset after a broken stream, gets a fresh URL when the old one expired, switches to one
/// URL per request for one-time links, refuses a file that changed, and closes the response when disposed.
/// </summary>
public sealed class DownloadStreamTests
{
    private static readonly byte[] Data = MakeData(300_000);

    private static byte[] MakeData(int length)
    {
        var bytes = new byte[length];
        new Random(5).NextBytes(bytes);
        return bytes;
    }

    private static TransferOptions Fast() => new() { RetryBaseDelay = TimeSpan.FromMilliseconds(1) };

    private static CloudreveFile File() => new() { Id = "f1", Name = "data.bin", Path = "/data.bin", ParentPath = "/", Size = Data.Length };

    private static byte[] ReadAll(Stream stream)
    {
        using var all = new MemoryStream();
        var buffer = new byte[7000];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }

    [Fact]
    public async Task Resumes_from_the_byte_reached_after_a_broken_stream()
    {
        var backend = new ScriptedBackend(Data) { BreakAfter = { 100_000, 50_000 } };
        using var stream = new DownloadStream(backend, File(), Fast());
        await stream.OpenAsync(CancellationToken.None);
        Assert.Equal(Data, ReadAll(stream));
        Assert.Equal(new long[] { 0, 100_000, 150_000 }, backend.Offsets);
        Assert.Equal(1, backend.UrlsMade);
        Assert.Equal(3, stream.Connections);
    }

    [Fact]
    public async Task Gets_a_fresh_url_when_the_old_one_expired()
    {
        var backend = new ScriptedBackend(Data) { BreakAfter = { 120_000 }, ExpireUrlsAfterUse = 1 };
        using var stream = new DownloadStream(backend, File(), Fast());
        await stream.OpenAsync(CancellationToken.None);
        Assert.Equal(Data, ReadAll(stream));
        Assert.Equal(2, backend.UrlsMade);
        Assert.Equal(120_000, backend.Offsets.Last());
    }

    [Fact]
    public async Task Uses_one_url_per_request_for_one_time_links()
    {
        var backend = new ScriptedBackend(Data) { BreakAfter = { 10_000, 10_000, 10_000 }, ExpireUrlsAfterUse = 1, ExpiredCode = 404 };
        using var stream = new DownloadStream(backend, File(), Fast());
        await stream.OpenAsync(CancellationToken.None);
        Assert.Equal(Data, ReadAll(stream));
        Assert.Equal(backend.Offsets.Count, backend.UrlsMade);
    }

    [Fact]
    public async Task Refuses_a_file_that_changed_between_two_requests()
    {
        var backend = new ScriptedBackend(Data) { BreakAfter = { 1000 }, LengthAfterFirst = Data.Length + 5 };
        using var stream = new DownloadStream(backend, File(), Fast());
        await stream.OpenAsync(CancellationToken.None);
        var error = Assert.Throws<CloudreveException>(() => ReadAll(stream));
        Assert.Equal(CloudreveErrorKind.TransferFailed, error.Kind);
    }

    [Fact]
    public async Task Disposing_early_closes_the_response_and_reads_no_more()
    {
        var backend = new ScriptedBackend(Data);
        var stream = new DownloadStream(backend, File(), Fast());
        await stream.OpenAsync(CancellationToken.None);
        var buffer = new byte[100];
        Assert.Equal(100, stream.Read(buffer, 0, 100));
        stream.Dispose();
        Assert.True(backend.Bodies.Single().Disposed);
        Assert.True(backend.Bodies.Single().Served < Data.Length);
        Assert.Equal(Data.Length, stream.TotalLength);
        Assert.Equal(100, stream.BytesRead);
    }

    [Fact]
    public async Task Gives_up_after_the_attempts_and_describes_the_failure()
    {
        var backend = new ScriptedBackend(Data) { FailOpens = 100 };
        using var stream = new DownloadStream(backend, File(), new TransferOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxAttempts = 3 });
        var error = await Assert.ThrowsAsync<CloudreveException>(() => stream.OpenAsync(CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.ServerUnreachable, error.Kind);
        Assert.Equal(3, backend.OpenAttempts);
    }

    [Fact]
    public async Task Retries_a_429_after_the_servers_Retry_After_and_resumes_a_500_from_the_byte_reached()
    {
        var backend = new ScriptedBackend(Data) { BreakAfter = { 90_000 } };
        backend.Failures.Enqueue(new CloudreveException(CloudreveErrorKind.ServerError, "GET answered HTTP 429.") { HttpStatus = 429, RetryAfter = TimeSpan.FromMilliseconds(600) });
        using var stream = new DownloadStream(backend, File(), Fast());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await stream.OpenAsync(CancellationToken.None);
        Assert.True(watch.ElapsedMilliseconds >= 550, $"waited {watch.ElapsedMilliseconds} ms");
        var buffer = new byte[100_000];
        var first = 0;
        while (first < 90_000)
        {
            first += stream.Read(buffer, first, 90_000 - first);
        }

        backend.Failures.Enqueue(new CloudreveException(CloudreveErrorKind.ServerError, "GET answered HTTP 500.") { HttpStatus = 500 });
        backend.Failures.Enqueue(new CloudreveException(CloudreveErrorKind.ServerError, "GET answered HTTP 503.") { HttpStatus = 503 });
        using var rest = new MemoryStream();
        rest.Write(buffer, 0, first);
        rest.Write(ReadAll(stream));
        Assert.Equal(Data, rest.ToArray());
        Assert.Equal(new long[] { 0, 90_000 }, backend.Offsets);
        Assert.Equal(5, backend.OpenAttempts);
        Assert.Equal(1, backend.UrlsMade);
    }

    [Theory]
    [InlineData(CloudreveErrorKind.NotFound, 404)]
    [InlineData(CloudreveErrorKind.ProtocolError, 400)]
    [InlineData(CloudreveErrorKind.ServerError, 501)]
    public async Task Fails_at_once_on_an_answer_that_another_attempt_would_not_change(CloudreveErrorKind kind, int status)
    {
        var backend = new ScriptedBackend(Data);
        backend.Failures.Enqueue(new CloudreveException(kind, $"GET answered HTTP {status}.") { HttpStatus = status });
        using var stream = new DownloadStream(backend, File(), Fast());
        var error = await Assert.ThrowsAsync<CloudreveException>(() => stream.OpenAsync(CancellationToken.None));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal(1, backend.OpenAttempts);
    }

    [Fact]
    public async Task A_backoff_wait_ends_at_once_on_cancellation()
    {
        var backend = new ScriptedBackend(Data);
        backend.Failures.Enqueue(new CloudreveException(CloudreveErrorKind.ServerError, "GET answered HTTP 503.") { HttpStatus = 503, RetryAfter = TimeSpan.FromSeconds(30) });
        using var stream = new DownloadStream(backend, File(), Fast());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.OpenAsync(cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(1, backend.OpenAttempts);
    }

    private sealed class ScriptedBackend : ICloudreveTransferBackend
    {
        private readonly byte[] _data;
        private readonly Dictionary<string, int> _uses = new();

        public ScriptedBackend(byte[] data) => _data = data;

        public bool ReplacesInPlace => false;

        /// <summary>Bytes each successive response delivers before it breaks (then responses run to the end).</summary>
        public List<int> BreakAfter { get; } = new();

        /// <summary>A URL answers this many requests, then it is expired (0 = never).</summary>
        public int ExpireUrlsAfterUse { get; set; }

        public int ExpiredCode { get; set; } = 40_006;

        public long? LengthAfterFirst { get; set; }

        public int FailOpens { get; set; }

        /// <summary>Exceptions the next opens throw, one each, before any other behaviour.</summary>
        public Queue<Exception> Failures { get; } = new();

        public int UrlsMade { get; private set; }

        public int OpenAttempts { get; private set; }

        public List<long> Offsets { get; } = new();

        public List<Body> Bodies { get; } = new();

        public Task<Uri> GetDownloadUrlAsync(CloudreveFile file, CancellationToken cancellationToken)
        {
            UrlsMade++;
            return Task.FromResult(new Uri($"http://storage.test/{file.Id}?url={UrlsMade}"));
        }

        public Task<DownloadResponse> OpenDownloadAsync(Uri url, long offset, long? end, CancellationToken cancellationToken)
        {
            OpenAttempts++;
            if (Failures.Count > 0)
            {
                throw Failures.Dequeue();
            }

            if (FailOpens > 0)
            {
                FailOpens--;
                throw new HttpRequestException("connection refused");
            }

            _uses.TryGetValue(url.ToString(), out var used);
            if (ExpireUrlsAfterUse > 0 && used >= ExpireUrlsAfterUse)
            {
                throw new CloudreveException(CloudreveErrorKind.DownloadUrlExpired, "expired") { ServerCode = ExpiredCode };
            }

            _uses[url.ToString()] = used + 1;
            Offsets.Add(offset);
            var breakAfter = BreakAfter.Count > 0 ? BreakAfter[0] : -1;
            if (BreakAfter.Count > 0)
            {
                BreakAfter.RemoveAt(0);
            }

            var body = new Body(_data, (int)offset, breakAfter);
            Bodies.Add(body);
            long total = Offsets.Count > 1 && LengthAfterFirst.HasValue ? LengthAfterFirst.Value : _data.Length;
            return Task.FromResult(new DownloadResponse(new HttpResponseMessage(), body, offset, total, null, true));
        }

        public Task<UploadSession> CreateUploadSessionAsync(UploadRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ChunkOutcome> SendChunkAsync(UploadSession session, int index, Func<HttpContent> makeContent, bool resend, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CompleteUploadAsync(UploadSession session, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelUploadAsync(string sessionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelAllUploadsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>A response body from an offset that throws IOException after a number of bytes (like a dropped connection).</summary>
    private sealed class Body : Stream
    {
        private readonly byte[] _data;
        private readonly int _breakAfter;
        private int _position;

        public Body(byte[] data, int offset, int breakAfter)
        {
            _data = data;
            _position = offset;
            _breakAfter = breakAfter;
        }

        public int Served { get; private set; }

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_breakAfter >= 0 && Served >= _breakAfter)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(count, _data.Length - _position);
            if (_breakAfter >= 0)
            {
                n = Math.Min(n, _breakAfter - Served);
            }

            Array.Copy(_data, _position, buffer, offset, n);
            _position += n;
            Served += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

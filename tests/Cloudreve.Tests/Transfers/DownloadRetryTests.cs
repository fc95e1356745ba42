using System.Net.Http;
using System.Text.Json;
using Cloudreve.Api.V3;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Transfers;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// DownloadJob and DownloadStream against sandboxes whose content GETs answer HTTP 500 (fault downloadFailureRate,
/// served after the route ran, as a proxy in front of a healthy server would): every file arrives byte for byte
/// on the local, S3 and OneDrive policies and with one-time download URLs; a URL that always fails uses up exactly
/// the attempt budget and surfaces as ServerError with its HTTP status.
/// </summary>
public sealed class DownloadRetryTests
{
    private const string Password = "Gil-pass-123";

    private static TransferOptions Fast() => new() { RetryBaseDelay = TimeSpan.FromMilliseconds(2) };

    private sealed class Fixture : IAsyncDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "cr-dlretry-" + Guid.NewGuid().ToString("N"));

        public SandboxHost Host { get; private set; } = null!;
        public V3Backend Backend { get; private set; } = null!;
        public CloudreveSession Session { get; private set; } = null!;
        public Dictionary<string, byte[]> Sources { get; } = new();
        public List<CloudreveFile> Files { get; } = new();
        public string Folder => _folder;

        public static async Task<Fixture> StartAsync(string policy, int count, bool oneTime = false)
        {
            var f = new Fixture();
            var options = new SandboxOptions { AdminPassword = "Admin-pass-123", ChunkSize = 327680, OneTimeDownload = oneTime };
            if (policy != "local")
            {
                options.PolicyType = policy;
            }

            options.Users.Add(new SandboxUser("gil@example.com", Password));
            f.Host = await SandboxHost.StartAsync(options);
            f.Backend = new V3Backend(new CloudreveTransport(new TransportOptions(f.Host.BaseUri)));
            var login = await f.Backend.LoginAsync("gil@example.com", Internal.Secrets.Protect(Password), CancellationToken.None);
            f.Session = new CloudreveSession(f.Backend, login.User!, "3.8.3", "test");
            Directory.CreateDirectory(f._folder);
            await f.Backend.CreateFolderAsync("/dl", CancellationToken.None);
            var uploads = new List<TransferJob>();
            var locator = new ItemLocator(f.Session);
            var listings = new ListingCoalescer(f.Backend, TimeSpan.Zero);
            for (var i = 0; i < count; i++)
            {
                // Sizes from 1 byte to a few hundred KiB, several of them across one or two chunk sizes.
                var bytes = new byte[1 + (i * 37_813 % 700_000)];
                new Random(100 + i).NextBytes(bytes);
                var name = $"r{i:D3}.bin";
                var path = Path.Combine(f._folder, name);
                await System.IO.File.WriteAllBytesAsync(path, bytes);
                f.Sources[name] = bytes;
                uploads.Add(new UploadJob(f.Session, locator, listings, new FileInfo(path), "/dl", false, false));
            }

            await new TransferRunner(uploads, 4, Fast()).RunAsync(CancellationToken.None);
            Assert.All(uploads, j => Assert.True(j.State == TransferState.Succeeded, j.Error?.ToString()));
            var listing = await locator.ListAsync("/dl", CancellationToken.None, fresh: true);
            f.Files.AddRange(listing.Children.OfType<CloudreveFile>().OrderBy(c => c.Name, StringComparer.Ordinal));
            Assert.Equal(count, f.Files.Count);
            return f;
        }

        public void Fail(double rate) => Host.Faults = new FaultSettings { DownloadFailureRate = rate };

        /// <summary>The content GETs the sandbox logged (API and provider origins), as (status, path).</summary>
        public async Task<List<(int Status, string Path)>> ContentGetsAsync()
        {
            using var http = new HttpClient();
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(Host.BaseUri, "_sandbox/requests")));
            return doc.RootElement.GetProperty("requests").EnumerateArray()
                .Where(r => r.GetProperty("method").GetString() == "GET")
                .Select(r => (r.GetProperty("status").GetInt32(), r.GetProperty("path").GetString()!))
                .Where(r => r.Item2.StartsWith("/api/v3/file/download/", StringComparison.Ordinal) || r.Item2.StartsWith("/_provider/", StringComparison.Ordinal))
                .ToList();
        }

        public async Task ClearRequestsAsync()
        {
            using var http = new HttpClient();
            using var _ = await http.DeleteAsync(new Uri(Host.BaseUri, "_sandbox/requests"));
        }

        public async ValueTask DisposeAsync()
        {
            Backend.Dispose();
            await Host.DisposeAsync();
            Directory.Delete(_folder, true);
        }
    }

    [Theory]
    [InlineData("local", false)]
    [InlineData("local", true)]
    [InlineData("s3", false)]
    [InlineData("onedrive", false)]
    public async Task DownloadJob_receives_every_file_byte_for_byte_when_content_gets_answer_500(string policy, bool oneTime)
    {
        await using var f = await Fixture.StartAsync(policy, 40, oneTime);
        await f.ClearRequestsAsync();
        f.Fail(0.3);
        var target = Path.Combine(f.Folder, "back");
        var jobs = f.Files.Select(file => new DownloadJob(f.Session, file, Path.Combine(target, file.Name), false)).ToList();
        await new TransferRunner(jobs, 4, Fast()).RunAsync(CancellationToken.None);
        f.Fail(0);

        Assert.All(jobs, j => Assert.True(j.State == TransferState.Succeeded, $"{j.DisplayName}: {j.Error}"));
        foreach (var (name, bytes) in f.Sources)
        {
            Assert.Equal(bytes, await System.IO.File.ReadAllBytesAsync(Path.Combine(target, name)));
        }

        Assert.Empty(Directory.GetFiles(target, "*.crdownload", SearchOption.AllDirectories));
        var gets = await f.ContentGetsAsync();
        // The fault did fire (at 30 % over 40+ GETs, at least once but not on every request).
        Assert.Contains(gets, g => g.Status == 500);
        Assert.Contains(gets, g => g.Status == 200 || g.Status == 206);
    }

    [Theory]
    [InlineData("local", false)]
    [InlineData("local", true)]
    [InlineData("s3", false)]
    [InlineData("onedrive", false)]
    public async Task DownloadStream_reads_every_file_byte_for_byte_when_content_gets_answer_500(string policy, bool oneTime)
    {
        await using var f = await Fixture.StartAsync(policy, 20, oneTime);
        await f.ClearRequestsAsync();
        f.Fail(0.3);
        foreach (var file in f.Files)
        {
            using var stream = new DownloadStream(f.Backend, file, Fast());
            await stream.OpenAsync(CancellationToken.None);
            using var all = new MemoryStream();
            await stream.CopyToAsync(all, 7000);
            Assert.Equal(f.Sources[file.Name], all.ToArray());
        }

        f.Fail(0);
        var gets = await f.ContentGetsAsync();
        Assert.Contains(gets, g => g.Status == 500);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("s3")]
    [InlineData("onedrive")]
    public async Task A_download_that_always_answers_500_uses_up_the_attempt_budget_and_reports_the_status(string policy)
    {
        await using var f = await Fixture.StartAsync(policy, 1);
        await f.ClearRequestsAsync();
        f.Fail(1);
        var target = Path.Combine(f.Folder, "fail");
        var job = new DownloadJob(f.Session, f.Files[0], Path.Combine(target, f.Files[0].Name), false);
        await new TransferRunner(new TransferJob[] { job }, 1, new TransferOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(2), MaxAttempts = 5 }).RunAsync(CancellationToken.None);
        f.Fail(0);

        Assert.Equal(TransferState.Failed, job.State);
        var error = Assert.IsType<CloudreveException>(job.Error);
        Assert.Equal(CloudreveErrorKind.ServerError, error.Kind);
        Assert.Equal(500, error.HttpStatus);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        // Signatures and pre-authenticated tokens of the URL never reach the message.
        Assert.DoesNotMatch("(?i)(sign|signature|tempauth|X-Amz-Signature|X-Amz-Credential)=(?!<redacted>)", error.Message);
        var gets = await f.ContentGetsAsync();
        Assert.Equal(5, gets.Count);
        Assert.All(gets, g => Assert.Equal(500, g.Status));
        Assert.Empty(Directory.Exists(target) ? Directory.GetFileSystemEntries(target) : Array.Empty<string>());
    }

    /// <summary>A site whose download route answers from a script, one answer per content GET.</summary>
    private static (RecordingHttpServer Site, V3Backend Backend, CloudreveFile File) ScriptedSite(string content, params CannedResponse[] answers)
    {
        var queue = new Queue<CannedResponse>(answers);
        var site = new RecordingHttpServer(r =>
        {
            if (r.Method == "PUT")
            {
                return new CannedResponse(200, "{\"code\":0,\"data\":\"/content/f1?sign=SECRET-SIGN\",\"msg\":\"\"}");
            }

            lock (queue)
            {
                return queue.Count > 0 ? queue.Dequeue() : new CannedResponse(200, content, "application/octet-stream");
            }
        });
        var backend = new V3Backend(new CloudreveTransport(new TransportOptions(site.BaseUri)));
        var file = new CloudreveFile { Id = "f1", Name = "f1.bin", Path = "/f1.bin", ParentPath = "/", Size = content.Length };
        return (site, backend, file);
    }

    [Fact]
    public async Task DownloadStream_waits_for_Retry_After_of_a_429_then_reads_the_file()
    {
        var (site, backend, file) = ScriptedSite("retried content", new CannedResponse(429, "slow down", "text/plain", new() { ["Retry-After"] = "1" }));
        using var _ = site;
        using var __ = backend;
        using var stream = new DownloadStream(backend, file, Fast());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await stream.OpenAsync(CancellationToken.None);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"waited only {watch.ElapsedMilliseconds} ms");
        using var all = new MemoryStream();
        await stream.CopyToAsync(all);
        Assert.Equal("retried content", System.Text.Encoding.UTF8.GetString(all.ToArray()));
        Assert.Equal(2, site.All.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task DownloadJob_retries_502_503_504_and_writes_the_file()
    {
        var (site, backend, file) = ScriptedSite("after three gateway errors",
            new CannedResponse(502, "bad gateway", "text/html"), new CannedResponse(503, "unavailable", "text/html", new() { ["Retry-After"] = "0" }), new CannedResponse(504, "timeout", "text/html"));
        using var _ = site;
        using var __ = backend;
        var session = new CloudreveSession(backend, new CloudreveUser { UserName = "u@example.com" }, "3.8.3", "test");
        var target = Path.Combine(Path.GetTempPath(), "cr-dl5xx-" + Guid.NewGuid().ToString("N"), "f1.bin");
        try
        {
            var job = new DownloadJob(session, file, target, false);
            await new TransferRunner(new TransferJob[] { job }, 1, Fast()).RunAsync(CancellationToken.None);
            Assert.True(job.State == TransferState.Succeeded, job.Error?.ToString());
            Assert.Equal("after three gateway errors", await System.IO.File.ReadAllTextAsync(target));
            Assert.Equal(4, site.All.Count(r => r.Method == "GET"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(target)!, true);
        }
    }

    [Fact]
    public async Task A_gateway_error_costs_one_attempt_of_the_engine_and_no_hidden_transport_retries()
    {
        var answers = Enumerable.Repeat(new CannedResponse(502, "bad gateway", "text/html"), 50).ToArray();
        var (site, backend, file) = ScriptedSite("never", answers);
        using var _ = site;
        using var __ = backend;
        var session = new CloudreveSession(backend, new CloudreveUser { UserName = "u@example.com" }, "3.8.3", "test");
        var target = Path.Combine(Path.GetTempPath(), "cr-dl502-" + Guid.NewGuid().ToString("N"), "f1.bin");
        try
        {
            var job = new DownloadJob(session, file, target, false);
            await new TransferRunner(new TransferJob[] { job }, 1, new TransferOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(2), MaxAttempts = 3 }).RunAsync(CancellationToken.None);
            Assert.Equal(TransferState.Failed, job.State);
            var error = Assert.IsType<CloudreveException>(job.Error);
            Assert.Equal(CloudreveErrorKind.ServerError, error.Kind);
            Assert.Equal(502, error.HttpStatus);
            // The transport's own GET retries (3 by default) would make this 12.
            Assert.Equal(3, site.All.Count(r => r.Method == "GET"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(target)!, true);
        }
    }

    [Theory]
    [InlineData(404, CloudreveErrorKind.NotFound)]
    [InlineData(400, CloudreveErrorKind.ProtocolError)]
    [InlineData(501, CloudreveErrorKind.ServerError)]
    public async Task A_client_error_fails_at_once_with_its_own_kind(int status, CloudreveErrorKind kind)
    {
        var (site, backend, file) = ScriptedSite("never", new CannedResponse(status, "no", "text/plain"));
        using var _ = site;
        using var __ = backend;
        var session = new CloudreveSession(backend, new CloudreveUser { UserName = "u@example.com" }, "3.8.3", "test");
        var target = Path.Combine(Path.GetTempPath(), "cr-dl4xx-" + Guid.NewGuid().ToString("N"), "f1.bin");
        try
        {
            var job = new DownloadJob(session, file, target, false);
            await new TransferRunner(new TransferJob[] { job }, 1, Fast()).RunAsync(CancellationToken.None);
            Assert.Equal(TransferState.Failed, job.State);
            Assert.Equal(kind, Assert.IsType<CloudreveException>(job.Error).Kind);
            Assert.DoesNotContain("SECRET-SIGN", job.Error!.Message, StringComparison.Ordinal);
            Assert.Single(site.All, r => r.Method == "GET");
            Assert.False(System.IO.File.Exists(target));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(target)!, true);
        }
    }
}

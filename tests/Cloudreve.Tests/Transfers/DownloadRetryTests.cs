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

    [Fact]
    public async Task A_download_that_always_answers_500_uses_up_the_attempt_budget_and_reports_the_status()
    {
        await using var f = await Fixture.StartAsync("local", 1);
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
        Assert.DoesNotContain("sign=", error.Message.Replace("sign=<redacted>", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var gets = await f.ContentGetsAsync();
        Assert.Equal(5, gets.Count);
        Assert.All(gets, g => Assert.Equal(500, g.Status));
        Assert.Empty(Directory.Exists(target) ? Directory.GetFileSystemEntries(target) : Array.Empty<string>());
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Cloudreve.Api.V4;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Tests.Cmdlets;
using Cloudreve.Transfers;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// Transfers against a 4.18 sandbox over real HTTP, through the cmdlets and the transfer engine: every policy the
/// sandbox plays (local, s3, onedrive), -Force as a new version of the same file, POST /file/url for many files at
/// once, parallel ranged downloads, retries of failed chunks, and where the bearer token goes.
/// </summary>
public sealed class V4TransferTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cr-v4xfer-" + Guid.NewGuid().ToString("N"));

    public V4TransferTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, true);

    public static TheoryData<string> Policies => new() { "local", "s3", "onedrive" };

    private static Task<GenerationSandbox> StartAsync(string policy, long chunkSize = 1000) =>
        GenerationSandbox.StartAsync(ServerVersions.V4, o =>
        {
            o.PolicyType = policy;
            o.ChunkSize = chunkSize;
        });

    private string WriteLocal(string name, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static Dictionary<string, object> Vars(params (string Name, object Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    private static async Task<List<JsonElement>> RequestLogAsync(GenerationSandbox env)
    {
        using var http = new HttpClient { BaseAddress = env.Host.BaseUri };
        var doc = JsonDocument.Parse(await http.GetStringAsync("_sandbox/requests"));
        return doc.RootElement.GetProperty("requests").EnumerateArray().ToList();
    }

    private static bool HasHeader(JsonElement request, string name) =>
        request.GetProperty("headers").EnumerateObject().Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string? Header(JsonElement request, string name) =>
        request.GetProperty("headers").EnumerateObject().Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.GetString()).FirstOrDefault();

    /// <summary>The token goes only to API routes on the API origin: never to the storage imitations, callbacks or signed content URLs.</summary>
    private static void AssertTokenOnlyOnApiRoutes(List<JsonElement> log)
    {
        foreach (var r in log)
        {
            var path = r.GetProperty("path").GetString()!;
            var origin = r.GetProperty("origin").GetString();
            var api = origin == "api" && path.StartsWith("/api/v4/", StringComparison.Ordinal)
                && !path.StartsWith("/api/v4/file/content/", StringComparison.Ordinal) && !path.StartsWith("/api/v4/callback/", StringComparison.Ordinal);
            if (!api)
            {
                Assert.False(HasHeader(r, "Authorization"), $"{r.GetProperty("method").GetString()} {path} ({origin}) carried an Authorization header");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task SendAndReceiveRoundTripOnEveryPolicy(string policy)
    {
        await using var env = await StartAsync(policy);
        env.Connect();
        var local = WriteLocal("data file.bin", 2500, 1);
        var sent = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Send-CloudreveFile -Path $p -Destination '/in #1' -PassThru", Vars(("p", local)))));
        Assert.Equal("/in #1/data file.bin", sent.Path);
        Assert.Equal(2500, sent.Size);

        var back = Directory.CreateDirectory(Path.Combine(_folder, "back")).FullName;
        env.Run("Get-CloudreveItem -LiteralPath '/in #1/data file.bin' | Receive-CloudreveFile -Destination $d | Out-Null", Vars(("d", back)));
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(Path.Combine(back, "data file.bin")));

        var log = await RequestLogAsync(env);
        var chunkRoute = log.Count(r => r.GetProperty("method").GetString() == "POST" && r.GetProperty("path").GetString()!.StartsWith("/api/v4/file/upload/", StringComparison.Ordinal));
        Assert.Equal(policy == "local" ? 3 : 0, chunkRoute);
        if (policy != "local")
        {
            // The parts went to the storage imitation on its own origin (3 chunks of 1000/1000/500 bytes).
            Assert.Equal(3, log.Count(r => r.GetProperty("origin").GetString() == "provider" && r.GetProperty("method").GetString() == "PUT"));
            Assert.Single(log, r => r.GetProperty("path").GetString()!.StartsWith($"/api/v4/callback/{policy}/", StringComparison.Ordinal));
        }

        Assert.Single(log, r => r.GetProperty("path").GetString() == "/api/v4/file/url");
        AssertTokenOnlyOnApiRoutes(log);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task ForceStoresANewVersionOfTheSameFile(string policy)
    {
        await using var env = await StartAsync(policy);
        env.Connect();
        var local = WriteLocal("notes.bin", 1500, 2);
        var first = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Send-CloudreveFile -Path $p -Destination /docs -PassThru", Vars(("p", local)))));

        var (_, refused) = env.Invoke("Send-CloudreveFile -Path $p -Destination /docs", Vars(("p", local)));
        Assert.Equal("CloudreveConflict", Assert.Single(refused).FullyQualifiedErrorId.Split(',')[0]);

        var newer = WriteLocal("notes.bin", 2700, 3);
        var second = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Send-CloudreveFile -Path $p -Destination /docs -Force -PassThru", Vars(("p", newer)))));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2700, second.Size);

        var children = env.Run("Get-CloudreveChildItem /docs").Cast<CloudreveItem>().ToList();
        Assert.Equal("notes.bin", Assert.Single(children).Name);
        Assert.Equal(first.Id, children[0].Id);

        var back = Directory.CreateDirectory(Path.Combine(_folder, "back")).FullName;
        env.Run("Get-CloudreveItem /docs/notes.bin | Receive-CloudreveFile -Destination $d | Out-Null", Vars(("d", back)));
        Assert.Equal(File.ReadAllBytes(newer), File.ReadAllBytes(Path.Combine(back, "notes.bin")));

        // No upload-then-swap: nothing deleted or renamed on the server.
        var log = await RequestLogAsync(env);
        Assert.DoesNotContain(log, r => r.GetProperty("path").GetString() is "/api/v4/file/rename" || (r.GetProperty("method").GetString() == "DELETE" && r.GetProperty("path").GetString() == "/api/v4/file"));
        AssertTokenOnlyOnApiRoutes(log);
    }

    [Fact]
    public async Task DownloadUrlsForManyFilesComeFromOneCall()
    {
        await using var env = await StartAsync("local");
        env.Connect();
        var locals = Enumerable.Range(0, 3).Select(i => WriteLocal($"f{i}.bin", 300 + i, 10 + i)).ToArray();
        env.Run("Send-CloudreveFile -Path $p -Destination /many | Out-Null", Vars(("p", locals)));
        var files = env.Run("Get-CloudreveChildItem /many -File").Cast<CloudreveFile>().OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(3, files.Count);
        var backend = Assert.IsType<V4Backend>(files[0].Session!.Backend);
        await env.ClearRequestsAsync();

        var urls = await backend.GetDownloadUrlsAsync(files, CancellationToken.None);

        Assert.Equal(3, urls.Count);
        Assert.Single(await env.RequestsAsync(), r => r.Path == "/api/v4/file/url");
        for (var i = 0; i < 3; i++)
        {
            using var download = await backend.OpenDownloadAsync(urls[i], 0, null, CancellationToken.None);
            using var copy = new MemoryStream();
            await download.Body.CopyToAsync(copy);
            Assert.Equal(File.ReadAllBytes(locals[i]), copy.ToArray());
        }

        env.Run("Remove-CloudreveItem -LiteralPath /many/f1.bin -Confirm:$false");
        var error = await Assert.ThrowsAsync<CloudreveException>(() => backend.GetDownloadUrlsAsync(files, CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.NotFound, error.Kind);
        Assert.Contains("/many/f1.bin", error.Message);
    }

    [Fact]
    public async Task ALargeFileDownloadsOverParallelRangedStreams()
    {
        await using var env = await StartAsync("local", 8L * 1024 * 1024);
        env.Connect();
        var local = WriteLocal("big.bin", 33 * 1024 * 1024, 4);
        env.Run("Send-CloudreveFile -Path $p -Destination /big | Out-Null", Vars(("p", local)));
        var file = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem /big/big.bin")));
        await env.ClearRequestsAsync();

        var target = Path.Combine(_folder, "big-back.bin");
        var job = new DownloadJob(file.Session!, file, target, force: false);
        var options = new TransferOptions { SegmentThreshold = 1024 * 1024, MaxSegments = 4 };
        var transferred = await job.RunAsync(options, CancellationToken.None);
        await job.FinishAsync(transferred, options, CancellationToken.None);

        using (var a = File.OpenRead(local))
        using (var b = File.OpenRead(target))
        {
            Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        }

        var log = await RequestLogAsync(env);
        var gets = log.Where(r => r.GetProperty("path").GetString()!.StartsWith("/api/v4/file/content/", StringComparison.Ordinal)).ToList();
        var ranged = gets.Where(r => HasHeader(r, "Range")).ToList();
        Assert.True(gets.Count >= 2 && ranged.Count >= 1, $"expected several streams, saw {gets.Count} GETs ({ranged.Count} ranged)");
        Assert.Equal(ranged.Count, ranged.Select(r => Header(r, "Range")).Distinct().Count());
        AssertTokenOnlyOnApiRoutes(log);
    }

    [Fact]
    public async Task FailedChunksAreRetriedAndTheUploadStillArrivesWhole()
    {
        await using var env = await StartAsync("local");
        env.Connect();
        env.Host.Faults = env.Host.Faults with { ChunkFailureRate = 0.3, LostAnswerRate = 0.2 };
        var local = WriteLocal("flaky.bin", 9500, 5);
        var sent = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Send-CloudreveFile -Path $p -Destination /flaky -PassThru", Vars(("p", local)))));
        Assert.Equal(9500, sent.Size);
        env.Host.Faults = new FaultSettings();
        var back = Directory.CreateDirectory(Path.Combine(_folder, "back")).FullName;
        env.Run("Get-CloudreveItem /flaky/flaky.bin | Receive-CloudreveFile -Destination $d | Out-Null", Vars(("d", back)));
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(Path.Combine(back, "flaky.bin")));
    }

    [Fact]
    public async Task AnExpiredDownloadUrlIsFetchedAgain()
    {
        await using var env = await StartAsync("local");
        env.Connect();
        var local = WriteLocal("e.bin", 4000, 6);
        env.Run("Send-CloudreveFile -Path $p -Destination /exp | Out-Null", Vars(("p", local)));
        var file = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem /exp/e.bin")));
        var backend = Assert.IsType<V4Backend>(file.Session!.Backend);
        var url = await backend.GetDownloadUrlAsync(file, CancellationToken.None);
        using (var http = new HttpClient { BaseAddress = env.Host.BaseUri })
        {
            using var _ = await http.PostAsync("_sandbox/downloads/expire", null);
        }

        var error = await Assert.ThrowsAsync<CloudreveException>(() => backend.OpenDownloadAsync(url, 0, null, CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.DownloadUrlExpired, error.Kind);

        var back = Directory.CreateDirectory(Path.Combine(_folder, "back")).FullName;
        env.Run("Get-CloudreveItem /exp/e.bin | Receive-CloudreveFile -Destination $d | Out-Null", Vars(("d", back)));
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(Path.Combine(back, "e.bin")));
    }

    [Fact]
    public async Task DriveSetContentKeepsTheFileAndGetContentReadsItBack()
    {
        await using var env = await StartAsync("local");
        env.Connect();
        env.Run("New-CloudreveFolder /notes | Out-Null; Set-Content Cloudreve:\\notes\\todo.txt -Value 'one'");
        var before = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem /notes/todo.txt")));
        env.Run("Set-Content Cloudreve:\\notes\\todo.txt -Value 'two','three'; Add-Content Cloudreve:\\notes\\todo.txt -Value 'four'");
        var after = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem /notes/todo.txt")));
        Assert.Equal(before.Id, after.Id);
        var lines = env.Run("Get-Content Cloudreve:\\notes\\todo.txt").Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "two", "three", "four" }, lines);
        var log = await RequestLogAsync(env);
        Assert.DoesNotContain(log, r => r.GetProperty("path").GetString() is "/api/v4/file/rename" || (r.GetProperty("method").GetString() == "DELETE" && r.GetProperty("path").GetString() == "/api/v4/file"));
        AssertTokenOnlyOnApiRoutes(log);
    }
}

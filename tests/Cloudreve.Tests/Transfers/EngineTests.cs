using System.Text.RegularExpressions;
using Cloudreve.Api.V3;
using Cloudreve.Transfers;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// The upload engine against a scripted Cloudreve on loopback: session restarts, lost answers and the
/// check after the upload.
/// </summary>
public sealed class EngineTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cr-engine-" + Guid.NewGuid().ToString("N"));
    private readonly string _file;
    private readonly object _gate = new();
    private int _sessions;
    private long _listedSize = -1;

    public EngineTests()
    {
        Directory.CreateDirectory(_folder);
        _file = Path.Combine(_folder, "data.bin");
        var bytes = new byte[2500];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(_file, bytes);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    private CannedResponse Ok(string data = "") => new(200, "{\"code\":0,\"msg\":\"\"" + (data.Length > 0 ? ",\"data\":" + data : "") + "}");

    private CannedResponse Listing()
    {
        var objects = _listedSize < 0 ? "" :
            $"{{\"id\":\"f1\",\"name\":\"data.bin\",\"path\":\"/dst\",\"thumb\":false,\"size\":{_listedSize},\"type\":\"file\",\"date\":\"2024-01-01T00:00:00Z\",\"create_date\":\"2024-01-01T00:00:00Z\",\"source_enabled\":false}}";
        return Ok($"{{\"parent\":\"p1\",\"objects\":[{objects}],\"policy\":{{\"id\":\"pol\",\"name\":\"Default\",\"type\":\"local\",\"max_size\":0,\"file_type\":[]}}}}");
    }

    private async Task<(UploadJob Job, RecordingHttpServer Site)> RunAsync(Func<RecordedRequest, string, int, int, CannedResponse?> chunkAnswer)
    {
        var attempts = new Dictionary<string, int>();
        var site = new RecordingHttpServer(r =>
        {
            lock (_gate)
            {
                if (r.Method == "GET" && r.PathAndQuery.StartsWith("/api/v3/directory/dst", StringComparison.Ordinal)) return Listing();
                if (r.Method == "PUT" && r.PathAndQuery == "/api/v3/file/upload")
                {
                    _sessions++;
                    return Ok($"{{\"sessionID\":\"s{_sessions}\",\"chunkSize\":1000,\"expires\":1900000000}}");
                }

                var chunk = Regex.Match(r.PathAndQuery, @"^/api/v3/file/upload/(s\d+)/(\d+)$");
                if (r.Method == "POST" && chunk.Success)
                {
                    var key = r.PathAndQuery;
                    attempts[key] = attempts.GetValueOrDefault(key) + 1;
                    var index = int.Parse(chunk.Groups[2].Value);
                    var answer = chunkAnswer(r, chunk.Groups[1].Value, index, attempts[key]);
                    if (answer != null) return answer;
                    if (index == 2) _listedSize = 2500;
                    return Ok();
                }

                if (r.Method == "DELETE") return Ok();
                return new CannedResponse(404, "404 page not found", "text/plain");
            }
        });
        var transport = new CloudreveTransport(new TransportOptions(site.BaseUri) { MaxRetries = 0 });
        var backend = new V3Backend(transport);
        var session = new CloudreveSession(backend, new CloudreveUser { UserName = "u@example.com" }, "3.8.3", "test");
        var job = new UploadJob(session, new ItemLocator(session), new ListingCoalescer(backend, TimeSpan.Zero), new FileInfo(_file), "/dst", false, false);
        var runner = new TransferRunner(new TransferJob[] { job }, 1, new TransferOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
        await runner.RunAsync(CancellationToken.None);
        backend.Dispose();
        return (job, site);
    }

    private static string[] Calls(RecordingHttpServer site) =>
        site.All.Where(r => r.Method != "GET").Select(r => $"{r.Method} {r.PathAndQuery}").ToArray();

    [Fact]
    public async Task RestartsAnUploadWhoseSessionFailedAfterCancellingIt()
    {
        var (job, site) = await RunAsync((_, sid, index, _) => sid == "s1" && index == 1 ? new CannedResponse(200, "{\"code\":40011,\"msg\":\"\"}") : null);
        using (site)
        {
            Assert.Equal(TransferState.Succeeded, job.State);
            Assert.Equal(new[]
            {
                "PUT /api/v3/file/upload", "POST /api/v3/file/upload/s1/0", "POST /api/v3/file/upload/s1/1", "DELETE /api/v3/file/upload/s1",
                "PUT /api/v3/file/upload", "POST /api/v3/file/upload/s2/0", "POST /api/v3/file/upload/s2/1", "POST /api/v3/file/upload/s2/2",
            }, Calls(site));
            Assert.Contains(job.Warnings, w => w.Contains("starting the upload again", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ALostAnswerToChunkZeroAnswered40002GoesOnWithChunkOne()
    {
        var (job, site) = await RunAsync((_, _, index, attempt) =>
            index == 0 && attempt == 1 ? new CannedResponse(502, "", "text/plain")   // stored, but the answer is lost behind a proxy
            : index == 0 ? new CannedResponse(200, "{\"code\":40002,\"msg\":\"file with the same name existed or unavailable\"}")
            : null);
        using (site)
        {
            Assert.True(job.State == TransferState.Succeeded, job.Error?.ToString());
            Assert.Equal(new[]
            {
                "PUT /api/v3/file/upload", "POST /api/v3/file/upload/s1/0", "POST /api/v3/file/upload/s1/0", "POST /api/v3/file/upload/s1/1", "POST /api/v3/file/upload/s1/2",
            }, Calls(site));
        }
    }

    [Fact]
    public async Task ALastPartWhoseAnswersAreAllLostSucceedsWhenTheListingShowsTheWholeFile()
    {
        var (job, site) = await RunAsync((_, _, index, attempt) =>
        {
            if (index != 2) return null;
            if (attempt == 1) _listedSize = 2500;   // the first attempt stored the part and finished the file
            return new CannedResponse(502, "", "text/plain");
        });
        using (site)
        {
            Assert.True(job.State == TransferState.Succeeded, job.Error?.ToString());
            Assert.Equal(new TransferOptions().MaxAttempts, site.All.Count(r => r.PathAndQuery == "/api/v3/file/upload/s1/2"));
            Assert.DoesNotContain(site.All, r => r.Method == "DELETE");
        }
    }

    [Fact]
    public async Task ALastPartThatNeverArrivesFailsWithItsErrorAndCancelsTheSession()
    {
        var (job, site) = await RunAsync((_, _, index, _) => index == 2 ? new CannedResponse(502, "", "text/plain") : null);
        using (site)
        {
            Assert.Equal(TransferState.Failed, job.State);
            Assert.Equal(CloudreveErrorKind.ServerError, Assert.IsType<CloudreveException>(job.Error).Kind);
            Assert.Contains(site.All, r => r.Method == "DELETE" && r.PathAndQuery == "/api/v3/file/upload/s1");
        }
    }

    [Fact]
    public async Task RetriesServerErrorsWithTheSameIndexAndExactLength()
    {
        var (job, site) = await RunAsync((_, _, index, attempt) => index == 1 && attempt < 3 ? new CannedResponse(500, "", "text/plain") : null);
        using (site)
        {
            Assert.Equal(TransferState.Succeeded, job.State);
            var ones = site.All.Where(r => r.PathAndQuery == "/api/v3/file/upload/s1/1").ToList();
            Assert.Equal(3, ones.Count);
            Assert.All(ones, r => Assert.Equal("1000", r.Header("Content-Length")));
        }
    }

    [Fact]
    public async Task AnUploadTheListingDoesNotShowWholeIsAnError()
    {
        // Every chunk is acknowledged, but the server lists the file with a different size.
        var (job, site) = await RunAsync((_, _, index, _) =>
        {
            if (index == 2)
            {
                _listedSize = 2000;
                return new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}");
            }

            return null;
        });
        using (site)
        {
            Assert.Equal(TransferState.Failed, job.State);
            var error = Assert.IsType<CloudreveException>(job.Error);
            Assert.Equal(CloudreveErrorKind.TransferFailed, error.Kind);
        }
    }

    [Fact]
    public async Task AnExistingRemoteFileIsAConflictWithoutTouchingTheServer()
    {
        _listedSize = 10;
        var (job, site) = await RunAsync((_, _, _, _) => null);
        using (site)
        {
            Assert.Equal(TransferState.Failed, job.State);
            var error = Assert.IsType<CloudreveException>(job.Error);
            Assert.Equal(CloudreveErrorKind.Conflict, error.Kind);
            Assert.Equal("/dst/data.bin", job.TargetFor(error));
            Assert.Empty(Calls(site));
        }
    }
}

using System.Text.RegularExpressions;
using Cloudreve.Api.V4;
using Cloudreve.Transfers;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// The 4.x upload flows of section 10.4 for the storages the sandbox does not play (remote, ks3, cos, obs, oss,
/// qiniu, upyun), against recording servers on loopback: one plays the Cloudreve 4 site, one the storage (another
/// origin). Checks the wire shape of each flow and that the bearer token stays on the site's API routes.
/// </summary>
public sealed class V4StorageFlowTests : IDisposable
{
    private const string SessionId = "7087aa75-429f-425a-9d01-d216a1f84010";
    private const string Secret = "JOF3HhlZTVGrclol4NI7ti3rnklHUc17";
    private const string AccessToken = "ACCESS-TOKEN-SECRET";
    private readonly byte[] _content = new byte[2500];
    private readonly string _file;
    private readonly RecordingHttpServer _site;
    private readonly RecordingHttpServer _storage;
    private readonly V4Backend _backend;
    private string _session = "{}";
    private Func<RecordedRequest, CannedResponse?> _siteOverride = _ => null;

    public V4StorageFlowTests()
    {
        new Random(7).NextBytes(_content);
        _file = Path.Combine(Path.GetTempPath(), "cr-v4flow-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(_file, _content);
        _site = new RecordingHttpServer(r => _siteOverride(r) ?? SiteAnswer(r));
        _storage = new RecordingHttpServer(StorageAnswer);
        var transport = new CloudreveTransport(new TransportOptions(_site.BaseUri) { MaxRetries = 0 });
        var now = DateTimeOffset.UtcNow;
        transport.Tokens.Set(new BearerTokens(AccessToken, "REFRESH-TOKEN-SECRET", now.AddHours(1), now.AddDays(14), now));
        _backend = new V4Backend(transport, "4.18.0");
    }

    public void Dispose()
    {
        _backend.Dispose();
        _site.Dispose();
        _storage.Dispose();
        File.Delete(_file);
    }

    private string Storage(string rest) => new Uri(_storage.BaseUri, rest).ToString();

    private string Session(string type, string extra) =>
        $"{{\"session_id\":\"{SessionId}\",\"upload_id\":\"\",\"chunk_size\":1000,\"expires\":1900000000,{extra}\"storage_policy\":{{\"id\":\"b8Tk\",\"name\":\"P\",\"type\":\"{type}\",\"max_size\":0}},\"uri\":\"cloudreve://my/dst/data%20file.bin\",\"callback_secret\":\"{Secret}\"}}";

    private CannedResponse SiteAnswer(RecordedRequest r)
    {
        if (r.Method == "PUT" && r.PathAndQuery == "/api/v4/file/upload")
        {
            return new CannedResponse(200, "{\"code\":0,\"data\":" + _session + ",\"msg\":\"\"}");
        }

        return new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}");
    }

    private static CannedResponse StorageAnswer(RecordedRequest r)
    {
        var part = Regex.Match(r.PathAndQuery, @"partNumber=(\d+)");
        if (r.Method == "PUT" && part.Success)
        {
            return new CannedResponse(200, "", "text/plain", new() { ["ETag"] = $"\"etag-{part.Groups[1].Value}\"" });
        }

        var qiniuPart = Regex.Match(r.PathAndQuery, @"/uploads/U1/(\d+)$");
        if (r.Method == "PUT" && qiniuPart.Success)
        {
            return new CannedResponse(200, $"{{\"etag\":\"q-{qiniuPart.Groups[1].Value}\",\"md5\":\"x\"}}");
        }

        if (r.PathAndQuery.Contains("complete", StringComparison.Ordinal))
        {
            return r.PathAndQuery.Contains("oss", StringComparison.Ordinal)
                ? new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}")
                : new CannedResponse(200, "<CompleteMultipartUploadResult><ETag>\"all\"</ETag></CompleteMultipartUploadResult>", "application/xml");
        }

        return new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}");
    }

    private async Task<UploadSession> UploadAsync(string folderPolicyType = "local", bool replace = false)
    {
        var request = new UploadRequest
        {
            FolderPath = "/dst",
            Name = "data file.bin",
            Size = _content.Length,
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1700000000123),
            Policy = new CloudreveStoragePolicy { Id = "b8Tk", Type = folderPolicyType },
            ReplaceExisting = replace,
        };
        var session = await _backend.CreateUploadSessionAsync(request, CancellationToken.None);
        Assert.Equal(3, session.ChunkCount);
        for (var i = 0; i < session.ChunkCount; i++)
        {
            var offset = session.ChunkOffset(i);
            var length = session.ChunkLength(i);
            var outcome = await _backend.SendChunkAsync(session, i, () => new ChunkContent(_file, offset, length, null, CancellationToken.None), false, CancellationToken.None);
            Assert.Equal(ChunkOutcome.Stored, outcome);
        }

        await _backend.CompleteUploadAsync(session, CancellationToken.None);
        return session;
    }

    private byte[] Slice(long offset, long length) => _content.AsSpan((int)offset, (int)length).ToArray();

    private static void AssertExactBody(RecordedRequest r, byte[] expected)
    {
        Assert.Equal(expected.Length.ToString(), r.Header("Content-Length"));
        Assert.Equal(expected, r.Body);
    }

    /// <summary>No request to the storage carries the Cloudreve token, and on the site only /api/v4 routes other than callbacks do.</summary>
    private void AssertTokenOnlyOnApiRoutes()
    {
        foreach (var r in _storage.All)
        {
            Assert.DoesNotContain(AccessToken, r.Header("Authorization") ?? string.Empty);
            Assert.False(r.Chunked, $"{r.Method} {r.PathAndQuery} used chunked transfer encoding");
        }

        foreach (var r in _site.All)
        {
            var expected = r.PathAndQuery.StartsWith("/api/v4/callback/", StringComparison.Ordinal) ? null : "Bearer " + AccessToken;
            Assert.Equal(expected, r.Header("Authorization"));
        }
    }

    [Fact]
    public async Task SessionRequestCarriesUriSizeModifiedTimeAndVersionOnlyWhenReplacing()
    {
        _session = Session("local", "");
        await UploadAsync();
        await UploadAsync(replace: true);
        var creates = _site.All.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(2, creates.Count);
        Assert.Contains("\"uri\":\"cloudreve://my/dst/data%20file.bin\"", creates[0].Text);
        Assert.Contains("\"size\":2500", creates[0].Text);
        Assert.Contains("\"last_modified\":1700000000123", creates[0].Text);
        Assert.DoesNotContain("entity_type", creates[0].Text);
        Assert.DoesNotContain("policy_id", creates[0].Text);
        Assert.Contains("\"entity_type\":\"version\"", creates[1].Text);
        var chunks = _site.All.Where(r => r.Method == "POST").Take(3).ToList();
        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"/api/v4/file/upload/{SessionId}/{i}"), chunks.Select(c => c.PathAndQuery));
        AssertExactBody(chunks[2], Slice(2000, 500));
        Assert.Equal("application/octet-stream", chunks[0].Header("Content-Type"));
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task RelayPoliciesSendChunksThroughTheMaster()
    {
        _session = Session("s3", "").Replace("\"max_size\":0", "\"max_size\":0,\"relay\":true");
        await UploadAsync("s3");
        Assert.Equal(3, _site.All.Count(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/api/v4/file/upload/", StringComparison.Ordinal)));
        Assert.Empty(_storage.All);
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoteChunksGoToTheSlaveWithTheCredentialNotTheToken()
    {
        var url = Storage($"api/v4/slave/upload/{SessionId}");
        _session = Session("remote", $"\"upload_urls\":[\"{url}\"],\"credential\":\"Bearer Cr c2lnbmF0dXJl:1900000000\",");
        await UploadAsync();
        var chunks = _storage.All;
        Assert.Equal(3, chunks.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("POST", chunks[i].Method);
            Assert.Equal($"/api/v4/slave/upload/{SessionId}?chunk={i}", chunks[i].PathAndQuery);
            Assert.Equal("Bearer Cr c2lnbmF0dXJl:1900000000", chunks[i].Header("Authorization"));
            AssertExactBody(chunks[i], Slice(i * 1000, i == 2 ? 500 : 1000));
        }

        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal) || r.Method == "POST");
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task RemoteChunkPastTheSessionExpiryIsAnExpiredSession()
    {
        var url = Storage($"api/v4/slave/upload/{SessionId}");
        _session = Session("remote", $"\"upload_urls\":[\"{url}\"],\"credential\":\"Bearer Cr x:1\",");
        var session = await _backend.CreateUploadSessionAsync(new UploadRequest { FolderPath = "/dst", Name = "data file.bin", Size = 2500 }, CancellationToken.None);
        using var storage = new RecordingHttpServer(_ => new CannedResponse(200, "{\"code\":40005,\"msg\":\"signature expired\"}"));
        var state = (V4Backend.V4UploadState)session.State!;
        state.Credential.UploadUrls = new[] { new Uri(storage.BaseUri, "slave").ToString() };
        var error = await Assert.ThrowsAsync<CloudreveException>(() => _backend.SendChunkAsync(session, 0, () => new ChunkContent(_file, 0, 1000, null, CancellationToken.None), false, CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.UploadSessionExpired, error.Kind);
        Assert.Equal(40005, error.ServerCode);
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("ks3")]
    [InlineData("cos")]
    public async Task S3LikePartsCompleteWithXmlThenTheClientCallsBack(string type)
    {
        var parts = Enumerable.Range(1, 3).Select(n => Storage($"bucket/dst/data.bin?partNumber={n}&uploadId=UP1&X-Amz-Signature=sig{n}")).ToArray();
        var complete = Storage("bucket/dst/data.bin?uploadId=UP1&complete=1");
        _session = Session(type, $"\"upload_urls\":[{string.Join(",", parts.Select(p => "\"" + p + "\""))}],\"completeURL\":\"{complete}\",");
        await UploadAsync();
        var puts = _storage.All.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(3, puts.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"/bucket/dst/data.bin?partNumber={i + 1}&uploadId=UP1&X-Amz-Signature=sig{i + 1}", puts[i].PathAndQuery);
            AssertExactBody(puts[i], Slice(i * 1000, i == 2 ? 500 : 1000));
        }

        var done = Assert.Single(_storage.All, r => r.Method == "POST");
        Assert.Equal("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;etag-1&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;etag-2&quot;</ETag></Part><Part><PartNumber>3</PartNumber><ETag>&quot;etag-3&quot;</ETag></Part></CompleteMultipartUpload>", done.Text);
        Assert.Equal(type == "cos" ? "true" : null, done.Header("x-cos-forbid-overwrite"));
        var callback = Assert.Single(_site.All, r => r.PathAndQuery.StartsWith("/api/v4/callback/", StringComparison.Ordinal));
        Assert.Equal("GET", callback.Method);
        Assert.Equal($"/api/v4/callback/{type}/{SessionId}/{Secret}", callback.PathAndQuery);
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task ACallbackRefusedWithHttp401IsAnExpiredSession()
    {
        var parts = Enumerable.Range(1, 3).Select(n => Storage($"b/k?partNumber={n}")).ToArray();
        _session = Session("s3", $"\"upload_urls\":[{string.Join(",", parts.Select(p => "\"" + p + "\""))}],\"completeURL\":\"{Storage("b/k?complete")}\",");
        _siteOverride = r => r.PathAndQuery.StartsWith("/api/v4/callback/", StringComparison.Ordinal)
            ? new CannedResponse(401, "{\"code\":40011,\"msg\":\"Upload session does not exist or expired\"}") : null;
        var error = await Assert.ThrowsAsync<CloudreveException>(() => UploadAsync());
        Assert.Equal(CloudreveErrorKind.UploadSessionExpired, error.Kind);
        Assert.Equal(40011, error.ServerCode);
    }

    [Fact]
    public async Task ObsCompletesWithXmlAndLeavesTheCallbackToTheStorage()
    {
        var parts = Enumerable.Range(1, 3).Select(n => Storage($"obs/k?partNumber={n}&uploadId=O1")).ToArray();
        _session = Session("obs", $"\"upload_urls\":[{string.Join(",", parts.Select(p => "\"" + p + "\""))}],\"completeURL\":\"{Storage("obs/k?uploadId=O1&complete")}\",");
        await UploadAsync();
        Assert.Equal(3, _storage.All.Count(r => r.Method == "PUT"));
        Assert.Contains("<PartNumber>3</PartNumber><ETag>&quot;etag-3&quot;</ETag>", Assert.Single(_storage.All, r => r.Method == "POST").Text);
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task OssCompletesWithAnEmptyBodyAndTheForbidOverwriteHeaders()
    {
        var parts = Enumerable.Range(1, 3).Select(n => Storage($"oss/k?partNumber={n}&uploadId=A1")).ToArray();
        _session = Session("oss", $"\"upload_urls\":[{string.Join(",", parts.Select(p => "\"" + p + "\""))}],\"completeURL\":\"{Storage("oss/k?uploadId=A1&complete")}\",");
        await UploadAsync();
        var done = Assert.Single(_storage.All, r => r.Method == "POST");
        Assert.Empty(done.Body);
        Assert.Equal("true", done.Header("x-oss-forbid-overwrite"));
        Assert.Equal("yes", done.Header("x-oss-complete-all"));
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task QiniuSendsNumberedPartsWithTheUpTokenThenTheirEtagsAndMimeType()
    {
        _session = Session("qiniu", $"\"upload_urls\":[\"{Storage("buckets/b/objects/k/uploads/U1")}\"],\"credential\":\"qiniu-token\",\"mime_type\":\"application/x-test\",");
        await UploadAsync();
        var puts = _storage.All.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(new[] { "/buckets/b/objects/k/uploads/U1/1", "/buckets/b/objects/k/uploads/U1/2", "/buckets/b/objects/k/uploads/U1/3" }, puts.Select(p => p.PathAndQuery));
        Assert.All(puts, p => Assert.Equal("UpToken qiniu-token", p.Header("Authorization")));
        var done = Assert.Single(_storage.All, r => r.Method == "POST");
        Assert.Equal("/buckets/b/objects/k/uploads/U1", done.PathAndQuery);
        Assert.Equal("{\"parts\":[{\"etag\":\"q-1\",\"partNumber\":1},{\"etag\":\"q-2\",\"partNumber\":2},{\"etag\":\"q-3\",\"partNumber\":3}],\"mimeType\":\"application/x-test\"}", done.Text);
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task QiniuCompleteRelayingAServerErrorFails()
    {
        using var storage = new RecordingHttpServer(r => r.Method == "POST" ? new CannedResponse(200, "{\"code\":40051,\"msg\":\"Insufficient capacity\"}") : new CannedResponse(200, "{\"etag\":\"e\"}"));
        _session = Session("qiniu", $"\"upload_urls\":[\"{new Uri(storage.BaseUri, "up/U1")}\"],\"credential\":\"t\",");
        var error = await Assert.ThrowsAsync<CloudreveException>(() => UploadAsync());
        Assert.Equal(40051, error.ServerCode);
    }

    [Fact]
    public async Task UpyunSendsOneFormWithThePolicyAndAuthorizationPerChunk()
    {
        _session = Session("upyun", $"\"upload_urls\":[\"{Storage("upyun/bucket")}\"],\"credential\":\"UPYUN op:sig\",\"upload_policy\":\"eyJwb2xpY3kiOjF9\",").Replace("\"chunk_size\":1000", "\"chunk_size\":0");
        var session = await _backend.CreateUploadSessionAsync(new UploadRequest { FolderPath = "/dst", Name = "data file.bin", Size = 2500 }, CancellationToken.None);
        Assert.Equal(1, session.ChunkCount);
        await _backend.SendChunkAsync(session, 0, () => new ChunkContent(_file, 0, 2500, null, CancellationToken.None), false, CancellationToken.None);
        await _backend.CompleteUploadAsync(session, CancellationToken.None);
        var form = Assert.Single(_storage.All);
        Assert.Equal("POST", form.Method);
        Assert.StartsWith("multipart/form-data", form.Header("Content-Type"));
        var text = form.Text;
        Assert.True(text.IndexOf("name=policy", StringComparison.Ordinal) < text.IndexOf("name=authorization", StringComparison.Ordinal));
        Assert.True(text.IndexOf("name=authorization", StringComparison.Ordinal) < text.IndexOf("name=file", StringComparison.Ordinal));
        Assert.Contains("eyJwb2xpY3kiOjF9", text);
        Assert.Contains("UPYUN op:sig", text);
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task CancelSendsTheSessionIdAndUriAndForgetsTheSession()
    {
        _session = Session("local", "");
        var session = await _backend.CreateUploadSessionAsync(new UploadRequest { FolderPath = "/dst", Name = "data file.bin", Size = 2500 }, CancellationToken.None);
        await _backend.CancelUploadAsync(session.SessionId, CancellationToken.None);
        await _backend.CancelAllUploadsAsync(CancellationToken.None);
        var cancel = Assert.Single(_site.All, r => r.Method == "DELETE");
        Assert.Equal("/api/v4/file/upload", cancel.PathAndQuery);
        Assert.Equal($"{{\"id\":\"{SessionId}\",\"uri\":\"cloudreve://my/dst/data%20file.bin\"}}", cancel.Text);
        AssertTokenOnlyOnApiRoutes();
    }

    [Fact]
    public async Task APendingUploadHoldingTheNameIsUploadInProgressWhenReplacing()
    {
        _siteOverride = r => r.Method == "PUT" ? new CannedResponse(200, "{\"code\":40004,\"msg\":\"Object existed\"}") : null;
        var request = new UploadRequest { FolderPath = "/dst", Name = "a.bin", Size = 1 };
        Assert.Equal(CloudreveErrorKind.Conflict, (await Assert.ThrowsAsync<CloudreveException>(() => _backend.CreateUploadSessionAsync(request, CancellationToken.None))).Kind);
        request.ReplaceExisting = true;
        Assert.Equal(CloudreveErrorKind.UploadInProgress, (await Assert.ThrowsAsync<CloudreveException>(() => _backend.CreateUploadSessionAsync(request, CancellationToken.None))).Kind);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Cloudreve.Api.V3;
using Cloudreve.Transfers;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// The upload flows of section 5 for the storages the sandbox does not serve, against recording
/// servers on loopback: one plays Cloudreve (another origin than the storage), one the storage.
/// </summary>
public sealed class StorageFlowTests : IDisposable
{
    private const string SessionId = "5b0e3d3a-1111-4222-8333-944455556666";
    private const long ChunkSize = 1000;
    private const string Cookie = "cloudreve-session=SECRET-COOKIE";
    private readonly byte[] _content = new byte[2500];
    private readonly string _file;
    private readonly RecordingHttpServer _site;
    private readonly RecordingHttpServer _storage;
    private readonly CloudreveTransport _transport;
    private readonly V3Backend _backend;
    private string _credential = "{}";
    private Func<RecordedRequest, CannedResponse?> _storageOverride = _ => null;

    public StorageFlowTests()
    {
        new Random(42).NextBytes(_content);
        _file = Path.Combine(Path.GetTempPath(), "cr-flow-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(_file, _content);
        _site = new RecordingHttpServer(SiteAnswer);
        _storage = new RecordingHttpServer(r => _storageOverride(r) ?? StorageAnswer(r));
        _transport = new CloudreveTransport(new TransportOptions(_site.BaseUri) { MaxRetries = 0 });
        using var login = new HttpResponseMessage();
        login.Headers.TryAddWithoutValidation("Set-Cookie", Cookie + "; Path=/; HttpOnly");
        _transport.Cookies.Apply(login);
        _backend = new V3Backend(_transport);
    }

    public void Dispose()
    {
        _backend.Dispose();
        _site.Dispose();
        _storage.Dispose();
        File.Delete(_file);
    }

    private string Storage(string rest) => new Uri(_storage.BaseUri, rest).ToString();

    private CannedResponse SiteAnswer(RecordedRequest r)
    {
        if (r.Method == "PUT" && r.PathAndQuery == "/api/v3/file/upload")
        {
            return new CannedResponse(200, "{\"code\":0,\"data\":" + _credential + ",\"msg\":\"\"}");
        }

        if (r.PathAndQuery.StartsWith("/api/v3/file/upload/", StringComparison.Ordinal) && r.Method == "POST")
        {
            return new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}");
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

        if (r.Method == "POST" && r.PathAndQuery.EndsWith("/uploads/U1", StringComparison.Ordinal))
        {
            return new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}");
        }

        if (r.Method == "PUT" && r.PathAndQuery.StartsWith("/graph/", StringComparison.Ordinal))
        {
            var end = long.Parse(Regex.Match(r.Header("Content-Range") ?? "", @"-(\d+)/").Groups[1].Value);
            return end == 2499 ? new CannedResponse(201, "{\"id\":\"item\"}") : new CannedResponse(202, $"{{\"nextExpectedRanges\":[\"{end + 1}-\"]}}");
        }

        return new CannedResponse(200, "{\"code\":0,\"msg\":\"\"}");
    }

    private async Task<UploadSession> UploadAsync(string policyType, long chunkSize = ChunkSize)
    {
        var request = new UploadRequest
        {
            FolderPath = "/dst",
            Name = "data.bin",
            Size = _content.Length,
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1700000000123),
            Policy = new CloudreveStoragePolicy { Id = "pol1", Type = policyType },
        };
        var session = await _backend.CreateUploadSessionAsync(request, CancellationToken.None);
        Assert.Equal(chunkSize, session.ChunkSize);
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

    private void AssertNoCookieAtStorage()
    {
        foreach (var r in _storage.All)
        {
            Assert.Null(r.Header("Cookie"));
            Assert.False(r.Chunked, $"{r.Method} {r.PathAndQuery} used chunked transfer encoding");
        }
    }

    private static void AssertExactBody(RecordedRequest r, byte[] expected)
    {
        Assert.Equal(expected.Length.ToString(), r.Header("Content-Length"));
        Assert.Equal(expected, r.Body);
    }

    [Fact]
    public async Task SessionRequestCarriesTheFieldsCloudreveExpects()
    {
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":0,\"expires\":1900000000}}";
        await UploadAsync("local", 0);
        var create = _site.All.First(r => r.Method == "PUT");
        Assert.Equal(Cookie, create.Header("Cookie"));
        Assert.Contains("\"path\":\"/dst\"", create.Text);
        Assert.Contains("\"size\":2500", create.Text);
        Assert.Contains("\"name\":\"data.bin\"", create.Text);
        Assert.Contains("\"policy_id\":\"pol1\"", create.Text);
        Assert.Contains("\"last_modified\":1700000000123", create.Text);
        var chunk = Assert.Single(_site.All, r => r.Method == "POST");
        Assert.Equal($"/api/v3/file/upload/{SessionId}/0", chunk.PathAndQuery);
        Assert.Equal("application/octet-stream", chunk.Header("Content-Type"));
        AssertExactBody(chunk, _content);
    }

    [Fact]
    public async Task LocalChunksGoInOrderWithTheCookieAndExactLengths()
    {
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000}}";
        await UploadAsync("local");
        var chunks = _site.All.Where(r => r.Method == "POST").ToList();
        Assert.Equal(new[] { "/0", "/1", "/2" }, chunks.Select(c => c.PathAndQuery.Substring(c.PathAndQuery.LastIndexOf('/'))));
        for (var i = 0; i < 3; i++)
        {
            AssertExactBody(chunks[i], Slice(i * 1000, i == 2 ? 500 : 1000));
            Assert.Equal(Cookie, chunks[i].Header("Cookie"));
        }
    }

    [Fact]
    public async Task RemoteChunksCarryTheCredentialVerbatimAndNoCookie()
    {
        var url = Storage($"api/v3/slave/upload/{SessionId}");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000,\"uploadURLs\":[\"{url}\"],\"credential\":\"Bearer c2lnbmF0dXJl:1900000000\"}}";
        await UploadAsync("remote");
        var chunks = _storage.All;
        Assert.Equal(3, chunks.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("POST", chunks[i].Method);
            Assert.Equal($"/api/v3/slave/upload/{SessionId}?chunk={i}", chunks[i].PathAndQuery);
            Assert.Equal("Bearer c2lnbmF0dXJl:1900000000", chunks[i].Header("Authorization"));
            Assert.DoesNotContain(chunks[i].Headers.Keys, k => k.StartsWith("X-Cr-", StringComparison.OrdinalIgnoreCase));
            AssertExactBody(chunks[i], Slice(i * 1000, i == 2 ? 500 : 1000));
        }

        AssertNoCookieAtStorage();
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneDriveSendsContentRangesThenCallsTheFinishCallback()
    {
        var url = Storage("graph/upload-session-xyz?tempauth=abc");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000,\"uploadURLs\":[\"{url}\"]}}";
        await UploadAsync("onedrive");
        var puts = _storage.All;
        Assert.Equal(new[] { "bytes 0-999/2500", "bytes 1000-1999/2500", "bytes 2000-2499/2500" }, puts.Select(p => p.Header("Content-Range")));
        Assert.All(puts, p => Assert.Equal("PUT", p.Method));
        Assert.All(puts, p => Assert.Null(p.Header("Authorization")));
        Assert.All(puts, p => Assert.Equal("/graph/upload-session-xyz?tempauth=abc", p.PathAndQuery));
        AssertExactBody(puts[2], Slice(2000, 500));
        AssertNoCookieAtStorage();
        var finish = Assert.Single(_site.All, r => r.PathAndQuery.StartsWith("/api/v3/callback/", StringComparison.Ordinal));
        Assert.Equal("POST", finish.Method);
        Assert.Equal($"/api/v3/callback/onedrive/finish/{SessionId}", finish.PathAndQuery);
        Assert.Equal("{}", finish.Text);
    }

    [Fact]
    public async Task OneDriveResendSkipsAChunkTheStorageAlreadyHas()
    {
        var url = Storage("graph/s2");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000,\"uploadURLs\":[\"{url}\"]}}";
        _storageOverride = r => r.Method == "GET" ? new CannedResponse(200, "{\"nextExpectedRanges\":[\"1000-2499\"]}") : null;
        var session = await _backend.CreateUploadSessionAsync(new UploadRequest { FolderPath = "/", Name = "a", Size = 2500, Policy = new CloudreveStoragePolicy { Id = "p", Type = "onedrive" } }, CancellationToken.None);
        var outcome = await _backend.SendChunkAsync(session, 0, () => new ChunkContent(_file, 0, 1000, null, CancellationToken.None), true, CancellationToken.None);
        Assert.Equal(ChunkOutcome.AlreadyStored, outcome);
        Assert.DoesNotContain(_storage.All, r => r.Method == "PUT");
    }

    [Fact]
    public async Task S3PutsEveryPartToItsPresignedUrlCompletesWithXmlAndCallsBack()
    {
        var parts = Enumerable.Range(1, 3).Select(n => Storage($"bucket/dst/data.bin?partNumber={n}&uploadId=UP1&X-Amz-Signature=sig{n}")).ToArray();
        var complete = Storage("bucket/dst/data.bin?uploadId=UP1&complete=1&X-Amz-Signature=sigc");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000,\"uploadURLs\":[\"{string.Join("\",\"", parts).Replace("&", "\\u0026")}\"],\"uploadID\":\"UP1\",\"completeURL\":\"{complete.Replace("&", "\\u0026")}\"}}";
        await UploadAsync("s3");
        var all = _storage.All;
        Assert.Equal(4, all.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("PUT", all[i].Method);
            Assert.Equal(new Uri(parts[i]).PathAndQuery, all[i].PathAndQuery);
            AssertExactBody(all[i], Slice(i * 1000, i == 2 ? 500 : 1000));
        }

        Assert.Equal("POST", all[3].Method);
        Assert.Equal(new Uri(complete).PathAndQuery, all[3].PathAndQuery);
        Assert.Equal(
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;etag-1&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;etag-2&quot;</ETag></Part><Part><PartNumber>3</PartNumber><ETag>&quot;etag-3&quot;</ETag></Part></CompleteMultipartUpload>",
            all[3].Text);
        AssertNoCookieAtStorage();
        var callback = Assert.Single(_site.All, r => r.PathAndQuery.StartsWith("/api/v3/callback/", StringComparison.Ordinal));
        Assert.Equal("GET", callback.Method);
        Assert.Equal($"/api/v3/callback/s3/{SessionId}", callback.PathAndQuery);
    }

    [Fact]
    public async Task S3CompleteAnsweringAnErrorDocumentFails()
    {
        var complete = Storage("bucket/k?complete=1");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":5000,\"expires\":1900000000,\"uploadURLs\":[\"{Storage("bucket/k?partNumber=1")}\"],\"completeURL\":\"{complete}\"}}";
        _storageOverride = r => r.Method == "POST" ? new CannedResponse(200, "<Error><Code>InvalidPart</Code></Error>", "application/xml") : null;
        var ex = await Assert.ThrowsAsync<CloudreveException>(() => UploadAsync("s3", 5000));
        Assert.Equal(CloudreveErrorKind.TransferFailed, ex.Kind);
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OssSignsTheContentTypeAndCompletesWithTheForbidOverwriteHeaders()
    {
        var parts = Enumerable.Range(1, 3).Select(n => Storage($"oss/dst/data.bin?partNumber={n}&uploadId=O1&Signature=s{n}")).ToArray();
        var complete = Storage("oss/dst/data.bin?uploadId=O1&complete=1&callback=cb");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000,\"uploadURLs\":[\"{string.Join("\",\"", parts)}\"],\"completeURL\":\"{complete}\"}}";
        await UploadAsync("oss");
        var all = _storage.All;
        Assert.Equal(4, all.Count);
        Assert.All(all.Take(3), p => Assert.Equal("application/octet-stream", p.Header("Content-Type")));
        var done = all[3];
        Assert.Equal("POST", done.Method);
        Assert.Empty(done.Body);
        Assert.Equal("application/octet-stream", done.Header("Content-Type"));
        Assert.Equal("true", done.Header("x-oss-forbid-overwrite"));
        Assert.Equal("yes", done.Header("x-oss-complete-all"));
        AssertNoCookieAtStorage();
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QiniuPutsNumberedPartsWithTheUpTokenAndCompletesWithTheirEtags()
    {
        var url = Storage("buckets/b/objects/ZHN0/uploads/U1");
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000,\"uploadURLs\":[\"{url}\"],\"credential\":\"TOKEN:abc\"}}";
        await UploadAsync("qiniu");
        var all = _storage.All;
        Assert.Equal(new[] { "/buckets/b/objects/ZHN0/uploads/U1/1", "/buckets/b/objects/ZHN0/uploads/U1/2", "/buckets/b/objects/ZHN0/uploads/U1/3", "/buckets/b/objects/ZHN0/uploads/U1" }, all.Select(r => r.PathAndQuery));
        Assert.All(all, r => Assert.Equal("UpToken TOKEN:abc", r.Header("Authorization")));
        Assert.All(all.Take(3), r => Assert.Equal("application/octet-stream", r.Header("Content-Type")));
        Assert.Equal("POST", all[3].Method);
        Assert.StartsWith("application/json", all[3].Header("Content-Type"));
        Assert.Equal("{\"parts\":[{\"etag\":\"q-1\",\"partNumber\":1},{\"etag\":\"q-2\",\"partNumber\":2},{\"etag\":\"q-3\",\"partNumber\":3}]}", all[3].Text);
        AssertNoCookieAtStorage();
    }

    [Fact]
    public async Task CosPostsOneFormWithTheFieldsInOrderThenCallsBack()
    {
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":0,\"expires\":1900000000,\"uploadURLs\":[\"{Storage("")}\"],\"credential\":\"QSIG\",\"callback\":\"https://site/cb\",\"path\":\"dst/data.bin\",\"ak\":\"AKID\",\"keyTime\":\"1;2\",\"policy\":\"UE9MSUNZ\"}}";
        await UploadAsync("cos", 0);
        var post = Assert.Single(_storage.All);
        Assert.Equal("POST", post.Method);
        Assert.StartsWith("multipart/form-data", post.Header("Content-Type"));
        Assert.Equal(post.Body.Length.ToString(), post.Header("Content-Length"));
        var text = Encoding.Latin1.GetString(post.Body);
        var names = Regex.Matches(text, "(?<![a-z])name=\"?([^\";\\r]+)\"?").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(new[] { "policy", "key", "x-cos-meta-callback", "x-cos-meta-key", "q-sign-algorithm", "q-key-time", "q-ak", "q-signature", "name", "file" }, names);
        Assert.Contains("UE9MSUNZ", text);
        Assert.Contains(SessionId, text);
        Assert.Contains("sha1", text);
        Assert.Contains(Encoding.Latin1.GetString(_content), text);
        AssertNoCookieAtStorage();
        var callback = Assert.Single(_site.All, r => r.PathAndQuery.StartsWith("/api/v3/callback/", StringComparison.Ordinal));
        Assert.Equal($"/api/v3/callback/cos/{SessionId}", callback.PathAndQuery);
    }

    [Fact]
    public async Task UpyunPostsPolicyAuthorizationAndFile()
    {
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":0,\"expires\":1900000000,\"uploadURLs\":[\"{Storage("bucket")}\"],\"credential\":\"UPYUN sig\",\"policy\":\"UFVMSUNZ\"}}";
        await UploadAsync("upyun", 0);
        var post = Assert.Single(_storage.All);
        var text = Encoding.Latin1.GetString(post.Body);
        var names = Regex.Matches(text, "(?<![a-z])name=\"?([^\";\\r]+)\"?").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(new[] { "policy", "authorization", "file" }, names);
        Assert.Contains("UPYUN sig", text);
        AssertNoCookieAtStorage();
        Assert.DoesNotContain(_site.All, r => r.PathAndQuery.Contains("callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalResendOfChunkZeroAnswered40002CountsAsStored()
    {
        _credential = $"{{\"sessionID\":\"{SessionId}\",\"chunkSize\":1000,\"expires\":1900000000}}";
        var session = await _backend.CreateUploadSessionAsync(new UploadRequest { FolderPath = "/", Name = "a", Size = 2500, Policy = new CloudreveStoragePolicy { Id = "p", Type = "local" } }, CancellationToken.None);
        using var site = new RecordingHttpServer(_ => new CannedResponse(200, "{\"code\":40002,\"msg\":\"file with the same name existed or unavailable\"}"));
        // Re-point the session's chunk route at a server that answers 40002, as 3.8.3 does for a resent chunk 0.
        using var transport = new CloudreveTransport(new TransportOptions(site.BaseUri) { MaxRetries = 0 });
        using var backend = new V3Backend(transport);
        Assert.Equal(ChunkOutcome.AlreadyStored, await backend.SendChunkAsync(session, 0, () => new ChunkContent(_file, 0, 1000, null, CancellationToken.None), true, CancellationToken.None));
        var ex = await Assert.ThrowsAsync<CloudreveException>(() => backend.SendChunkAsync(session, 0, () => new ChunkContent(_file, 0, 1000, null, CancellationToken.None), false, CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.TransferFailed, ex.Kind);
    }

    [Fact]
    public async Task ExpiredDownloadUrlIsReportedAsSuch()
    {
        using var site = new RecordingHttpServer(_ => new CannedResponse(200, "{\"code\":40005,\"msg\":\"signature expired\"}"));
        using var transport = new CloudreveTransport(new TransportOptions(site.BaseUri) { MaxRetries = 0 });
        using var backend = new V3Backend(transport);
        var ex = await Assert.ThrowsAsync<CloudreveException>(() => backend.OpenDownloadAsync(new Uri(site.BaseUri, "api/v3/file/download/k?sign=x"), 10, null, CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.DownloadUrlExpired, ex.Kind);
        Assert.Equal("bytes=10-", site.All.Single().Header("Range"));
    }
}

public class LocalNameTests
{
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..\\up")]
    [InlineData("/etc/passwd")]
    [InlineData("C:evil")]
    [InlineData("c:\\windows")]
    public void RefusesNamesThatLeaveTheDestination(string name)
    {
        var ex = Assert.Throws<CloudreveException>(() => LocalNames.ToLocalName(name, "/x/" + name));
        Assert.Equal(CloudreveErrorKind.UnsafeName, ex.Kind);
    }

    [Fact]
    public void ReplacesCharactersWindowsForbidsAndDeviceNames()
    {
        var before = LocalNames.IsWindows;
        try
        {
            LocalNames.IsWindows = true;
            Assert.Equal("a_b_c_.txt", LocalNames.ToLocalName("a<b>c|.txt", "/a"));
            Assert.Equal("_CON.txt", LocalNames.ToLocalName("CON.txt", "/CON.txt"));
            Assert.Equal("trail", LocalNames.ToLocalName("trail. ", "/t"));
            LocalNames.IsWindows = false;
            Assert.Equal("a<b>c|.txt", LocalNames.ToLocalName("a<b>c|.txt", "/a"));
        }
        finally
        {
            LocalNames.IsWindows = before;
        }
    }

    [Fact]
    public void CombineInsideRefusesEscapes()
    {
        var root = Path.Combine(Path.GetTempPath(), "root");
        Assert.Equal(Path.Combine(root, "sub", "f"), LocalNames.CombineInside(root, Path.Combine(root, "sub"), "f", "/sub/f"));
        Assert.Throws<CloudreveException>(() => LocalNames.CombineInside(root, root, "..", "/.."));
        Assert.Throws<CloudreveException>(() => LocalNames.CombineInside(root, Path.Combine(root, ".."), "x", "/x"));
    }

    [Fact]
    public async Task ChunkContentHasTheExactLengthAndBytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            var bytes = Enumerable.Range(0, 300000).Select(i => (byte)(i * 7)).ToArray();
            File.WriteAllBytes(path, bytes);
            long reported = 0;
            using var content = new ChunkContent(path, 1000, 200000, n => reported += n, CancellationToken.None);
            Assert.Equal(200000, content.Headers.ContentLength);
            var read = await content.ReadAsByteArrayAsync();
            Assert.Equal(bytes.Skip(1000).Take(200000).ToArray(), read);
            Assert.Equal(200000, reported);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

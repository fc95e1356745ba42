using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

internal static class Transfer
{
    public static async Task<string> PolicyId(SandboxClient c) =>
        (await c.GetAsync("/directory/")).GetProperty("data").GetProperty("policy").GetProperty("id").GetString()!;

    public static async Task<JsonElement> Chunk(SandboxClient c, string session, int index, byte[] data)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var resp = await c.SendAsync(HttpMethod.Post, ApiPath($"/file/upload/{session}/{index}"), content);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<string> UploadAsync(SandboxClient c, string folder, string name, byte[] data, long lastModified = 0)
    {
        var policy = await PolicyId(c);
        var s = await c.PutAsync("/file/upload", new { path = folder, size = data.Length, name, policy_id = policy, last_modified = lastModified });
        AssertCode(0, s);
        var session = s.GetProperty("data").GetProperty("sessionID").GetString()!;
        var chunk = s.GetProperty("data").GetProperty("chunkSize").GetInt64();
        var count = data.Length == 0 || chunk == 0 ? 1 : (int)((data.Length + chunk - 1) / chunk);
        for (var i = 0; i < count; i++)
        {
            var start = (int)(i * chunk);
            var len = chunk == 0 ? data.Length : (int)Math.Min(chunk, data.Length - start);
            AssertCode(0, await Chunk(c, session, i, data.AsSpan(start, len).ToArray()));
        }
        var listing = await c.GetAsync("/directory" + folder);
        return listing.GetProperty("data").GetProperty("objects").EnumerateArray()
            .First(o => o.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }
}

public sealed class UploadTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.ChunkSize = 1000;

    [Fact]
    public async Task Session_fields_and_multichunk_flow_with_reference_codes()
    {
        using var c = await AdminAsync();
        var policy = await Transfer.PolicyId(c);
        var data = RandomNumberGenerator.GetBytes(2500);
        var s = await c.PutAsync("/file/upload", new { path = "/up", size = 2500, name = "big.bin", policy_id = policy, last_modified = 1700000000000, mime_type = "application/octet-stream" });
        AssertCode(0, s);
        var d = s.GetProperty("data");
        Assert.Equal(["sessionID", "chunkSize", "expires"], Keys(d));
        Assert.Equal(1000, d.GetProperty("chunkSize").GetInt64());
        Assert.InRange(d.GetProperty("expires").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 86390, 86410);
        var id = d.GetProperty("sessionID").GetString()!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$", id);

        // pending upload: hidden in the listing but blocks the name
        Assert.Equal(0, (await c.GetAsync("/directory/up")).GetProperty("data").GetProperty("objects").GetArrayLength());
        AssertCode(40054, await c.PutAsync("/file/upload", new { path = "/up", size = 5, name = "big.bin", policy_id = policy }), "Upload session existed");
        AssertCode(40054, await c.PostAsync("/file/create", new { path = "/up/big.bin" }), "Upload session existed");

        AssertCode(40012, await Transfer.Chunk(c, id, 1, data[1000..2000]), "Chunk must be uploaded in order");
        AssertCode(40013, await Transfer.Chunk(c, id, 0, data[..100]), "Invalid Content-Length (expected: 1000)");
        AssertCode(0, await Transfer.Chunk(c, id, 0, data[..1000]), "");
        AssertCode(40002, await Transfer.Chunk(c, id, 0, data[..1000]), "file with the same name existed or unavailable");
        AssertCode(40012, await Transfer.Chunk(c, id, 3, data[..100]));
        using (var neg = await c.SendAsync(HttpMethod.Post, ApiPath($"/file/upload/{id}/-1"), new ByteArrayContent(new byte[100])))
            AssertCode(40001, JsonDocument.Parse(await neg.Content.ReadAsStringAsync()).RootElement, "Index too short");
        AssertCode(0, await Transfer.Chunk(c, id, 1, data[1000..2000]));
        AssertCode(40013, await Transfer.Chunk(c, id, 2, data[2000..2100]), "Invalid Content-Length (expected: 500)");
        AssertCode(0, await Transfer.Chunk(c, id, 2, data[2000..]));
        AssertCode(40011, await Transfer.Chunk(c, id, 2, data[2000..]), "");

        var obj = (await c.GetAsync("/directory/up")).GetProperty("data").GetProperty("objects")[0];
        Assert.Equal("big.bin", obj.GetProperty("name").GetString());
        Assert.Equal(2500, obj.GetProperty("size").GetInt64());
        Assert.Equal("2023-11-14T22:13:20Z", obj.GetProperty("date").GetString());
        Assert.Equal(2500, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());

        // the stored bytes are exactly what was sent
        var url = (await c.PutAsync($"/file/download/{obj.GetProperty("id").GetString()}", null)).GetProperty("data").GetString()!;
        using var dl = await c.SendAsync(HttpMethod.Get, url);
        Assert.Equal(data, await dl.Content.ReadAsByteArrayAsync());

        AssertCode(40004, await c.PutAsync("/file/upload", new { path = "/up", size = 5, name = "big.bin", policy_id = policy }), "Object existed");
    }

    [Fact]
    public async Task Session_creation_checks()
    {
        using var c = await AdminAsync();
        var policy = await Transfer.PolicyId(c);
        AssertCode(40001, await c.PutAsync("/file/upload", new { path = "/v", size = 3, policy_id = policy }), "Name cannot be empty");
        AssertCode(40001, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "a.txt" }), "PolicyID cannot be empty");
        AssertCode(40001, await c.PutAsync("/file/upload", new { size = 3, name = "a.txt", policy_id = policy }), "Path cannot be empty");
        AssertCode(40001, await c.PutAsync("/file/upload", new { path = "/v", size = -1, name = "a.txt", policy_id = policy }), "JSON marshall error");
        AssertCode(40035, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "a.txt", policy_id = "XXXX" }), "");
        AssertCode(40052, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "t.txt ", policy_id = policy }), "Invalid object name");
        AssertCode(40052, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "a|b.txt", policy_id = policy }));
        AssertCode(40052, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = new string('n', 252) + ".txt", policy_id = policy }));
        AssertCode(40053, await c.PutAsync("/file/upload", new { path = "v/r", size = 3, name = "rel.txt", policy_id = policy }), "Root protected");
        AssertCode(40051, await c.PutAsync("/file/upload", new { path = "/v", size = 2147483648L, name = "huge.bin", policy_id = policy }), "Insufficient capacity");
        AssertCode(0, await c.PutAsync("/directory", new { path = "/v/d1" }));
        AssertCode(0, await c.PutAsync("/file/upload", new { path = "/v", size = 0, name = "d1", policy_id = policy }));
        // folders in the path are created
        AssertCode(0, await c.PutAsync("/file/upload", new { path = "/v/new/sub", size = 3, name = "b.txt", policy_id = policy }));
        AssertCode(0, await c.GetAsync("/directory/v/new/sub"));
    }

    [Fact]
    public async Task Empty_file_upload_with_zero_length_chunk()
    {
        using var c = await AdminAsync();
        var id = await Transfer.UploadAsync(c, "/e", "empty.txt", []);
        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    public async Task Cancel_one_and_all()
    {
        using var c = await AdminAsync();
        var policy = await Transfer.PolicyId(c);
        var a = (await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "a1.txt", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        AssertCode(0, await c.DeleteAsync($"/file/upload/{a}"));
        AssertCode(40011, await c.DeleteAsync($"/file/upload/{a}"), "");
        AssertCode(40011, await Transfer.Chunk(c, a, 0, new byte[3]));

        var b = (await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "a1.txt", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        var b2 = (await c.PutAsync("/file/upload", new { path = "/v/x", size = 3, name = "b1.txt", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        using var other = await UserAsync();
        AssertCode(40011, await Transfer.Chunk(other, b, 0, new byte[3]));
        AssertCode(40011, await other.DeleteAsync($"/file/upload/{b}"));
        AssertCode(0, await c.DeleteAsync("/file/upload"));
        AssertCode(40011, await Transfer.Chunk(c, b, 0, new byte[3]));
        AssertCode(40011, await Transfer.Chunk(c, b2, 0, new byte[3]));
        AssertCode(0, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "a1.txt", policy_id = policy }));
    }

    [Fact]
    public async Task Quota_is_charged_and_released()
    {
        using var c = await AdminAsync();
        var id = await Transfer.UploadAsync(c, "/q", "f.bin", new byte[1500]);
        Assert.Equal(1500, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());
        AssertCode(0, await c.PostAsync("/object/copy", new { src_dir = "/q", src = new { items = new[] { id } }, dst = "/" }));
        Assert.Equal(3000, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());
        AssertCode(0, await c.DeleteAsync("/object", new { items = new[] { id } }));
        Assert.Equal(1500, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Chunk_failure_fault_answers_500_and_retry_works()
    {
        using var c = await AdminAsync();
        var policy = await Transfer.PolicyId(c);
        var s = (await c.PutAsync("/file/upload", new { path = "/f", size = 10, name = "x.bin", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        Host.Faults = new FaultSettings { ChunkFailureRate = 1 };
        using (var resp = await c.SendAsync(HttpMethod.Post, ApiPath($"/file/upload/{s}/0"), new ByteArrayContent(new byte[10])))
            Assert.Equal(HttpStatusCode.InternalServerError, resp.StatusCode);
        Host.Faults = new FaultSettings();
        AssertCode(0, await Transfer.Chunk(c, s, 0, new byte[10]));
    }

    [Fact]
    public async Task Dropped_connection_rolls_back_the_chunk()
    {
        using var c = await AdminAsync();
        var policy = await Transfer.PolicyId(c);
        var s = (await c.PutAsync("/file/upload", new { path = "/f", size = 1000, name = "y.bin", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        Host.Faults = new FaultSettings { DropConnectionRate = 1 };
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var resp = await c.SendAsync(HttpMethod.Post, ApiPath($"/file/upload/{s}/0"), new ByteArrayContent(new byte[1000]));
            resp.EnsureSuccessStatusCode();
            JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        });
        Host.Faults = new FaultSettings();
        AssertCode(0, await Transfer.Chunk(c, s, 0, new byte[1000]));
        Assert.Equal(1000, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());
    }
}

public sealed class UploadExpiryTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.UploadSessionTimeoutSeconds = 1;
        options.DownloadTimeoutSeconds = 1;
    }

    [Fact]
    public async Task Expired_session_blocks_name_until_cancelled_and_url_expires()
    {
        using var c = await AdminAsync();
        var policy = await Transfer.PolicyId(c);
        var fileId = await Transfer.UploadAsync(c, "/v", "done.txt", Encoding.UTF8.GetBytes("abc"));
        var url = (await c.PutAsync($"/file/download/{fileId}", null)).GetProperty("data").GetString()!;
        var s = (await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "expiring.txt", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        await Task.Delay(2100);
        AssertCode(40011, await Transfer.Chunk(c, s, 0, new byte[3]), "");
        AssertCode(40054, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "expiring.txt", policy_id = policy }), "Upload session existed");
        AssertCode(0, await c.DeleteAsync($"/file/upload/{s}"));
        AssertCode(0, await c.PutAsync("/file/upload", new { path = "/v", size = 3, name = "expiring.txt", policy_id = policy }));

        using var anon = NewClient();
        using var resp = await anon.SendAsync(HttpMethod.Get, url);
        AssertCode(40005, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement, "signature expired");
    }
}

public sealed class DownloadTests : SandboxTestBase
{
    private const string Special = "f a#b%c+d&e'f[g]h ünï 文.txt";

    [Fact]
    public async Task Download_url_headers_range_and_signature_errors()
    {
        using var c = await AdminAsync();
        var bytes = Encoding.UTF8.GetBytes("hello, world!\n");
        var id = await Transfer.UploadAsync(c, "/v", Special, bytes, 1700000000000);
        var r = await c.PutAsync($"/file/download/{id}", null);
        AssertCode(0, r);
        var url = r.GetProperty("data").GetString()!;
        var m = Regex.Match(url, "^/api/v3/file/download/([A-Za-z0-9]{16})\\?sign=([A-Za-z0-9_-]+%3D%3A\\d+)$");
        Assert.True(m.Success, url);

        using var anon = NewClient();
        using (var resp = await anon.SendAsync(HttpMethod.Get, url))
        {
            Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
            Assert.Equal(bytes, await resp.Content.ReadAsByteArrayAsync());
            Assert.Equal("public, max-age=86400", resp.Headers.NonValidated["Cache-Control"].ToString());
            Assert.Equal("bytes", resp.Headers.NonValidated["Accept-Ranges"].ToString());
            Assert.Equal("attachment; filename=\"f%20a%23b%25c+d&e%27f%5Bg%5Dh%20%C3%BCn%C3%AF%20%E6%96%87.txt\"", resp.Content.Headers.NonValidated["Content-Disposition"].ToString());
            Assert.Equal("text/plain; charset=utf-8", resp.Content.Headers.NonValidated["Content-Type"].ToString());
            Assert.Equal("Tue, 14 Nov 2023 22:13:20 GMT", resp.Content.Headers.NonValidated["Last-Modified"].ToString());
            var header = resp.Content.Headers.NonValidated["Content-Disposition"].ToString();
            var encoded = header[(header.IndexOf('"') + 1)..^1];
            Assert.Equal(Special, Uri.UnescapeDataString(encoded));
        }
        // reusable
        using (var again = await anon.SendAsync(HttpMethod.Get, url)) Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        using (var ranged = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/')))
        {
            ranged.Headers.Range = new RangeHeaderValue(6, 12);
            using var resp = await anon.Http.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, resp.StatusCode);
            Assert.Equal("bytes 6-12/14", resp.Content.Headers.NonValidated["Content-Range"].ToString());
            Assert.Equal(bytes[6..13], await resp.Content.ReadAsByteArrayAsync());
        }
        using (var suffix = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/')))
        {
            suffix.Headers.TryAddWithoutValidation("Range", "bytes=-3");
            using var resp = await anon.Http.SendAsync(suffix);
            Assert.Equal(HttpStatusCode.PartialContent, resp.StatusCode);
            Assert.Equal("bytes 11-13/14", resp.Content.Headers.NonValidated["Content-Range"].ToString());
        }
        using (var past = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/')))
        {
            past.Headers.TryAddWithoutValidation("Range", "bytes=100-200");
            using var resp = await anon.Http.SendAsync(past);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, resp.StatusCode);
            Assert.Equal("bytes */14", resp.Content.Headers.NonValidated["Content-Range"].ToString());
        }

        var key = m.Groups[1].Value;
        var tampered = url.Replace("sign=", "sign=X", StringComparison.Ordinal);
        using (var resp = await anon.SendAsync(HttpMethod.Get, tampered))
            AssertCode(40071, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement, "invalid sign");
        using (var resp = await anon.SendAsync(HttpMethod.Get, $"api/v3/file/download/{key}"))
            AssertCode(403, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement, "expire timestamp is missing");

        AssertCode(40001, await c.PutAsync("/file/download/XXXX", null), "Failed to parse object ID");
        var folderId = (await c.GetAsync("/directory/")).GetProperty("data").GetProperty("objects")[0].GetProperty("id").GetString();
        AssertCode(40001, await c.PutAsync($"/file/download/{folderId}", null), "Failed to parse object ID");
    }

    [Fact]
    public async Task Download_url_ttl_fault()
    {
        using var c = await AdminAsync();
        var id = await Transfer.UploadAsync(c, "/", "a.txt", [1, 2, 3]);
        Host.Faults = new FaultSettings { DownloadUrlTtlSeconds = 1 };
        var url = (await c.PutAsync($"/file/download/{id}", null)).GetProperty("data").GetString()!;
        var expiry = long.Parse(url[(url.LastIndexOf("%3A", StringComparison.Ordinal) + 3)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiry - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 2);
    }

    [Fact]
    public async Task Content_and_update()
    {
        using var c = await AdminAsync();
        var id = await Transfer.UploadAsync(c, "/", "note.txt", Encoding.UTF8.GetBytes("first"));
        using (var resp = await c.SendAsync(HttpMethod.Get, ApiPath($"/file/content/{id}")))
        {
            Assert.Equal("first", await resp.Content.ReadAsStringAsync());
            Assert.Equal("no-cache", resp.Headers.NonValidated["Cache-Control"].ToString());
            Assert.Equal("sandbox", resp.Headers.NonValidated["Content-Security-Policy"].ToString());
        }
        using (var put = await c.SendAsync(HttpMethod.Put, ApiPath($"/file/update/{id}"), new ByteArrayContent(Encoding.UTF8.GetBytes("second version"))))
            AssertCode(0, JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement);
        using (var resp = await c.SendAsync(HttpMethod.Get, ApiPath($"/file/content/{id}")))
            Assert.Equal("second version", await resp.Content.ReadAsStringAsync());
        Assert.Equal(14, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());

        using var other = await UserAsync();
        AssertCode(40016, await other.GetAsync($"/file/content/{id}"), "Object not exist");
        using (var put = await other.SendAsync(HttpMethod.Put, ApiPath($"/file/update/{id}"), new ByteArrayContent([1, 2, 3])))
            AssertCode(40044, JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement, "");
    }
}

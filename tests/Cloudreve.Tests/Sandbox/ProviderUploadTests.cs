using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

/// <summary>Provider-side requests go out without the Cloudreve cookie, as a browser would send them to another origin.</summary>
internal static class Provider
{
    public static readonly HttpClient Http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<HttpResponseMessage> PutFragment(string url, byte[] all, long start, long length)
    {
        var content = new ByteArrayContent(all, (int)start, (int)length);
        content.Headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, all.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await Http.PutAsync(url, content);
    }

    public static async Task<HttpResponseMessage> PutPart(string url, byte[] data) =>
        await Http.PutAsync(url, new ByteArrayContent(data));

    public static string CompleteXml(IEnumerable<(int Number, string ETag)> parts) =>
        "<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.Number}</PartNumber><ETag>{WebUtility.HtmlEncode(p.ETag)}</ETag></Part>")) + "</CompleteMultipartUpload>";

    public static async Task<HttpResponseMessage> Complete(string url, string xml) =>
        await Http.PostAsync(url, new StringContent(xml, Encoding.UTF8, "application/xhtml+xml"));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Callback(SandboxClient c, HttpMethod method, string path, string? json)
    {
        using var resp = await c.SendAsync(method, ApiPath(path), json == null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        return (resp.StatusCode, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static async Task<JsonElement> Session(SandboxClient c, string folder, string name, long size)
    {
        var pid = await Transfer.PolicyId(c);
        var s = await c.PutAsync("/file/upload", new { path = folder, size, name, policy_id = pid, last_modified = 1700000000000 });
        AssertCode(0, s);
        return s.GetProperty("data");
    }

    public static async Task<JsonElement?> Find(SandboxClient c, string folder, string name) =>
        (await c.GetAsync("/directory" + folder)).GetProperty("data").GetProperty("objects").EnumerateArray()
            .Where(o => o.GetProperty("name").GetString() == name).Select(o => (JsonElement?)o).FirstOrDefault();
}

public sealed class OneDriveUploadTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.PolicyType = "onedrive";
        options.ChunkSize = 1000;
    }

    [Fact]
    public async Task Graph_session_fragments_callback_and_download()
    {
        using var c = await UserAsync();
        var data = RandomNumberGenerator.GetBytes(2500);
        var s = await Provider.Session(c, "/od", "a.bin", data.Length);
        Assert.Equal(["sessionID", "chunkSize", "expires", "uploadURLs"], Keys(s));
        var url = s.GetProperty("uploadURLs")[0].GetString()!;
        Assert.StartsWith(Host.ProviderUri!.GetLeftPart(UriPartial.Authority) + "/", url);
        var sid = s.GetProperty("sessionID").GetString()!;

        AssertCode(40006, await Transfer.Chunk(c, sid, 0, data[..1000]));

        using (var r = await Provider.PutFragment(url, data, 0, 1000))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            Assert.Equal("1000-", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("nextExpectedRanges")[0].GetString());
        }
        using (var r = await Provider.PutFragment(url, data, 0, 1000))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, r.StatusCode);
            Assert.Contains("fragmentOverlap", await r.Content.ReadAsStringAsync());
        }
        using (var r = await Provider.PutFragment(url, data, 2000, 500))
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, r.StatusCode);
        using (var r = await Provider.Http.GetAsync(url))
            Assert.Equal("1000-", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("nextExpectedRanges")[0].GetString());
        using (var r = await Provider.PutFragment(url, data, 1000, 1000)) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        using (var r = await Provider.PutFragment(url, data, 2000, 500))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            var item = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(2500, item.GetProperty("size").GetInt64());
            Assert.Equal("a.bin", item.GetProperty("name").GetString());
        }
        Assert.Null(await Provider.Find(c, "/od", "a.bin"));

        using var anon = NewClient();
        var (status, body) = await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/" + sid, "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        AssertCode(0, body);
        (status, body) = await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/" + sid, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertCode(40011, body, "上传会话不存在或已过期");

        var file = (await Provider.Find(c, "/od", "a.bin"))!.Value;
        Assert.Equal(2500, file.GetProperty("size").GetInt64());
        Assert.Equal("2023-11-14T22:13:20Z", file.GetProperty("date").GetString());
        Assert.Equal(2500, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());

        var dl = (await c.PutAsync("/file/download/" + file.GetProperty("id").GetString(), null)).GetProperty("data").GetString()!;
        Assert.StartsWith(Host.ProviderUri!.GetLeftPart(UriPartial.Authority) + "/_provider/onedrive/", dl);
        Assert.Equal(data, await Provider.Http.GetByteArrayAsync(dl));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, dl);
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        using (var r = await Provider.Http.SendAsync(ranged))
        {
            Assert.Equal(HttpStatusCode.PartialContent, r.StatusCode);
            Assert.Equal(data[100..200], await r.Content.ReadAsByteArrayAsync());
        }
        using (var r = await Provider.Http.GetAsync(dl.Replace("tempauth=", "tempauth=x", StringComparison.Ordinal)))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal(data, await (await c.SendAsync(HttpMethod.Get, ApiPath("/file/content/" + file.GetProperty("id").GetString()))).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Callback_errors_consume_the_session()
    {
        using var c = await UserAsync();
        using var anon = NewClient();
        var (status, body) = await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/00000000-0000-0000-0000-000000000000", "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertCode(40011, body);

        var data = RandomNumberGenerator.GetBytes(1500);
        var s = await Provider.Session(c, "/", "b.bin", data.Length);
        var sid = s.GetProperty("sessionID").GetString()!;
        (status, body) = await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + sid, null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertCode(40006, body);
        // incomplete upload: the item does not exist yet → 50011, and the session is gone
        (status, body) = await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/" + sid, "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        AssertCode(50011, body);
        (status, body) = await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/" + sid, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertCode(0, await c.DeleteAsync("/file/upload/" + sid));

        s = await Provider.Session(c, "/", "c.bin", data.Length);
        sid = s.GetProperty("sessionID").GetString()!;
        (status, body) = await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/" + sid, null);
        AssertCode(40001, body, "Parameter error");
        using (var r = await Provider.PutFragment(s.GetProperty("uploadURLs")[0].GetString()!, data, 0, 1000))
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Single(System.IO.Directory.GetFiles(Host.DataFolder, "*.graph-upload", SearchOption.AllDirectories));
        AssertCode(0, await c.DeleteAsync("/file/upload/" + sid));
        Assert.Empty(System.IO.Directory.GetFiles(Host.DataFolder, "*.graph-upload", SearchOption.AllDirectories));
        using (var r = await Provider.PutFragment(s.GetProperty("uploadURLs")[0].GetString()!, data, 0, 1000))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }

    [Fact]
    public async Task Faults_apply_to_fragments()
    {
        using var c = await UserAsync();
        var data = RandomNumberGenerator.GetBytes(1500);
        var s = await Provider.Session(c, "/", "f.bin", data.Length);
        var url = s.GetProperty("uploadURLs")[0].GetString()!;
        Host.Faults = new FaultSettings { ChunkFailureRate = 1 };
        using (var r = await Provider.PutFragment(url, data, 0, 1000)) Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
        Host.Faults = new FaultSettings { DropConnectionRate = 1 };
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () => (await Provider.PutFragment(url, data, 0, 1000)).Dispose());
        Host.Faults = new FaultSettings();
        using (var r = await Provider.Http.GetAsync(url))
            Assert.Equal("0-", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("nextExpectedRanges")[0].GetString());
        using (var r = await Provider.PutFragment(url, data, 0, 1000)) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        using (var r = await Provider.PutFragment(url, data, 1000, 500)) Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        using var anon = NewClient();
        AssertCode(0, (await Provider.Callback(anon, HttpMethod.Post, "/callback/onedrive/finish/" + s.GetProperty("sessionID").GetString(), "{}")).Body);
    }
}

public sealed class S3UploadTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.PolicyType = "s3";
        options.ChunkSize = 1000;
        options.UserMaxStorage = 4000;
    }

    [Fact]
    public async Task Multipart_complete_callback_and_download()
    {
        using var c = await UserAsync();
        var data = RandomNumberGenerator.GetBytes(2500);
        var s = await Provider.Session(c, "/s3", "a b.bin", data.Length);
        Assert.Equal(["sessionID", "chunkSize", "expires", "uploadURLs", "uploadID", "completeURL"], Keys(s));
        var urls = s.GetProperty("uploadURLs").EnumerateArray().Select(u => u.GetString()!).ToList();
        Assert.Equal(3, urls.Count);
        var sid = s.GetProperty("sessionID").GetString()!;
        var complete = s.GetProperty("completeURL").GetString()!;

        var tags = new List<(int, string)>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await Provider.PutPart(urls[i], data[(i * 1000)..Math.Min(2500, (i + 1) * 1000)]);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            tags.Add((i + 1, r.Headers.ETag!.ToString()));
        }
        Assert.Matches("^\"[0-9a-f]{32}\"$", tags[0].Item2);
        using (var r = await Provider.PutPart(urls[0].Replace("X-Amz-Signature=", "X-Amz-Signature=0", StringComparison.Ordinal), data[..1000]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await r.Content.ReadAsStringAsync());
        }
        using (var r = await Provider.Complete(complete, "<nope"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("<Code>MalformedXML</Code>", await r.Content.ReadAsStringAsync());
        }
        using (var r = await Provider.Complete(complete, Provider.CompleteXml([tags[1], tags[0]])))
            Assert.Contains("<Code>InvalidPartOrder</Code>", await r.Content.ReadAsStringAsync());
        using (var r = await Provider.Complete(complete, Provider.CompleteXml([tags[0], (2, "\"0000\""), tags[2]])))
            Assert.Contains("<Code>InvalidPart</Code>", await r.Content.ReadAsStringAsync());
        using (var r = await Provider.Complete(complete, Provider.CompleteXml([.. tags, (4, "\"x\"")])))
            Assert.Contains("<Code>InvalidPart</Code>", await r.Content.ReadAsStringAsync());
        using (var r = await Provider.Complete(complete, Provider.CompleteXml(tags)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("<CompleteMultipartUploadResult", await r.Content.ReadAsStringAsync());
        }
        using (var r = await Provider.Complete(complete, Provider.CompleteXml(tags)))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Contains("<Code>NoSuchUpload</Code>", await r.Content.ReadAsStringAsync());
        }
        Assert.Null(await Provider.Find(c, "/s3", "a b.bin"));
        using var anon = NewClient();
        AssertCode(0, (await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + sid, null)).Body);
        var (status, body) = await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + sid, null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertCode(40011, body);

        var file = (await Provider.Find(c, "/s3", "a b.bin"))!.Value;
        var dl = (await c.PutAsync("/file/download/" + file.GetProperty("id").GetString(), null)).GetProperty("data").GetString()!;
        Assert.StartsWith(Host.ProviderUri!.GetLeftPart(UriPartial.Authority) + "/_provider/s3/", dl);
        Assert.Contains("response-content-disposition=", dl);
        using (var r = await Provider.Http.GetAsync(dl))
        {
            Assert.Equal(data, await r.Content.ReadAsByteArrayAsync());
            Assert.Equal("attachment; filename=\"a%20b.bin\"", r.Content.Headers.ContentDisposition!.ToString());
        }
        using var ranged = new HttpRequestMessage(HttpMethod.Get, dl);
        ranged.Headers.Range = new RangeHeaderValue(2400, null);
        using (var r = await Provider.Http.SendAsync(ranged))
        {
            Assert.Equal(HttpStatusCode.PartialContent, r.StatusCode);
            Assert.Equal(data[2400..], await r.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Size_mismatch_keeps_placeholder_and_quota_is_charged_at_callback()
    {
        using var c = await UserAsync();
        using var anon = NewClient();
        var data = RandomNumberGenerator.GetBytes(2500);
        var s = await Provider.Session(c, "/", "m.bin", data.Length);
        var sid = s.GetProperty("sessionID").GetString()!;
        using (var r = await Provider.PutPart(s.GetProperty("uploadURLs")[0].GetString()!, data[..1000]))
        {
            using var done = await Provider.Complete(s.GetProperty("completeURL").GetString()!, Provider.CompleteXml([(1, r.Headers.ETag!.ToString())]));
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }
        AssertCode(40055, (await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + sid, null)).Body);
        var pid = await Transfer.PolicyId(c);
        AssertCode(40054, await c.PutAsync("/file/upload", new { path = "/", size = 10, name = "m.bin", policy_id = pid }));
        // a part uploaded but never completed is dropped with the session
        using (var r = await Provider.PutPart((await Provider.Session(c, "/", "x.bin", 10)).GetProperty("uploadURLs")[0].GetString()!, new byte[10]))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.NotEmpty(System.IO.Directory.GetFiles(Host.DataFolder, "*.part*", SearchOption.AllDirectories));
        AssertCode(0, await c.DeleteAsync("/file/upload"));
        Assert.Empty(System.IO.Directory.GetFiles(Host.DataFolder, "*.part*", SearchOption.AllDirectories));
        AssertCode(40011, await c.DeleteAsync("/file/upload/" + sid));

        // Two sessions pass the quota check at creation (nothing is charged yet); the second callback fails with 40051.
        var s1 = await Provider.Session(c, "/", "q1.bin", data.Length);
        var s2 = await Provider.Session(c, "/", "q2.bin", data.Length);
        foreach (var sess in new[] { s1, s2 })
        {
            var urls = sess.GetProperty("uploadURLs").EnumerateArray().Select(u => u.GetString()!).ToList();
            var tags = new List<(int, string)>();
            for (var i = 0; i < urls.Count; i++)
            {
                using var r = await Provider.PutPart(urls[i], data[(i * 1000)..Math.Min(2500, (i + 1) * 1000)]);
                tags.Add((i + 1, r.Headers.ETag!.ToString()));
            }
            using var done = await Provider.Complete(sess.GetProperty("completeURL").GetString()!, Provider.CompleteXml(tags));
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }
        AssertCode(0, (await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + s1.GetProperty("sessionID").GetString(), null)).Body);
        AssertCode(40051, (await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + s2.GetProperty("sessionID").GetString(), null)).Body, "Insufficient capacity");
        Assert.Equal(2500, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Preview_and_source_links_redirect_to_presigned_urls()
    {
        using var c = await UserAsync();
        var data = Encoding.UTF8.GetBytes("preview me");
        var s = await Provider.Session(c, "/", "p.txt", data.Length);
        using (var r = await Provider.PutPart(s.GetProperty("uploadURLs")[0].GetString()!, data))
        using (var done = await Provider.Complete(s.GetProperty("completeURL").GetString()!, Provider.CompleteXml([(1, r.Headers.ETag!.ToString())])))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using var anon = NewClient();
        AssertCode(0, (await Provider.Callback(anon, HttpMethod.Get, "/callback/s3/" + s.GetProperty("sessionID").GetString(), null)).Body);
        var id = (await Provider.Find(c, "/", "p.txt"))!.Value.GetProperty("id").GetString()!;

        using (var preview = await c.SendAsync(HttpMethod.Get, ApiPath("/file/preview/" + id)))
        {
            Assert.Equal(HttpStatusCode.Found, preview.StatusCode);
            Assert.Equal("max-age=600", preview.Headers.CacheControl!.ToString());
            var location = preview.Headers.Location!.ToString();
            Assert.StartsWith(Host.ProviderUri!.GetLeftPart(UriPartial.Authority) + "/_provider/s3/", location);
            Assert.DoesNotContain("response-content-disposition", location);
            Assert.Equal(data, await Provider.Http.GetByteArrayAsync(location));
        }
        var link = (await c.PostAsync("/file/source", new { items = new[] { id } })).GetProperty("data")[0].GetProperty("url").GetString()!;
        using (var follow = await Provider.Http.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.Found, follow.StatusCode);
            Assert.Equal(data, await Provider.Http.GetByteArrayAsync(follow.Headers.Location!));
        }
    }

    [Fact]
    public async Task Concurrent_callbacks_finish_the_upload_exactly_once()
    {
        using var c = await UserAsync();
        var data = RandomNumberGenerator.GetBytes(500);
        var s = await Provider.Session(c, "/", "once.bin", data.Length);
        using (var r = await Provider.PutPart(s.GetProperty("uploadURLs")[0].GetString()!, data))
        using (var done = await Provider.Complete(s.GetProperty("completeURL").GetString()!, Provider.CompleteXml([(1, r.Headers.ETag!.ToString())])))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var sid = s.GetProperty("sessionID").GetString();
        var clients = Enumerable.Range(0, 8).Select(_ => NewClient()).ToList();
        var results = await Task.WhenAll(clients.Select(a => Provider.Callback(a, HttpMethod.Get, "/callback/s3/" + sid, null)));
        foreach (var a in clients) a.Dispose();
        Assert.Single(results, r => r.Status == HttpStatusCode.OK && Code(r.Body) == 0);
        Assert.Equal(7, results.Count(r => r.Status == HttpStatusCode.Unauthorized && Code(r.Body) == 40011));
        Assert.Equal(500, (await c.GetAsync("/user/storage")).GetProperty("data").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Faults_apply_to_parts()
    {
        using var c = await UserAsync();
        var s = await Provider.Session(c, "/", "f.bin", 10);
        var url = s.GetProperty("uploadURLs")[0].GetString()!;
        Host.Faults = new FaultSettings { ChunkFailureRate = 1 };
        using (var r = await Provider.PutPart(url, new byte[10]))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
            Assert.Contains("<Code>InternalError</Code>", await r.Content.ReadAsStringAsync());
        }
        Host.Faults = new FaultSettings { DropConnectionRate = 1 };
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () => (await Provider.PutPart(url, new byte[10])).Dispose());
        Host.Faults = new FaultSettings();
        using (var r = await Provider.PutPart(url, new byte[10])) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }
}

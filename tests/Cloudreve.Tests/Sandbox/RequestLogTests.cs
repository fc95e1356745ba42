using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Cloudreve.Sandbox;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

/// <summary>GET /_sandbox/requests: header names and values with secrets redacted, contentLength, origin; bounded.</summary>
public sealed class RequestLogTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.PolicyType = "onedrive";
        options.ChunkSize = 1000;
    }

    private async Task<List<JsonElement>> LogAsync(SandboxClient c) =>
        (await c.Http.GetFromJsonElementAsync("_sandbox/requests")).GetProperty("requests").EnumerateArray().ToList();

    [Fact]
    public async Task Headers_are_logged_with_cookie_and_authorization_redacted()
    {
        using var c = await UserAsync();
        var cookie = c.SessionCookie!;
        using (var clear = await c.SendAsync(HttpMethod.Delete, "_sandbox/requests")) Assert.Equal(HttpStatusCode.OK, clear.StatusCode);

        using (var msg = new HttpRequestMessage(HttpMethod.Get, "api/v3/user/storage"))
        {
            msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "top-secret-token");
            msg.Headers.Add("X-Probe", "visible");
            using var resp = await c.Http.SendAsync(msg);
            Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        }
        var data = RandomNumberGenerator.GetBytes(700);
        var s = await Provider.Session(c, "/", "f.bin", data.Length);
        using (var r = await Provider.PutFragment(s.GetProperty("uploadURLs")[0].GetString()!, data, 0, data.Length))
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);

        var raw = (await c.Http.GetFromJsonElementAsync("_sandbox/requests")).GetRawText();
        Assert.DoesNotContain(cookie, raw);
        Assert.DoesNotContain("top-secret-token", raw);

        var log = await LogAsync(c);
        var storage = log.Single(e => e.GetProperty("path").GetString() == "/api/v3/user/storage");
        Assert.Equal(["time", "method", "path", "query", "status", "origin", "contentLength", "headers"], Keys(storage));
        var h = storage.GetProperty("headers");
        Assert.Equal("<present>", h.GetProperty("Cookie").GetString());
        Assert.Equal("<redacted>", h.GetProperty("Authorization").GetString());
        Assert.Equal("visible", h.GetProperty("X-Probe").GetString());
        Assert.Equal("api", storage.GetProperty("origin").GetString());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("contentLength").ValueKind);
        Assert.Equal(200, storage.GetProperty("status").GetInt32());

        var fragment = log.Single(e => e.GetProperty("method").GetString() == "PUT" && e.GetProperty("path").GetString()!.StartsWith("/_provider/onedrive/", StringComparison.Ordinal));
        Assert.Equal("provider", fragment.GetProperty("origin").GetString());
        Assert.Equal(700, fragment.GetProperty("contentLength").GetInt64());
        Assert.False(fragment.GetProperty("headers").TryGetProperty("Cookie", out _));
        Assert.Equal("bytes 0-699/700", fragment.GetProperty("headers").GetProperty("Content-Range").GetString());
        Assert.False(fragment.GetProperty("headers").TryGetProperty("Transfer-Encoding", out _));
    }

    [Fact]
    public async Task Chunked_bodies_show_transfer_encoding_and_no_content_length()
    {
        using var c = await UserAsync();
        var s = await c.PutAsync("/file/upload", new { path = "/", size = 3, name = "x.bin", policy_id = await Transfer.PolicyId(c) });
        using var content = new StreamContent(new NonSeekable(new byte[3]));
        using var resp = await c.Http.PostAsync("api/v3/file/upload/whatever/0", content);
        var entry = (await LogAsync(c)).Last(e => e.GetProperty("path").GetString() == "/api/v3/file/upload/whatever/0");
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("contentLength").ValueKind);
        Assert.Equal("chunked", entry.GetProperty("headers").GetProperty("Transfer-Encoding").GetString());
    }

    [Fact]
    public void The_log_keeps_the_newest_entries_and_counts_the_dropped_ones()
    {
        var log = new RequestLog();
        var headers = new List<KeyValuePair<string, string>> { new("X-Long", new string('a', 10)) };
        for (var i = 0; i < RequestLog.Capacity + 5; i++)
            log.Add(new RequestLog.Entry(DateTime.UtcNow, "GET", "/p/" + i, "", 200, "api", null, headers));
        var json = log.ToJson();
        Assert.Equal(RequestLog.Capacity, (int)json["count"]!);
        Assert.Equal(5, (long)json["dropped"]!);
        Assert.Equal("/p/5", (string)json["requests"]![0]!["path"]!);
        Assert.Equal("<present>", RequestLog.Redact("cookie", "a=b"));
        Assert.Equal("", RequestLog.Redact("Cookie", ""));
        Assert.Equal("<redacted>", RequestLog.Redact("Proxy-Authorization", "Basic x"));
    }

    /// <summary>A stream of unknown length, so HttpClient sends it chunked.</summary>
    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

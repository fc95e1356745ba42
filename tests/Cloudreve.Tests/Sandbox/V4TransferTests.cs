using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Sandbox.V4;
using Xunit;

namespace Cloudreve.Tests.Sandbox;

/// <summary>The 4.18 sandbox's transfer pieces: name escaping, --entity-url-ttl, versions and URLs across a restart.</summary>
public sealed class V4TransferTests
{
    [Theory]
    [InlineData("big two.bin", "big%20two.bin")]
    [InlineData("a+b.txt", "a+b.txt")]
    [InlineData("ü+&'; x.txt", "%C3%BC+&%27%3B%20x.txt")] // v4 cap 381
    [InlineData("it's.txt", "it%27s.txt")]
    [InlineData("x,y=z@$:.txt", "x%2Cy=z@$:.txt")]
    public void Content_url_names_are_go_path_segments(string name, string expected) => Assert.Equal(expected, DownloadNames.PathSegment(name));

    [Theory]
    [InlineData("it's.txt", "attachment; filename=\"it's.txt\"")] // cap 383
    [InlineData("big two.bin", "attachment; filename=\"big two.bin\"")]
    [InlineData("日本語 ü.bin", "attachment; filename=\"___ _.bin\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E+%C3%BC.bin")] // cap 364
    [InlineData("ü+&'; x.txt", "attachment; filename=\"_+&'; x.txt\"; filename*=UTF-8''%C3%BC%2B%26%27%3B+x.txt")] // cap 382
    [InlineData("😀.txt", "attachment; filename=\"_.txt\"; filename*=UTF-8''%F0%9F%98%80.txt")]
    public void Content_disposition_follows_the_captures(string name, string expected) => Assert.Equal(expected, DownloadNames.Attachment(name));

    [Fact]
    public void S3_disposition_escapes_the_name_in_both_forms() =>
        Assert.Equal("attachment; filename=\"three%20chunks.bin\"; filename*=UTF-8''three%20chunks.bin", DownloadNames.S3Attachment("three chunks.bin")); // cap 571

    [Fact]
    public void Entity_url_ttl_option_parses_and_is_documented()
    {
        var r = CommandLine.Parse(["--server-version", "4.18.0", "--entity-url-ttl", "120"]);
        Assert.Null(r.Error);
        Assert.Equal(120, r.Options!.EntityUrlTtlSeconds);
        Assert.Equal(3600, new SandboxOptions().EntityUrlTtlSeconds);
        Assert.NotNull(CommandLine.Parse(["--entity-url-ttl", "0"]).Error);
        Assert.Contains("--entity-url-ttl <s>", CommandLine.Usage);
    }

    [Fact]
    public async Task Remote_policy_is_for_a_4_18_sandbox_only()
    {
        Assert.Contains("--server-version 4.18.0", CommandLine.Parse(["--policy", "remote"]).Error);
        Assert.Contains("--server-version 4.18.0", CommandLine.Parse(["--group", "Slave:remote"]).Error);
        var ok = CommandLine.Parse(["--server-version", "4.18.0", "--policy", "remote"]);
        Assert.Null(ok.Error);
        Assert.Equal("remote", ok.Options!.PolicyType);
        await Assert.ThrowsAsync<ArgumentException>(async () => await SandboxHost.StartAsync(new SandboxOptions { PolicyType = "remote" }));
    }

    private static async Task<JsonElement> Call(HttpClient http, HttpMethod method, string path, object? body, string? token)
    {
        using var msg = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body != null) msg.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (token != null) msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var resp = await http.SendAsync(msg);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> Login(HttpClient http)
    {
        var r = await Call(http, HttpMethod.Post, "/api/v4/session/token", new { email = "admin@cloudreve.local", password = "v4-transfer-1" }, null);
        return r.GetProperty("data").GetProperty("token").GetProperty("access_token").GetString()!;
    }

    private static async Task Upload(HttpClient http, string token, string uri, string text, string? entityType)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var s = await Call(http, HttpMethod.Put, "/api/v4/file/upload",
            entityType == null ? new { uri, size = bytes.Length } : new { uri, size = bytes.Length, entity_type = entityType }, token);
        Assert.Equal(0, s.GetProperty("code").GetInt32());
        using var chunk = new HttpRequestMessage(HttpMethod.Post, $"api/v4/file/upload/{s.GetProperty("data").GetProperty("session_id").GetString()}/0")
        {
            Content = new ByteArrayContent(bytes),
        };
        chunk.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var resp = await http.SendAsync(chunk);
        Assert.Equal("{\"code\":0,\"msg\":\"\"}", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_version_upload_survives_a_restart_with_its_entity_and_content()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloudreve-v4xfer-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = new SandboxOptions { DataFolder = folder, AdminPassword = "v4-transfer-1", ServerVersion = ServerVersions.V4 };
            const string uri = "cloudreve://my/keep/v.txt";
            string entity, oldUrl;
            await using (var host = await SandboxHost.StartAsync(options))
            {
                using var http = new HttpClient { BaseAddress = host.BaseUri };
                var token = await Login(http);
                await Upload(http, token, uri, "first", null);
                var first = await Call(http, HttpMethod.Get, "/api/v4/file/info?uri=" + Uri.EscapeDataString(uri), null, token);
                oldUrl = (await Call(http, HttpMethod.Post, "/api/v4/file/url", new { uris = new[] { uri }, download = true }, token))
                    .GetProperty("data").GetProperty("urls")[0].GetProperty("url").GetString()!;
                await Upload(http, token, uri, "second!", "version");
                var info = await Call(http, HttpMethod.Get, "/api/v4/file/info?uri=" + Uri.EscapeDataString(uri), null, token);
                entity = info.GetProperty("data").GetProperty("primary_entity").GetString()!;
                Assert.NotEqual(first.GetProperty("data").GetProperty("primary_entity").GetString(), entity);
                Assert.Equal(first.GetProperty("data").GetProperty("id").GetString(), info.GetProperty("data").GetProperty("id").GetString());
            }
            await using (var host = await SandboxHost.StartAsync(options))
            {
                using var http = new HttpClient { BaseAddress = host.BaseUri };
                var token = await Login(http);
                var info = await Call(http, HttpMethod.Get, "/api/v4/file/info?uri=" + Uri.EscapeDataString(uri), null, token);
                Assert.Equal(entity, info.GetProperty("data").GetProperty("primary_entity").GetString());
                var url = (await Call(http, HttpMethod.Post, "/api/v4/file/url", new { uris = new[] { uri }, download = true }, token))
                    .GetProperty("data").GetProperty("urls")[0].GetProperty("url").GetString()!;
                using var anon = new HttpClient();
                Assert.Equal("second!", await anon.GetStringAsync(url));
                Assert.Contains($"/content/{entity}/0/v.txt?", url, StringComparison.Ordinal);
                // The first content's entity is gone with it (version retention is off): its old URL finds nothing.
                var old = JsonDocument.Parse(await anon.GetStringAsync(new Uri(host.BaseUri, new Uri(oldUrl).PathAndQuery))).RootElement;
                Assert.Equal(40077, old.GetProperty("code").GetInt32());
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Net;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Sandbox;

/// <summary>--server-version: a sandbox plays exactly one Cloudreve generation (v4 reference section 3, cap 100-103).</summary>
public sealed class VersionSwitchTests
{
    private static async Task<(HttpStatusCode Status, string ContentType, string Body)> Get(Uri baseUri, string path)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        using var resp = await http.GetAsync(path.TrimStart('/'));
        return (resp.StatusCode, resp.Content.Headers.ContentType?.ToString() ?? "", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_4_18_sandbox_answers_v4_ping_and_404s_the_v3_routes()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { ServerVersion = ServerVersions.V4 });
        Assert.Equal("4.18.0", host.ServerVersion);
        var v4 = await Get(host.BaseUri, "/api/v4/site/ping");
        Assert.Equal(HttpStatusCode.OK, v4.Status);
        using (var doc = JsonDocument.Parse(v4.Body))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("code").GetInt32());
            Assert.Equal("4.18.0", doc.RootElement.GetProperty("data").GetString());
        }
        foreach (var path in new[] { "/api/v3/site/ping", "/api/v3/user/session", "/api/v3/directory/" })
        {
            var v3 = await Get(host.BaseUri, path);
            Assert.Equal(HttpStatusCode.NotFound, v3.Status);
            Assert.Equal("text/plain", v3.ContentType);
            Assert.Equal("404 page not found", v3.Body);
        }
    }

    [Fact]
    public async Task A_3_8_3_sandbox_is_the_default_and_404s_the_v4_routes()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions());
        Assert.Equal("3.8.3", host.ServerVersion);
        var v3 = await Get(host.BaseUri, "/api/v3/site/ping");
        Assert.Equal(HttpStatusCode.OK, v3.Status);
        Assert.Contains("\"3.8.3\"", v3.Body, StringComparison.Ordinal);
        foreach (var path in new[] { "/api/v4/site/ping", "/api/v4/user/me", "/api/v4/file?uri=cloudreve%3A%2F%2Fmy%2F" })
        {
            var v4 = await Get(host.BaseUri, path);
            Assert.Equal(HttpStatusCode.NotFound, v4.Status);
            Assert.Equal("text/plain", v4.ContentType);
            Assert.Equal("404 page not found", v4.Body);
        }
    }

    [Fact]
    public async Task Control_routes_work_in_both_generations()
    {
        foreach (var version in ServerVersions.All)
        {
            await using var host = await SandboxHost.StartAsync(new SandboxOptions { ServerVersion = version });
            var faults = await Get(host.BaseUri, "/_sandbox/faults");
            Assert.Equal(HttpStatusCode.OK, faults.Status);
            Assert.Contains("chunkFailureRate", faults.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Command_line_parses_the_version_and_the_v4_options()
    {
        var o = CommandLine.Parse(["--server-version", "4.18.0", "--access-token-ttl", "5", "--page-size-limit", "50", "--list-pagination", "page"]).Options!;
        Assert.True(o.IsV4);
        Assert.Equal(5, o.AccessTokenTtlSeconds);
        Assert.Equal(50, o.PageSizeLimit);
        Assert.False(o.CursorPagination);
        Assert.Equal("3.8.3", CommandLine.Parse([]).Options!.ServerVersion);
        Assert.NotNull(CommandLine.Parse(["--server-version", "4.0"]).Error);
        Assert.NotNull(CommandLine.Parse(["--list-pagination", "pages"]).Error);
        Assert.NotNull(CommandLine.Parse(["--access-token-ttl", "0"]).Error);
    }
}

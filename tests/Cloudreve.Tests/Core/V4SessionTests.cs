using System.Collections.Concurrent;
using System.Management.Automation;
using System.Text.Json;
using Cloudreve.Api.V3;
using Cloudreve.Api.V4;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Core;

/// <summary>
/// The v4 adapter's token login against a 4.18 sandbox over loopback HTTP: refresh ahead of expiry, once
/// after a 401, a new login when the refresh token is gone, one renewal for concurrent requests, and
/// generation detection.
/// </summary>
public sealed class V4SessionTests
{
    private const string Email = "dora@example.com";
    private const string Password = "Dora-pass-123";

    private static async Task<SandboxHost> StartAsync(int accessTtl = 3600)
    {
        var options = new SandboxOptions { AdminPassword = "Admin-pass-123", ServerVersion = ServerVersions.V4, AccessTokenTtlSeconds = accessTtl };
        options.Users.Add(new SandboxUser(Email, Password));
        return await SandboxHost.StartAsync(options);
    }

    private static async Task<(V4Backend Backend, CloudreveSession Session)> ConnectAsync(SandboxHost host)
    {
        var backend = Assert.IsType<V4Backend>(await CloudreveConnector.CreateBackendAsync(host.BaseUri, false, CancellationToken.None));
        var site = await backend.GetSiteInfoAsync(CancellationToken.None);
        var credential = new PSCredential(Email, Internal.Secrets.Protect(Password));
        var outcome = await backend.LoginAsync(Email, credential.Password, CancellationToken.None);
        Assert.False(outcome.SecondFactorRequired);
        return (backend, CloudreveConnector.CreateSession(backend, outcome.User!, site, credential, null));
    }

    private static async Task<List<string>> ApiRequestsAsync(SandboxHost host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("_sandbox/requests"));
        return doc.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => r.GetProperty("method").GetString() + " " + r.GetProperty("path").GetString())
            .Where(r => r.Contains("/api/")).ToList();
    }

    private static async Task ClearAsync(SandboxHost host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        using var _ = await http.DeleteAsync("_sandbox/requests");
    }

    [Fact]
    public async Task DetectsEachGenerationByItsPing()
    {
        await using var v4 = await StartAsync();
        await using var v3 = await SandboxHost.StartAsync(new SandboxOptions { AdminPassword = "Admin-pass-123" });
        using (var backend = await CloudreveConnector.CreateBackendAsync(v4.BaseUri, false, CancellationToken.None))
        {
            Assert.IsType<V4Backend>(backend);
            Assert.Equal("4.18.0", await backend.GetServerVersionAsync(CancellationToken.None));
        }

        using (var backend = await CloudreveConnector.CreateBackendAsync(v3.BaseUri, false, CancellationToken.None))
        {
            Assert.IsType<V3Backend>(backend);
            Assert.Equal("3.8.3", await backend.GetServerVersionAsync(CancellationToken.None));
        }

        // Something that answers, but not as Cloudreve: 404 on both pings.
        using var other = new Transfers.RecordingHttpServer(_ => new Transfers.CannedResponse(404, "404 page not found", "text/plain"));
        using var none = await CloudreveConnector.CreateBackendAsync(other.BaseUri, false, CancellationToken.None);
        var error = await Assert.ThrowsAsync<CloudreveException>(() => none.GetServerVersionAsync(CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.NotACloudreveServer, error.Kind);
        Assert.Equal(new[] { "/api/v4/site/ping", "/api/v3/site/ping" }, other.All.Select(r => r.PathAndQuery));
    }

    [Theory]
    [InlineData("4.18.0", "4.18.0")]
    [InlineData("4.1.0-pro", "4.1.0-pro")]
    [InlineData("3.8.3", null)]
    [InlineData("not a version", null)]
    public void ReadsTheVersionOfAV4Ping(string data, string? expected)
    {
        var envelope = Api.ApiEnvelope.Parse(System.Text.Encoding.UTF8.GetBytes($"{{\"code\":0,\"data\":\"{data}\",\"msg\":\"\"}}"));
        Assert.Equal(expected, V4Backend.ReadPingVersion(envelope));
    }

    [Fact]
    public async Task RefreshesTheAccessTokenBeforeItExpires()
    {
        await using var host = await StartAsync(accessTtl: 4);
        var (backend, _) = await ConnectAsync(host);
        using var _b = backend;
        var first = backend.Transport.Tokens.Current!;
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // less than half of the 4 s lifetime is left
        await ClearAsync(host);

        await backend.GetQuotaAsync(CancellationToken.None);

        Assert.Equal(new[] { "POST /api/v4/session/token/refresh", "GET /api/v4/user/capacity" }, await ApiRequestsAsync(host));
        Assert.True(backend.Transport.Tokens.Current!.AccessExpires > first.AccessExpires);
    }

    [Fact]
    public async Task RefreshesOnceAfterA401AndRepeatsTheRequest()
    {
        await using var host = await StartAsync(accessTtl: 2);
        var (backend, _) = await ConnectAsync(host);
        using var _b = backend;
        var received = DateTimeOffset.UtcNow;
        backend.Clock = () => received; // the client believes the token is fresh; the server has let it expire
        await Task.Delay(TimeSpan.FromSeconds(3));
        await ClearAsync(host);

        var quota = await backend.GetQuotaAsync(CancellationToken.None);

        Assert.True(quota.Total > 0);
        Assert.Equal(new[] { "GET /api/v4/user/capacity", "POST /api/v4/session/token/refresh", "GET /api/v4/user/capacity" }, await ApiRequestsAsync(host));
    }

    [Fact]
    public async Task LogsInAgainOnceForConcurrentRequestsWhenTheRefreshTokenIsGone()
    {
        await using var host = await StartAsync();
        var (backend, session) = await ConnectAsync(host);
        using var _b = backend;
        Assert.True(host.ExpireSessions() > 0); // revokes every access and refresh token
        await ClearAsync(host);

        var quotas = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => backend.GetQuotaAsync(CancellationToken.None))));

        Assert.All(quotas, q => Assert.True(q.Total > 0));
        var requests = await ApiRequestsAsync(host);
        Assert.Equal(1, requests.Count(r => r == "POST /api/v4/session/token"));
        Assert.Equal(1, requests.Count(r => r == "POST /api/v4/session/token/refresh"));
        Assert.Equal(Email, session.UserName);
    }

    [Fact]
    public async Task WithoutAStoredCredentialAnExpiredLoginIsSessionExpired()
    {
        await using var host = await StartAsync();
        using var backend = await CloudreveConnector.CreateBackendAsync(host.BaseUri, false, CancellationToken.None);
        await backend.LoginAsync(Email, Internal.Secrets.Protect(Password), CancellationToken.None);
        host.ExpireSessions();

        var error = await Assert.ThrowsAsync<CloudreveException>(() => backend.GetQuotaAsync(CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.SessionExpired, error.Kind);
        Assert.Null(await backend.GetCurrentUserAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LogoutRevokesTheRefreshToken()
    {
        await using var host = await StartAsync();
        var (backend, _) = await ConnectAsync(host);
        using var _b = backend;
        var tokens = backend.Transport.Tokens.Current!;
        await backend.LogoutAsync(CancellationToken.None);
        Assert.Null(backend.Transport.Tokens.Current);

        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUri, "api/v4/") };
        using var reply = await http.PostAsync("session/token/refresh", new StringContent(JsonSerializer.Serialize(new { refresh_token = tokens.RefreshToken }), System.Text.Encoding.UTF8, "application/json"));
        using var doc = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        Assert.Equal(40020, doc.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task TokensNeverAppearInTheTransportLog()
    {
        await using var host = await StartAsync(accessTtl: 2);
        var lines = new ConcurrentQueue<string>();
        var seen = new List<BearerTokens>();
        using (TransportLog.Capture(lines.Enqueue))
        {
            var (backend, _) = await ConnectAsync(host);
            using var _b = backend;
            seen.Add(backend.Transport.Tokens.Current!);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await backend.ListAsync("/", CancellationToken.None); // refreshes first
            seen.Add(backend.Transport.Tokens.Current!);
            host.ExpireSessions();
            await backend.GetQuotaAsync(CancellationToken.None); // logs in again
            seen.Add(backend.Transport.Tokens.Current!);
        }

        Assert.Contains(lines, l => l.Contains("Refreshing the access token"));
        Assert.Contains(lines, l => l.Contains("logging in again"));
        foreach (var tokens in seen)
        {
            Assert.DoesNotContain(lines, l => l.Contains(tokens.AccessToken) || l.Contains(tokens.RefreshToken));
            Assert.DoesNotContain(tokens.AccessToken, tokens.ToString());
        }
    }

    [Fact]
    public async Task TheBearerTokenGoesOnlyToMarkedRequestsForTheApiOrigin()
    {
        using var api = new Transfers.RecordingHttpServer(_ => new Transfers.CannedResponse(200, "{\"code\":0}"));
        using var storage = new Transfers.RecordingHttpServer(_ => new Transfers.CannedResponse(200, "{\"code\":0}"));
        using var transport = new CloudreveTransport(new TransportOptions(api.BaseUri));
        var tokens = new BearerTokens("access-token-value", "refresh-token-value", DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow);
        transport.Tokens.Set(tokens);

        async Task Send(Uri url, bool mark, bool copyToken = false)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (mark) BearerTokenHandler.Authorize(request);
            if (copyToken) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            using var _ = await transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, null, CancellationToken.None);
        }

        await Send(new Uri(api.BaseUri, "api/v4/user/me"), mark: true);
        await Send(new Uri(api.BaseUri, "api/v4/file/content/x?sign=abc"), mark: false); // a signed URL on the API origin
        await Send(new Uri(storage.BaseUri, "bucket/object"), mark: true); // marked by mistake, other origin
        await Send(new Uri(storage.BaseUri, "bucket/object2"), mark: false, copyToken: true); // a caller copied the token

        var apiRequests = api.All;
        Assert.Equal("Bearer access-token-value", apiRequests.Single(r => r.PathAndQuery == "/api/v4/user/me").Header("Authorization"));
        Assert.Null(apiRequests.Single(r => r.PathAndQuery.StartsWith("/api/v4/file/content")).Header("Authorization"));
        Assert.All(storage.All, r => Assert.Null(r.Header("Authorization")));
        Assert.Equal(2, storage.All.Count);
    }

    [Fact]
    public async Task ALoginCaptchaIsReportedAsLoginCaptchaRequired()
    {
        var options = new SandboxOptions { AdminPassword = "Admin-pass-123", ServerVersion = ServerVersions.V4, LoginCaptcha = true };
        options.Users.Add(new SandboxUser(Email, Password));
        await using var host = await SandboxHost.StartAsync(options);
        using var backend = Assert.IsType<V4Backend>(await CloudreveConnector.CreateBackendAsync(host.BaseUri, false, CancellationToken.None));

        Assert.True((await backend.GetSiteInfoAsync(CancellationToken.None)).LoginCaptcha); // login_captcha of /site/config/login
        // A login sent anyway meets the captcha middleware: 40026 "CAPTCHA not match." (Cloudreve 4.18 middleware/captcha.go).
        var error = await Assert.ThrowsAsync<CloudreveException>(() => backend.LoginAsync(Email, Internal.Secrets.Protect(Password), CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.LoginCaptchaRequired, error.Kind);
        Assert.Equal(40026, error.ServerCode);
        Assert.DoesNotContain(Password, error.Message);
        Assert.Null(backend.Transport.Tokens.Current);
    }
}

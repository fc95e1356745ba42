using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Sandbox;

/// <summary>
/// The 4.18 sandbox over HTTP: the login captcha as Cloudreve 4.18 reports it (login_captcha, GET /site/captcha, 40026),
/// and the control routes POST /_sandbox/sessions/expire-access and GET /_sandbox/sessions.
/// </summary>
public sealed class V4SessionControlTests
{
    private const string Password = "v4-session-1";

    private static Task<SandboxHost> StartAsync(bool captcha = false) =>
        SandboxHost.StartAsync(new SandboxOptions { AdminPassword = Password, ServerVersion = ServerVersions.V4, LoginCaptcha = captcha });

    private static async Task<JsonElement> Call(HttpClient http, HttpMethod method, string path, object? body = null, string? token = null, string? raw = null)
    {
        using var msg = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body != null) msg.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (raw != null) msg.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        if (token != null) msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var resp = await http.SendAsync(msg);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static int Code(JsonElement e) => e.GetProperty("code").GetInt32();

    private static Task<JsonElement> Login(HttpClient http) =>
        Call(http, HttpMethod.Post, "/api/v4/session/token", new { email = "admin@cloudreve.local", password = Password });

    [Fact]
    public async Task A_login_captcha_is_announced_and_enforced_before_the_password_is_checked()
    {
        await using var host = await StartAsync(captcha: true);
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        Assert.True((await Call(http, HttpMethod.Get, "/api/v4/site/config/login")).GetProperty("data").GetProperty("login_captcha").GetBoolean());

        var refused = await Login(http);
        Assert.Equal((40026, "CAPTCHA not match."), (Code(refused), refused.GetProperty("msg").GetString()));
        Assert.True(refused.TryGetProperty("correlation_id", out _));
        Assert.Equal(40026, Code(await Call(http, HttpMethod.Post, "/api/v4/session/token", raw: "not json")));

        var image = (await Call(http, HttpMethod.Get, "/api/v4/site/captcha")).GetProperty("data");
        Assert.StartsWith("data:image/png;base64,", image.GetProperty("image").GetString());
        var ticket = image.GetProperty("ticket").GetString();
        Assert.Equal(40026, Code(await Call(http, HttpMethod.Post, "/api/v4/session/token", new { email = "admin@cloudreve.local", password = Password, captcha = "nope", ticket })));
    }

    [Fact]
    public async Task Without_the_captcha_option_login_config_has_no_captcha_flag()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        Assert.False((await Call(http, HttpMethod.Get, "/api/v4/site/config/login")).GetProperty("data").TryGetProperty("login_captcha", out _)); // cap 461
        Assert.Equal(0, Code(await Login(http)));
    }

    [Fact]
    public async Task Expire_access_kills_older_access_tokens_but_not_refresh_tokens()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        var token = (await Login(http)).GetProperty("data").GetProperty("token");
        var access = token.GetProperty("access_token").GetString();
        var refresh = token.GetProperty("refresh_token").GetString();
        Assert.Equal(0, Code(await Call(http, HttpMethod.Get, "/api/v4/user/me", token: access)));

        await Task.Delay(1100); // only tokens issued before the current second expire
        Assert.True((await Call(http, HttpMethod.Post, "/_sandbox/sessions/expire-access")).GetProperty("expired").GetBoolean());
        Assert.Equal(401, Code(await Call(http, HttpMethod.Get, "/api/v4/user/me", token: access)));

        var renewed = await Call(http, HttpMethod.Post, "/api/v4/session/token/refresh", new { refresh_token = refresh });
        Assert.Equal(0, Code(renewed));
        Assert.Equal(0, Code(await Call(http, HttpMethod.Get, "/api/v4/user/me", token: renewed.GetProperty("data").GetProperty("access_token").GetString())));
    }

    [Fact]
    public async Task Sessions_counts_login_families_until_sign_out()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        async Task<int> Families() => (await Call(http, HttpMethod.Get, "/_sandbox/sessions")).GetProperty("tokenFamilies").GetInt32();
        var before = await Families();
        var refresh = (await Login(http)).GetProperty("data").GetProperty("token").GetProperty("refresh_token").GetString();
        Assert.Equal(before + 1, await Families());
        Assert.Equal(0, Code(await Call(http, HttpMethod.Post, "/api/v4/session/token/refresh", new { refresh_token = refresh })));
        Assert.Equal(before + 1, await Families()); // a refresh keeps the family
        Assert.Equal(0, Code(await Call(http, HttpMethod.Delete, "/api/v4/session/token", new { refresh_token = refresh })));
        Assert.Equal(before, await Families());
    }

    [Fact]
    public async Task Expire_access_is_refused_by_a_3_8_3_sandbox()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { AdminPassword = Password });
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        using var resp = await http.PostAsync("_sandbox/sessions/expire-access", null);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
    }
}

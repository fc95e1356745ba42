using Xunit;
using System.Net;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class SiteTests : SandboxTestBase
{
    [Fact]
    public async Task Ping_returns_version_with_exact_body()
    {
        using var c = NewClient();
        using var resp = await c.SendAsync(HttpMethod.Get, ApiPath("/site/ping"));
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("private, no-cache", resp.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("{\"code\":0,\"data\":\"3.8.3\",\"msg\":\"\"}", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Config_anonymous_has_all_fields_and_anonymous_user()
    {
        using var c = NewClient();
        using var resp = await c.SendAsync(HttpMethod.Get, ApiPath("/site/config"));
        var setCookie = Assert.Single(resp.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("cloudreve-session=", setCookie);
        Assert.Contains("; Path=/;", setCookie);
        Assert.Contains("Max-Age=5184000", setCookie);
        Assert.EndsWith("HttpOnly", setCookie);

        var r = System.Text.Json.JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        AssertCode(0, r);
        var d = r.GetProperty("data");
        Assert.Equal(
            ["title", "loginCaptcha", "regCaptcha", "forgetCaptcha", "emailActive", "themes", "defaultTheme", "home_view_method",
             "share_view_method", "authn", "user", "captcha_ReCaptchaKey", "captcha_type", "tcaptcha_captcha_app_id",
             "registerEnabled", "app_promotion", "wopi_exts"],
            Keys(d));
        Assert.False(d.GetProperty("loginCaptcha").GetBoolean());
        Assert.Equal("normal", d.GetProperty("captcha_type").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, d.GetProperty("wopi_exts").ValueKind);
        var user = d.GetProperty("user");
        Assert.True(user.GetProperty("anonymous").GetBoolean());
        Assert.NotEqual("", user.GetProperty("id").GetString());
        Assert.Equal("", user.GetProperty("user_name").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", user.GetProperty("created_at").GetString());
        var g = user.GetProperty("group");
        Assert.Equal(0, g.GetProperty("id").GetInt32());
        Assert.Equal("Anonymous", g.GetProperty("name").GetString());
        Assert.True(g.GetProperty("shareDownload").GetBoolean());
        Assert.False(g.GetProperty("allowShare").GetBoolean());
        Assert.Equal(0, user.GetProperty("tags").GetArrayLength());
        // themes is JSON text
        System.Text.Json.JsonDocument.Parse(d.GetProperty("themes").GetString()!);
    }

    [Fact]
    public async Task Config_logged_in_shows_user_and_refreshes_cookie()
    {
        using var c = await AdminAsync();
        var before = c.SessionCookie;
        using var resp = await c.SendAsync(HttpMethod.Get, ApiPath("/site/config"));
        Assert.Contains(resp.Headers.GetValues("Set-Cookie"), v => v.StartsWith("cloudreve-session=", StringComparison.Ordinal));
        Assert.Equal(before, c.SessionCookie);
        var r = System.Text.Json.JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        var user = r.GetProperty("data").GetProperty("user");
        Assert.False(user.GetProperty("anonymous").GetBoolean());
        Assert.Equal(Host.AdminEmail, user.GetProperty("user_name").GetString());
        Assert.Equal(1, user.GetProperty("group").GetProperty("id").GetInt32());
        Assert.Equal("Admin", user.GetProperty("group").GetProperty("name").GetString());
        Assert.Equal(1000, user.GetProperty("group").GetProperty("sourceBatch").GetInt32());
    }

    [Fact]
    public async Task Captcha_returns_png_data_url()
    {
        using var c = NewClient();
        var r = await c.GetAsync("/site/captcha");
        AssertCode(0, r);
        var url = r.GetProperty("data").GetString()!;
        Assert.StartsWith("data:image/png;base64,", url);
        var png = Convert.FromBase64String(url["data:image/png;base64,".Length..]);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.NotNull(c.SessionCookie);
    }

    [Fact]
    public async Task Manifest_is_plain_json()
    {
        using var c = NewClient();
        using var resp = await c.SendAsync(HttpMethod.Get, "/manifest.json");
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        var r = System.Text.Json.JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        Assert.False(r.TryGetProperty("code", out _));
        Assert.Equal("Cloudreve", r.GetProperty("short_name").GetString());
        Assert.Equal(3, r.GetProperty("icons").GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/no/such/route")]
    [InlineData("POST", "/api/v3/site/ping")]
    [InlineData("GET", "/api/v3/nope")]
    public async Task Unknown_route_or_wrong_method_is_text_404(string method, string path)
    {
        using var c = NewClient();
        using var resp = await c.SendAsync(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
        Assert.Equal("text/plain", resp.Content.Headers.ContentType?.ToString());
        Assert.Equal("404 page not found", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Malformed_percent_escape_is_text_400()
    {
        var raw = await RawHttp.SendAsync(Host.BaseUri, "GET /api/v3/directory/b%zz HTTP/1.1");
        Assert.StartsWith("HTTP/1.1 400", raw);
        Assert.EndsWith("\r\n\r\n400 Bad Request", raw);
    }

    [Fact]
    public async Task Trailing_slash_on_logout_redirects_307()
    {
        using var c = await AdminAsync();
        using var resp = await c.SendAsync(HttpMethod.Delete, "/api/v3/user/session/");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, resp.StatusCode);
        Assert.Equal("/api/v3/user/session", resp.Headers.Location?.OriginalString);
    }
}

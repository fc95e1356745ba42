using Xunit;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using OtpNet;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class AuthTests : SandboxTestBase
{
    private const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private const string TotpUser = "totp@example.com";

    protected override void Configure(SandboxOptions options)
    {
        options.Users.Add(new SandboxUser(TotpUser, "totp-pass-1", "User", TotpSecret));
        options.Users.Add(new SandboxUser("banned@example.com", "banned-pass"));
    }

    private static string CodeNow() => new Totp(Base32Encoding.ToBytes(TotpSecret)).ComputeTotp(DateTime.UtcNow);

    private static string WrongCode()
    {
        var good = new Totp(Base32Encoding.ToBytes(TotpSecret));
        var now = DateTime.UtcNow;
        var valid = new[] { good.ComputeTotp(now.AddSeconds(-30)), good.ComputeTotp(now), good.ComputeTotp(now.AddSeconds(30)), good.ComputeTotp(now.AddSeconds(60)) };
        for (var i = 0; ; i++)
        {
            var candidate = i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!valid.Contains(candidate)) return candidate;
        }
    }

    [Fact]
    public async Task Login_ok_returns_user_object_in_reference_order()
    {
        using var c = NewClient();
        var r = await c.LoginAsync(Host.AdminEmail, AdminPassword);
        AssertCode(0, r, "");
        var d = r.GetProperty("data");
        Assert.Equal(["id", "user_name", "nickname", "status", "avatar", "created_at", "preferred_theme", "anonymous", "group", "tags"], Keys(d));
        Assert.Equal(["id", "name", "allowShare", "allowRemoteDownload", "allowArchiveDownload", "shareDownload", "compress", "webdav", "sourceBatch", "advanceDelete", "allowWebDAVProxy"],
            Keys(d.GetProperty("group")));
        Assert.Equal("admin", d.GetProperty("nickname").GetString());
        Assert.EndsWith("Z", d.GetProperty("created_at").GetString());
        Assert.NotNull(c.SessionCookie);

        var me = await c.GetAsync("/user/me");
        AssertCode(0, me);
        Assert.Equal(d.GetProperty("id").GetString(), me.GetProperty("data").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Login_second_user_is_in_user_group()
    {
        using var c = NewClient();
        var r = await c.LoginAsync(UserEmail, UserPassword);
        AssertCode(0, r);
        var g = r.GetProperty("data").GetProperty("group");
        Assert.Equal(2, g.GetProperty("id").GetInt32());
        Assert.Equal("User", g.GetProperty("name").GetString());
        Assert.Equal(10, g.GetProperty("sourceBatch").GetInt32());
        Assert.Equal("user", r.GetProperty("data").GetProperty("nickname").GetString());
    }

    [Fact]
    public async Task Login_wrong_password_and_unknown_email_give_40020()
    {
        using var c = NewClient();
        AssertCode(40020, await c.LoginAsync(Host.AdminEmail, "wrong-password"), "Wrong password or email address");
        AssertCode(40020, await c.LoginAsync("nobody@example.com", "whatever"), "Wrong password or email address");
        AssertCode(401, await c.GetAsync("/user/me"), "Login required");
    }

    [Fact]
    public async Task Login_validation_messages()
    {
        using var c = NewClient();
        AssertCode(40001, await c.PostAsync("/user/session", new { userName = "admin", Password = "whatever" }), "Email format error");
        AssertCode(40001, await c.PostAsync("/user/session", new { userName = "a@b.c", Password = "abc" }), "Password too short");
        AssertCode(40001, await c.PostAsync("/user/session", new { Password = "abcdef" }), "Email cannot be empty");
        AssertCode(40001, await c.PostAsync("/user/session", "userName=a%40b.c&Password=abcdef"), "Parameter error");
        AssertCode(40001, await c.PostAsync("/user/session", "{\"userName\":1,\"Password\":\"abcdef\"}"), "JSON marshall error");
    }

    [Fact]
    public async Task Login_keys_are_case_insensitive()
    {
        using var c = NewClient();
        var r = await c.PostAsync("/user/session", $"{{\"USERNAME\":\"{Host.AdminEmail}\",\"password\":\"{AdminPassword}\"}}");
        AssertCode(0, r);
    }

    [Fact]
    public async Task Banned_user_gets_40017()
    {
        // Ban directly through the database file is not public; use the admin route when present, else skip via status update.
        await using var _ = Host;
        var dbPath = Path.Combine(Host.DataFolder, "cloudreve.db");
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dbPath};Pooling=false"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "UPDATE users SET status=2 WHERE email='banned@example.com'";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        using var c = NewClient();
        AssertCode(40017, await c.LoginAsync("banned@example.com", "banned-pass"), "This account has been blocked");
    }

    [Fact]
    public async Task Two_factor_flow_with_real_totp()
    {
        using var c = NewClient();
        var r = await c.LoginAsync(TotpUser, "totp-pass-1");
        Assert.Equal("{\"code\":203,\"msg\":\"\"}", r.GetRawText());
        AssertCode(401, await c.GetAsync("/user/me"));

        AssertCode(40022, await c.PostAsync("/user/2fa", new { code = WrongCode() }), "2FA code not correct");
        // pending state is kept after a wrong code
        var ok = await c.PostAsync("/user/2fa", new { code = CodeNow() });
        AssertCode(0, ok);
        Assert.Equal(TotpUser, ok.GetProperty("data").GetProperty("user_name").GetString());
        AssertCode(0, await c.GetAsync("/user/me"));

        var setting = await c.GetAsync("/user/setting");
        Assert.True(setting.GetProperty("data").GetProperty("two_factor").GetBoolean());

        // no pending login any more
        AssertCode(40023, await c.PostAsync("/user/2fa", new { code = CodeNow() }), "Login session not exist");
    }

    [Fact]
    public async Task Second_factor_without_pending_login_gives_40023()
    {
        using var c = NewClient();
        AssertCode(40023, await c.PostAsync("/user/2fa", new { code = "123456" }), "Login session not exist");
        AssertCode(40001, await c.PostAsync("/user/2fa", new { }), "Code cannot be empty");
    }

    [Fact]
    public async Task Logout_then_401_and_second_logout_401()
    {
        using var c = await AdminAsync();
        var cookieBefore = c.SessionCookie!;
        AssertCode(0, await c.DeleteAsync("/user/session"), "");
        AssertCode(401, await c.GetAsync("/user/me"), "Login required");
        AssertCode(401, await c.DeleteAsync("/user/session"), "Login required");

        using var copy = NewClient();
        copy.SetSessionCookie(cookieBefore);
        AssertCode(401, await copy.GetAsync("/user/me"));
    }

    [Fact]
    public async Task Storage_and_setting()
    {
        using var c = await UserAsync();
        var s = await c.GetAsync("/user/storage");
        Assert.Equal("{\"code\":0,\"data\":{\"used\":0,\"free\":1073741824,\"total\":1073741824},\"msg\":\"\"}", s.GetRawText());
        var st = await c.GetAsync("/user/setting");
        var d = st.GetProperty("data");
        Assert.Equal(["authn", "homepage", "prefer_theme", "themes", "two_factor", "uid"], Keys(d));
        Assert.True(d.GetProperty("homepage").GetBoolean());
        Assert.False(d.GetProperty("two_factor").GetBoolean());
        Assert.Equal(JsonValueKind.Number, d.GetProperty("uid").ValueKind);
    }

    [Theory]
    [InlineData("/user/me")]
    [InlineData("/user/storage")]
    [InlineData("/user/setting")]
    public async Task Protected_routes_need_login(string path)
    {
        using var c = NewClient();
        var r = await c.GetAsync(path);
        Assert.Equal("{\"code\":401,\"msg\":\"Login required\"}", r.GetRawText());
    }

    [Fact]
    public async Task Stale_or_garbage_cookie_is_anonymous_and_config_issues_new_cookie()
    {
        using var c = NewClient();
        c.SetSessionCookie("garbage");
        AssertCode(401, await c.GetAsync("/user/me"));
        var cfg = await c.GetAsync("/site/config");
        Assert.True(cfg.GetProperty("data").GetProperty("user").GetProperty("anonymous").GetBoolean());
        Assert.NotEqual("garbage", c.SessionCookie);
        AssertCode(401, await c.GetAsync("/user/me"));
    }

    [Fact]
    public async Task Sandbox_expire_sessions_logs_everyone_out()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.GetAsync("/user/me"));
        using var resp = await c.SendAsync(HttpMethod.Post, "/_sandbox/sessions/expire");
        resp.EnsureSuccessStatusCode();
        AssertCode(401, await c.GetAsync("/user/me"));
        await c.LoginOkAsync(Host.AdminEmail, AdminPassword);
        AssertCode(0, await c.GetAsync("/user/me"));
    }
}

public sealed class CaptchaTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.LoginCaptcha = true;

    [Fact]
    public async Task Login_without_valid_captcha_is_rejected()
    {
        using var c = NewClient();
        var cfg = await c.GetAsync("/site/config");
        Assert.True(cfg.GetProperty("data").GetProperty("loginCaptcha").GetBoolean());
        Assert.Equal("normal", cfg.GetProperty("data").GetProperty("captcha_type").GetString());

        AssertCode(40026, await c.LoginAsync(Host.AdminEmail, AdminPassword), "CAPTCHA not match.");
        AssertCode(0, await c.GetAsync("/site/captcha"));
        AssertCode(40026, await c.PostAsync("/user/session", new { userName = Host.AdminEmail, Password = AdminPassword, captchaCode = "xxxxxx" }), "CAPTCHA not match.");
        AssertCode(40026, await c.PostAsync("/user/session", "not json"), "CAPTCHA not match.");
        AssertCode(401, await c.GetAsync("/user/me"));
    }
}

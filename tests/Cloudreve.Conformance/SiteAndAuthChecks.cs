using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>Section 1 and 2: routing conventions, site routes, login, 2FA, logout, user routes.</summary>
public sealed class SiteAndAuthChecks : Checks
{
    public SiteAndAuthChecks(Target t) : base(t)
    {
    }

    private static readonly string[] UserKeys = ["id", "user_name", "nickname", "status", "avatar", "created_at", "preferred_theme", "anonymous", "group", "tags"];
    private static readonly string[] GroupKeys = ["id", "name", "allowShare", "allowRemoteDownload", "allowArchiveDownload", "shareDownload", "compress", "webdav", "sourceBatch", "advanceDelete", "allowWebDAVProxy"];

    [Check]
    public async Task GET_site_ping_answers_the_version_3_8_3()
    {
        using var anon = new ApiClient(T.BaseUri);
        var r = await anon.Get("/site/ping");
        var d = Expect.Ok(r);
        Expect.That(r, d.GetString()!.StartsWith("3.8.3", StringComparison.Ordinal), "data \"3.8.3\"");
        Expect.Equal(r, "private, no-cache", r.Header("Cache-Control"), "Cache-Control");
        Expect.Equal(r, "application/json; charset=utf-8", r.Header("Content-Type"), "Content-Type");
    }

    [Check]
    public async Task GET_site_config_anonymous_has_the_documented_fields()
    {
        using var anon = new ApiClient(T.BaseUri);
        var r = await anon.Get("/site/config");
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "title", "loginCaptcha", "regCaptcha", "forgetCaptcha", "emailActive", "themes", "defaultTheme", "home_view_method",
            "share_view_method", "authn", "user", "captcha_ReCaptchaKey", "captcha_type", "tcaptcha_captcha_app_id", "registerEnabled", "app_promotion", "wopi_exts");
        Expect.Keys(r, d.GetProperty("user"), UserKeys);
        Expect.Equal(r, true, d.GetProperty("user").GetProperty("anonymous").GetBoolean(), "user.anonymous");
        Expect.Keys(r, d.GetProperty("user").GetProperty("group"), GroupKeys);
    }

    [Check]
    public async Task GET_site_captcha_answers_a_png_data_url()
    {
        using var anon = new ApiClient(T.BaseUri);
        var r = await anon.Get("/site/captcha");
        Expect.That(r, Expect.Ok(r).GetString()!.StartsWith("data:image/png;base64,", StringComparison.Ordinal), "a data:image/png;base64 URL");
    }

    [Check]
    public async Task Unknown_route_is_a_plain_text_404()
    {
        using var anon = new ApiClient(T.BaseUri);
        var r = await anon.Get("/no/such/route");
        Expect.Status(r, 404);
        Expect.Equal(r, "404 page not found", r.Text, "body");
    }

    [Check]
    public async Task GET_directory_without_trailing_slash_redirects_301()
    {
        var r = await Main.Send(HttpMethod.Get, "/api/v3/directory");
        Expect.Status(r, 301);
        Expect.Equal(r, "/api/v3/directory/", r.Headers.Location?.OriginalString, "Location");
    }

    [Check]
    public async Task Protected_routes_without_login_answer_code_401()
    {
        using var anon = new ApiClient(T.BaseUri);
        Expect.Code(await anon.Get("/user/storage"), 401, "Login required");
        Expect.Code(await anon.Get("/user/me"), 401, "Login required");
        Expect.Code(await anon.Get("/directory/"), 401);
        Expect.Code(await anon.Put("/file/upload", new { }), 401);
        Expect.Code(await anon.Get("/share?page=1&order_by=created_at&order=DESC"), 401);
        Expect.Code(await anon.Get("/webdav/accounts"), 401);
    }

    [Check]
    public async Task POST_user_session_with_a_wrong_password_answers_40020()
    {
        using var anon = new ApiClient(T.BaseUri);
        Expect.Code(await anon.Post("/user/session", new { userName = T.Email, Password = "definitely-wrong-" + Guid.NewGuid().ToString("N")[..6], captchaCode = "" }),
            40020, "Wrong password or email address");
    }

    [Check]
    public async Task POST_user_session_with_a_user_name_that_is_no_email_answers_40001()
    {
        using var anon = new ApiClient(T.BaseUri);
        Expect.Code(await anon.Post("/user/session", new { userName = "not-an-email", Password = "whatever1", captchaCode = "" }), 40001, "Email format error");
    }

    [Check]
    public async Task POST_user_session_form_encoded_answers_40001_parameter_error()
    {
        using var anon = new ApiClient(T.BaseUri);
        var r = await anon.Send(HttpMethod.Post, "/api/v3/user/session",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = T.Email, ["Password"] = "x" }));
        Expect.Code(r, 40001, "Parameter error");
    }

    [Check]
    public async Task POST_user_2fa_without_a_pending_login_answers_40023()
    {
        using var anon = new ApiClient(T.BaseUri);
        Expect.Code(await anon.Post("/user/2fa", new { code = "123456" }), 40023, "Login session not exist");
    }

    [Check]
    public async Task Login_me_storage_setting_and_logout()
    {
        using var c = await T.LoginAsync();
        var me = await c.Get("/user/me");
        var d = Expect.Ok(me);
        Expect.Keys(me, d, UserKeys);
        Expect.Keys(me, d.GetProperty("group"), GroupKeys);
        Expect.Equal(me, T.Email, d.GetProperty("user_name").GetString(), "user_name");
        Expect.Equal(me, false, d.GetProperty("anonymous").GetBoolean(), "anonymous");

        var storage = await c.Get("/user/storage");
        Expect.Keys(storage, Expect.Ok(storage), "used", "free", "total");
        var setting = await c.Get("/user/setting");
        Expect.Keys(setting, Expect.Ok(setting), "authn", "homepage", "prefer_theme", "themes", "two_factor", "uid");
        var config = await c.Get("/site/config");
        Expect.Equal(config, false, Expect.Ok(config).GetProperty("user").GetProperty("anonymous").GetBoolean(), "user.anonymous");

        Expect.Ok(await c.Delete("/user/session"));
        Expect.Code(await c.Get("/user/me"), 401, "Login required");
    }

    [TotpCheck]
    public async Task Login_with_2FA_answers_203_then_40022_for_a_wrong_code_then_0()
    {
        var (email, password, secret) = TargetEnvironment.IsReal ? (T.Email, T.Password, TargetEnvironment.Totp!) : (Target.TotpEmail, Target.TotpPassword, Target.TotpSecret);
        using var c = new ApiClient(T.BaseUri);
        Expect.Code(await c.Post("/user/session", new { userName = email, Password = password, captchaCode = "" }), 203);
        var now = DateTimeOffset.UtcNow;
        var valid = new[] { -30, 0, 30 }.Select(s => Totp.Code(secret, now.AddSeconds(s))).ToHashSet();
        var wrong = Enumerable.Range(0, 10).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(x => !valid.Contains(x));
        Expect.Code(await c.Post("/user/2fa", new { code = wrong }), 40022, "2FA code not correct");
        Expect.Ok(await c.Post("/user/2fa", new { code = Totp.Code(secret) }));
        Expect.Ok(await c.Get("/user/me"));
    }
}

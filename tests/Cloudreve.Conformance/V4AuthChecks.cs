using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 2: login, tokens, 2FA, refresh, sign-out, invalid tokens.</summary>
public sealed class V4AuthChecks : V4Checks
{
    public V4AuthChecks(V4Target t) : base(t)
    {
    }

    private static JsonElement Payload(string jwt)
    {
        var p = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        p += new string('=', (4 - p.Length % 4) % 4);
        return JsonDocument.Parse(Convert.FromBase64String(p)).RootElement.Clone();
    }

    [V4Check]
    public async Task Cap107_login_answers_user_and_token_pair_without_a_cookie()
    {
        var c = T.Anonymous();
        var r = await c.Post("/session/token", new { email = T.Email, password = T.Password });
        if (r.Code == 203) return; // a 2FA account: the 2FA checks cover it
        var d = Expect.Ok(r);
        Expect.HasKeys(r, d, "user", "token");
        Expect.Keys(r, d.GetProperty("token"), "access_token", "refresh_token", "access_expires", "refresh_expires");
        Expect.HasKeys(r, d.GetProperty("user"), "id", "email", "nickname", "status", "created_at", "group");
        Expect.Equal(r, "", r.Header("Set-Cookie"), "Set-Cookie");
        c.Take(d.GetProperty("token"));
        // Section 2.2: HS256 JWTs with the documented claims.
        var access = Payload(c.AccessToken!);
        Expect.Keys(r, access, "token_type", "sub", "exp", "nbf");
        Expect.Equal(r, "access", access.GetProperty("token_type").GetString(), "access token_type");
        Expect.Equal(r, d.GetProperty("user").GetProperty("id").GetString(), access.GetProperty("sub").GetString(), "sub");
        var refresh = Payload(c.RefreshToken!);
        Expect.Keys(r, refresh, "token_type", "sub", "exp", "nbf", "state_hash", "root_token_id");
        Expect.Equal(r, "refresh", refresh.GetProperty("token_type").GetString(), "refresh token_type");
        var header = Encoding.UTF8.GetString(Convert.FromBase64String(c.AccessToken!.Split('.')[0].Replace('-', '+').Replace('_', '/') + "=="[..((4 - c.AccessToken!.Split('.')[0].Length % 4) % 4)]));
        Expect.That(r, header.Contains("\"HS256\"", StringComparison.Ordinal), "an HS256 header");
        // access_expires is about an hour away on a default server (section 0).
        var expires = DateTimeOffset.Parse(d.GetProperty("token").GetProperty("access_expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Expect.That(r, expires > DateTimeOffset.UtcNow, "access_expires in the future");
        Expect.Ok(await c.Get("/user/me"));
    }

    [V4Check]
    public async Task Cap104_login_with_a_wrong_password_is_40080()
    {
        V4Expect.Error(await T.Anonymous().Post("/session/token", new { email = T.Email, password = T.Password + "-wrong" }), 40080, "Incorrect password or email address");
    }

    [V4Check]
    public async Task Cap105_login_name_that_is_not_an_email_is_40001_without_correlation_id()
    {
        V4Expect.Error(await T.Anonymous().Post("/session/token", new { email = "admin", password = "whatever-1" }), 40001, "Email format error", correlation: false);
    }

    [V4Check]
    public async Task Cap106_login_of_an_unknown_user_is_40080()
    {
        V4Expect.Error(await T.Anonymous().Post("/session/token", new { email = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com", password = "whatever-1" }), 40080, "Incorrect password or email address");
    }

    [V4Check]
    public async Task Cap108_tampered_access_token_is_code_401_with_http_200()
    {
        var c = await T.LoginAsync();
        var t = c.AccessToken!;
        var i = t.LastIndexOf('.') + 1;
        c.AccessToken = t[..i] + (t[i] == 'A' ? 'B' : 'A') + t[(i + 1)..];
        V4Expect.Error(await c.Get("/user/me"), 401, "Login required");
        // cap 110: the same on a route that also serves anonymous callers
        V4Expect.Error(await c.List("cloudreve://my/"), 401, "Login required");
    }

    [V4Check]
    public async Task Cap109_garbage_bearer_is_code_401()
    {
        var c = T.Anonymous();
        c.AccessToken = "not-a-jwt";
        V4Expect.Error(await c.Get("/user/me"), 401, "Login required");
    }

    [V4Check]
    public async Task Cap111_refresh_token_used_as_bearer_is_40020_invalid_token_type()
    {
        var c = await T.LoginAsync();
        c.AccessToken = c.RefreshToken;
        V4Expect.Error(await c.Get("/user/me"), 40020, "Invalid token type");
    }

    [V4Check]
    public async Task Cap112_access_token_sent_to_refresh_is_40020()
    {
        var c = await T.LoginAsync();
        V4Expect.Error(await c.Post("/session/token/refresh", new { refresh_token = c.AccessToken }), 40020, "Failed to issue token pair");
    }

    [V4Check]
    public async Task Cap113_to_115_refresh_answers_a_token_object_and_old_tokens_stay_valid()
    {
        var c = await T.LoginAsync();
        var oldAccess = c.AccessToken;
        var oldRefresh = c.RefreshToken;
        var r = await c.Post("/session/token/refresh", new { refresh_token = oldRefresh });
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "access_token", "refresh_token", "access_expires", "refresh_expires");
        Expect.Equal(r, Payload(oldRefresh!).GetProperty("root_token_id").GetString(), Payload(d.GetProperty("refresh_token").GetString()!).GetProperty("root_token_id").GetString(), "root_token_id (same family)");
        // cap 114: the old refresh token still works
        Expect.Ok(await c.Post("/session/token/refresh", new { refresh_token = oldRefresh }));
        // cap 115: the old access token still works
        c.AccessToken = oldAccess;
        Expect.Ok(await c.Get("/user/me"));
        c.Take(d);
        Expect.Ok(await c.Get("/user/me"));
    }

    [V4Check]
    public async Task Cap160_to_163_sign_out_kills_the_refresh_token_but_not_the_access_token()
    {
        var c = await T.LoginAsync();
        var r = await c.Delete("/session/token", new { refresh_token = c.RefreshToken });
        Expect.Ok(r);
        Expect.Keys(r, r.Json, "code", "data", "msg");
        Expect.Equal(r, "", r.Data.GetString(), "data");
        Expect.Ok(await c.Get("/user/me")); // cap 161
        V4Expect.Error(await c.Post("/session/token/refresh", new { refresh_token = c.RefreshToken }), 40020, "Failed to issue token pair"); // cap 162
        var anon = T.Anonymous();
        Expect.Ok(await anon.Delete("/session/token", new { refresh_token = c.RefreshToken })); // cap 163: no bearer, already revoked
    }

    [V4Check]
    public async Task Cap43_no_token_is_code_401_login_required()
    {
        V4Expect.Error(await T.Anonymous().List("cloudreve://my/"), 401, "Login required");
        V4Expect.Error(await T.Anonymous().Get("/user/me"), 401, "Login required");
    }

    [V4SandboxCheck]
    public async Task Cap133_to_137_2fa_login_203_session_id_then_otp()
    {
        var c = T.Anonymous();
        var r = await c.Post("/session/token", new { email = V4Target.TotpEmail, password = V4Target.TotpPassword });
        Expect.Code(r, 203);
        Expect.Keys(r, r.Json, "code", "data", "msg");
        var session = r.Data.GetString()!;
        Expect.That(r, Guid.TryParse(session, out _), "a UUID session id");
        // cap 134: a wrong OTP is 40022 and does not use the session up
        var wrong = Totp.Code(V4Target.TotpSecret) == "000000" ? "111111" : "000000";
        V4Expect.Error(await c.Post("/session/token/2fa", new { otp = wrong, session_id = session }), 40022, "Incorrect 2FA code");
        // cap 135
        var ok = await c.Post("/session/token/2fa", new { otp = Totp.Code(V4Target.TotpSecret), session_id = session });
        var d = Expect.Ok(ok);
        Expect.HasKeys(ok, d, "user", "token");
        Expect.Equal(ok, V4Target.TotpEmail, d.GetProperty("user").GetProperty("email").GetString(), "user.email");
        // cap 136: the used session is gone
        V4Expect.Error(await c.Post("/session/token/2fa", new { otp = Totp.Code(V4Target.TotpSecret), session_id = session }), 404, "Session not found");
        // cap 137: an unknown session
        V4Expect.Error(await c.Post("/session/token/2fa", new { otp = Totp.Code(V4Target.TotpSecret), session_id = Guid.Empty.ToString() }), 404, "Session not found");
        // cap 138: a wrong password of a 2FA user is still 40080
        V4Expect.Error(await c.Post("/session/token", new { email = V4Target.TotpEmail, password = "wrong-pass-0" }), 40080);
    }

    [V4TotpCheck]
    public async Task Cap135_the_main_account_logs_in_with_its_second_factor()
    {
        if (T.TotpSecretOfAccount == null) return; // sandbox main account has no 2FA; the sandbox check above covers it
        using var c = new V4Client(T.BaseUri);
        var r = await c.Login(T.Email, T.Password, T.TotpSecretOfAccount);
        Expect.Ok(r);
        Expect.Ok(await c.Get("/user/me"));
        await c.SignOut();
    }
}

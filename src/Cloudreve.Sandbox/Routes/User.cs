using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Login, second factor, logout and the current user's info.</summary>
internal static class User
{
    public static void Map(Router r)
    {
        r.Post("/api/v3/user/session", Login);
        r.Post("/api/v3/user/2fa", SecondFactor);
        r.Delete("/api/v3/user/session", Logout);
        r.Get("/api/v3/user/me", Me);
        r.Get("/api/v3/user/storage", Storage);
        r.Get("/api/v3/user/setting", Setting);
    }

    private static async Task Login(Req req)
    {
        using var ms = new MemoryStream();
        await req.Http.Request.Body.CopyToAsync(ms, req.Http.RequestAborted);
        var bytes = ms.ToArray();

        if (req.App.Options.LoginCaptcha)
        {
            // Captcha middleware: runs before binding; the stored code is single-use.
            var parsed = JsonBody.Parse(bytes);
            string? expected;
            lock (req.Session)
            {
                expected = req.Session.CaptchaCode;
                req.Session.CaptchaCode = null;
            }
            req.SaveSession();
            if (parsed == null || parsed.TypeError)
                throw Envelope.Fail(Codes.CaptchaError, "CAPTCHA not match.");
            var given = parsed.Str("captchaCode");
            if (expected == null || !string.Equals(expected, given, StringComparison.OrdinalIgnoreCase))
                throw Envelope.Fail(Codes.CaptchaError, "CAPTCHA not match.");
        }

        var body = JsonBody.Parse(bytes) ?? throw Envelope.Fail(Codes.ParamErr, "Parameter error");
        var userName = body.Str("userName");
        var password = body.Str("Password");
        body.ThrowIfTypeError();
        Validate.Required("Email", userName);
        Validate.Email("Email", userName);
        Validate.Required("Password", password);
        Validate.Length("Password", password, 4, 64);

        var found = req.App.Db.Read(c =>
        {
            var u = Users.ByEmail(c, userName);
            return u == null ? null : new Tuple<UserRow, GroupRow>(u, Users.Group(c, u.GroupId) ?? Req.UnknownGroup(u.GroupId));
        });
        if (found == null || !Passwords.Verify(password, found.Item1.Password))
            throw Envelope.Fail(Codes.CredentialInvalid, "Wrong password or email address");
        var (user, group) = (found.Item1, found.Item2);
        if (user.Status is UserStatus.Banned or UserStatus.OveruseBanned)
            throw Envelope.Fail(Codes.UserBaned, "This account has been blocked");
        if (user.Status == UserStatus.NotActivated)
            throw Envelope.Fail(Codes.UserNotActivated, "This account is not activated");

        if (user.TwoFactor.Length > 0)
        {
            lock (req.Session) req.Session.TwoFaUserId = user.Id;
            req.SaveSession();
            await req.Json(Envelope.Err(Codes.NotFullySuccess));
            return;
        }

        lock (req.Session) req.Session.UserId = user.Id;
        req.SaveSession();
        await req.Ok(Views.User(req.App, user, group));
    }

    private static async Task SecondFactor(Req req)
    {
        var body = await req.BodyAsync();
        var code = body.Str("code");
        body.ThrowIfTypeError();
        Validate.Required("Code", code);

        long? pending;
        lock (req.Session) pending = req.Session.TwoFaUserId;
        if (pending == null) throw Envelope.Fail(Codes.LoginSessionNotExist, "Login session not exist");

        var found = req.App.Db.Read(c =>
        {
            var u = Users.ById(c, pending.Value);
            if (u == null || u.Status != UserStatus.Active) return null;
            return new Tuple<UserRow, GroupRow>(u, Users.Group(c, u.GroupId) ?? Req.UnknownGroup(u.GroupId));
        }) ?? throw Envelope.Fail(Codes.UserNotFound, "User not found");

        if (!Totp.Verify(found.Item1.TwoFactor, code))
            throw Envelope.Fail(Codes.TwoFaCodeErr, "2FA code not correct");

        lock (req.Session)
        {
            req.Session.TwoFaUserId = null;
            req.Session.UserId = found.Item1.Id;
        }
        req.SaveSession();
        await req.Ok(Views.User(req.App, found.Item1, found.Item2));
    }

    private static Task Logout(Req req)
    {
        req.RequireUser();
        lock (req.Session) req.Session.UserId = null;
        req.SaveSession();
        return req.Ok();
    }

    private static Task Me(Req req)
    {
        var (u, g) = req.RequireUser();
        return req.Ok(Views.User(req.App, u, g));
    }

    private static Task Storage(Req req)
    {
        var (u, g) = req.RequireUser();
        var total = g.MaxStorage;
        var free = total > u.Storage ? total - u.Storage : 0;
        return req.Ok(new JsonObject { ["used"] = u.Storage, ["free"] = free, ["total"] = total });
    }

    private static Task Setting(Req req)
    {
        var (u, _) = req.RequireUser();
        return req.Ok(new JsonObject
        {
            ["authn"] = new JsonArray(),
            ["homepage"] = !u.ProfileOff,
            ["prefer_theme"] = u.PreferredTheme,
            ["themes"] = Views.Themes,
            ["two_factor"] = u.TwoFactor.Length > 0,
            ["uid"] = u.Id,
        });
    }
}

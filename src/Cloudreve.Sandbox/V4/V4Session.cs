using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Section 2: <c>POST /session/token</c> (login), <c>POST /session/token/2fa</c>, <c>POST /session/token/refresh</c>,
/// <c>DELETE /session/token</c> (sign-out) and <c>GET /session/prepare</c>. No cookies: bearer tokens only.
/// </summary>
internal static class V4Session
{
    public static void Map(Router r)
    {
        r.Post(V4Routes.Prefix + "/session/token", Login);
        r.Post(V4Routes.Prefix + "/session/token/2fa", TwoFactor);
        r.Post(V4Routes.Prefix + "/session/token/refresh", Refresh);
        r.Delete(V4Routes.Prefix + "/session/token", SignOut);
        r.Get(V4Routes.Prefix + "/session/prepare", Prepare);
    }

    private static async Task Login(Req req)
    {
        JsonBody body;
        if (req.App.Options.LoginCaptcha)
        {
            // CaptchaRequired middleware first: a body that is not JSON is 40026 there, not 40001.
            JsonBody? parsed;
            try
            {
                parsed = await req.BodyAsync();
            }
            catch (ApiException)
            {
                parsed = null;
            }
            req.App.V4Captcha.Check(parsed);
            body = parsed!;
        }
        else
        {
            body = await V4Body.Read(req);
        }
        var email = body.Str("email");
        var password = body.Str("password");
        body.ThrowIfTypeError();
        if (email.Length == 0) throw V4Envelope.Param("Email cannot be empty");
        if (!Validate.IsEmail(email)) throw V4Envelope.Param("Email format error");
        if (password.Length == 0) throw V4Envelope.Param("Password cannot be empty");

        var (user, group) = req.App.Db.Read(c =>
        {
            var u = Users.ByEmail(c, email);
            return (u, u == null ? null : Users.Group(c, u.GroupId));
        });
        if (user == null || !Passwords.Verify(password, user.Password))
            throw new V4Exception(V4Codes.WrongPassword, "Incorrect password or email address");
        CheckStatus(user);
        if (user.TwoFactor.Length > 0)
        {
            // 203 with the 2FA session id as data; no correlation id (cap 133).
            await req.Json(V4Envelope.Build(V4Codes.TwoFaRequired, req.App.V4Tokens.NewTwoFaSession(user.Id), ""));
            return;
        }
        await req.Json(V4Envelope.Ok(LoginReply(req.App, user, group ?? Req.UnknownGroup(user.GroupId))));
    }

    private static async Task TwoFactor(Req req)
    {
        var body = await V4Body.Read(req);
        var otp = body.Str("otp");
        var sessionId = body.Str("session_id");
        body.ThrowIfTypeError();
        if (otp.Length == 0) throw V4Envelope.Param("Otp cannot be empty");
        if (sessionId.Length == 0) throw V4Envelope.Param("SessionID cannot be empty");

        var uid = req.App.V4Tokens.TwoFaUser(sessionId) ?? throw new V4Exception(V4Codes.NotFound, "Session not found");
        var (user, group) = req.App.Db.Read(c =>
        {
            var u = Users.ById(c, uid);
            return (u, u == null ? null : Users.Group(c, u.GroupId));
        });
        if (user == null) throw new V4Exception(V4Codes.NotFound, "Session not found");
        if (!Totp.Verify(user.TwoFactor, otp)) throw new V4Exception(V4Codes.TwoFaCodeErr, "Incorrect 2FA code");
        req.App.V4Tokens.EndTwoFaSession(sessionId);
        CheckStatus(user);
        await req.Json(V4Envelope.Ok(LoginReply(req.App, user, group ?? Req.UnknownGroup(user.GroupId))));
    }

    /// <summary>Same family, new pair; the old refresh token stays usable (cap 113, 114); data is the token object only.</summary>
    private static async Task Refresh(Req req)
    {
        var body = await V4Body.Read(req);
        var token = body.Str("refresh_token");
        body.ThrowIfTypeError();
        if (token.Length == 0) throw V4Envelope.Param("RefreshToken cannot be empty");
        var tokens = req.App.V4Tokens;
        var fail = new V4Exception(V4Codes.CredentialInvalid, "Failed to issue token pair");
        var claims = tokens.VerifyRefresh(token) ?? throw fail;
        var uid = req.App.Ids.Decode(claims.Subject, HashIds.User) ?? throw fail;
        var user = req.App.Db.Read(c => Users.ById(c, uid));
        if (user == null || user.Status != UserStatus.Active || claims.StateHash != tokens.StateHash(user)) throw fail;
        var pair = tokens.Issue(claims.Subject, claims.StateHash!, claims.RootTokenId);
        await req.Json(V4Envelope.Ok(pair.ToJson()));
    }

    /// <summary>Revokes the refresh token's family; always code 0 with data "" (cap 160, 163).</summary>
    private static async Task SignOut(Req req)
    {
        var body = await V4Body.Read(req);
        var token = body.Str("refresh_token");
        body.ThrowIfTypeError();
        if (req.App.V4Tokens.VerifyRefresh(token) is { RootTokenId: { } root } claims)
            req.App.V4Tokens.RevokeFamily(root, claims.Expires);
        await req.Json(V4Envelope.Ok(""));
    }

    private static Task Prepare(Req req)
    {
        var email = req.Query("email") ?? "";
        if (!Validate.IsEmail(email)) throw V4Envelope.Param("Email format error");
        return req.Json(V4Envelope.Ok(new JsonObject { ["webauthn_enabled"] = false, ["password_enabled"] = true }));
    }

    private static void CheckStatus(UserRow user)
    {
        switch (user.Status)
        {
            case UserStatus.Active: return;
            case UserStatus.NotActivated: throw new V4Exception(V4Codes.UserNotActivated, "This account is not activated");
            default: throw new V4Exception(V4Codes.UserBanned, "This account has been blocked");
        }
    }

    /// <summary>{user, token} of a login or a 2FA step (cap 107, 135).</summary>
    public static JsonObject LoginReply(App app, UserRow user, GroupRow group)
    {
        var pair = app.V4Tokens.Issue(app.Ids.Encode(user.Id, HashIds.User), app.V4Tokens.StateHash(user));
        return new JsonObject
        {
            ["user"] = V4Json.User(app, user, group),
            ["token"] = pair.ToJson(),
        };
    }
}

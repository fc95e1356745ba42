using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>The caller of a v4 request, resolved from <c>Authorization: Bearer</c>.</summary>
internal sealed record V4Caller(UserRow User, GroupRow Group)
{
    public long Id => User.Id;
}

/// <summary>
/// Bearer-token authentication (reference 2.5): a missing, expired, tampered or garbled access token makes the caller
/// anonymous (routes that need a user answer code 401 "Login required"); a refresh token used as a bearer is
/// 40020 "Invalid token type" on every route (cap 111). A signed-out access token keeps working until exp (cap 161).
/// </summary>
internal static class V4Auth
{
    private const string ItemKey = "cloudreve.v4.caller";

    /// <summary>The caller, or null when anonymous. Throws 40020 for a refresh token sent as bearer.</summary>
    public static V4Caller? Caller(this Req r)
    {
        if (r.Http.Items.TryGetValue(ItemKey, out var cached)) return (V4Caller?)cached;
        var caller = Resolve(r);
        r.Http.Items[ItemKey] = caller;
        return caller;
    }

    /// <summary>The caller, or 401 "Login required".</summary>
    public static V4Caller RequireCaller(this Req r) => r.Caller() ?? throw V4Envelope.LoginRequired();

    /// <summary>A caller whose group has the admin bit, else code 403 with an empty msg (cap 42, 472).</summary>
    public static V4Caller RequireAdmin(this Req r)
    {
        var caller = r.RequireCaller();
        if (!V4GroupPerms.Of(r, caller.Group).Contains(V4Bits.IsAdmin)) throw V4Envelope.Fail(V4Codes.PermissionDenied, "");
        return caller;
    }

    /// <summary>The bearer token as sent, or null.</summary>
    public static string? BearerToken(this Req r)
    {
        var h = r.Http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return h.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? h[prefix.Length..].Trim() : null;
    }

    private static V4Caller? Resolve(Req r)
    {
        var claims = r.App.V4Tokens.Verify(r.BearerToken());
        if (claims == null) return null;
        if (!claims.IsAccess)
        {
            // The real server rejects this before its cache-header middleware runs (cap 111 has no Cache-Control).
            r.Http.Response.Headers.Remove("Cache-Control");
            throw new V4Exception(V4Codes.CredentialInvalid, "Invalid token type");
        }
        var uid = r.App.Ids.Decode(claims.Subject, HashIds.User);
        if (uid == null) return null;
        return r.App.Db.Read(c =>
        {
            var u = Users.ById(c, uid.Value);
            if (u == null || u.Status != UserStatus.Active) return null;
            var g = Users.Group(c, u.GroupId) ?? Req.UnknownGroup(u.GroupId);
            return new V4Caller(u, g);
        });
    }
}

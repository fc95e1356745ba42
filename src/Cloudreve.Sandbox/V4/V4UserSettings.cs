using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Sections 2.3 and 17: <c>GET /user/setting</c> (cap 468), <c>GET /user/setting/2fa</c> (a new secret, cap 130) and
/// <c>PATCH /user/setting</c> with <c>{two_fa_enabled, two_fa_code}</c> (wrong code 40022, cap 131; on, cap 132) or
/// <c>{version_retention_enabled}</c>. Version retention is on for the admin and off for other users (section 10.2).
/// </summary>
internal static class V4UserSettings
{
    private static readonly ConcurrentDictionary<long, string> PendingSecrets = new();

    public static void Map(Router r)
    {
        r.Get(V4Routes.Prefix + "/user/setting", Get);
        r.Get(V4Routes.Prefix + "/user/setting/2fa", Init2Fa);
        r.Patch(V4Routes.Prefix + "/user/setting", Patch);
    }

    /// <summary>Whether overwrites keep older versions for this user (cap 468: admin on; new users off, cap 536).</summary>
    public static bool VersionRetention(SqliteConnection c, long uid, SqliteTransaction? tx = null) =>
        Settings.Get(c, Key(uid), tx) is { } v ? v == "1" : uid == 1;

    private static string Key(long uid) => "v4_version_retention_" + uid.ToString(CultureInfo.InvariantCulture);

    private static Task Get(Req req)
    {
        var caller = req.RequireCaller();
        var retention = req.App.Db.Read(c => VersionRetention(c, caller.Id));
        return req.Json(V4Envelope.Ok(new JsonObject
        {
            ["version_retention_enabled"] = retention,
            ["version_retention_max"] = 10,
            ["passwordless"] = false,
            ["two_fa_enabled"] = caller.User.TwoFactor.Length > 0,
            ["disable_view_sync"] = false,
            ["share_links_in_profile"] = "",
        }));
    }

    private static Task Init2Fa(Req req)
    {
        var caller = req.RequireCaller();
        var secret = Totp.NewSecret();
        PendingSecrets[caller.Id] = secret;
        return req.Json(V4Envelope.Ok(secret));
    }

    private static async Task Patch(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var hasTwoFa = body.Has("two_fa_enabled");
        var enable = body.Bool("two_fa_enabled");
        var code = body.Str("two_fa_code");
        var hasRetention = body.Has("version_retention_enabled");
        var retention = body.Bool("version_retention_enabled");
        body.ThrowIfTypeError();
        if (hasTwoFa)
        {
            string secret;
            if (enable)
            {
                if (!PendingSecrets.TryGetValue(caller.Id, out var pending) || !Totp.Verify(pending, code))
                    throw new V4Exception(V4Codes.TwoFaCodeErr, "Incorrect 2FA code");
                secret = pending;
                PendingSecrets.TryRemove(caller.Id, out _);
            }
            else
            {
                if (caller.User.TwoFactor.Length > 0 && !Totp.Verify(caller.User.TwoFactor, code))
                    throw new V4Exception(V4Codes.TwoFaCodeErr, "Incorrect 2FA code");
                secret = "";
            }
            req.App.Db.Write((c, tx) => Users.SetTwoFactor(c, tx, caller.Id, secret));
        }
        if (hasRetention)
            req.App.Db.Write((c, tx) => Settings.Set(c, Key(caller.Id), retention ? "1" : "0", tx));
        await req.Json(V4Envelope.Ok());
    }
}

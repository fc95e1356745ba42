using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>The share object (explorer.Share, reference 11.2, cap 29, 409, 410) and share URLs.</summary>
internal static class V4ShareJson
{
    /// <summary>{site}/s/{id} or, when unlocked and private, {site}/s/{id}/{password} (cap 27, 28).</summary>
    public static string Url(Req req, V4ShareRow s, bool unlocked)
    {
        var url = Providers.Origin(req.Http) + "/s/" + req.App.Ids.Encode(s.Id, V4SvcIds.Share);
        return unlocked && s.Password.Length > 0 ? url + "/" + s.Password : url;
    }

    /// <summary>
    /// id, name, remain_downloads?, visited, downloaded?, expires?, unlocked, password_protected?, source_type, owner,
    /// created_at, expired, url, show_readme?, size, is_private?, password?, share_view?. Limits, password and size only
    /// when unlocked; is_private and share_view only for the owner; the owner's e-mail only for a logged-in caller.
    /// </summary>
    public static JsonObject Build(Req req, SqliteConnection c, V4ShareRow s, long? requesterId, bool unlocked, bool expired, SqliteTransaction? tx = null)
    {
        var source = V4ShareStore.Source(c, s, tx);
        var o = new JsonObject { ["id"] = req.App.Ids.Encode(s.Id, V4SvcIds.Share) };
        var name = source == null ? s.SourceName : V4Fs.Segments(c, source, tx) == null ? s.SourceName : source.Name;
        if (name.Length > 0) o["name"] = name;
        if (unlocked && s.Limited) o["remain_downloads"] = s.RemainDownloads;
        o["visited"] = s.Views;
        if (unlocked && s.Downloads != 0) o["downloaded"] = s.Downloads;
        if (unlocked && s.Expires is { } e) o["expires"] = GoTime.Format(DateTimeOffset.FromUnixTimeSeconds(e).UtcDateTime);
        o["unlocked"] = unlocked;
        if (s.Password.Length > 0) o["password_protected"] = true;
        o["source_type"] = s.IsDir ? 1 : 0;
        o["owner"] = Owner(req, c, s.UserId, requesterId != null, tx);
        o["created_at"] = GoTime.Format(s.CreatedAt);
        o["expired"] = V4ShareStore.IsExpired(s) || expired;
        o["url"] = Url(req, s, unlocked);
        if (unlocked && s.ShowReadMe) o["show_readme"] = true;
        o["size"] = unlocked && !s.IsDir && source != null ? source.Size : 0;
        var owner = requesterId == s.UserId;
        if (owner && s.Password.Length > 0) o["is_private"] = true;
        if (unlocked && s.Password.Length > 0) o["password"] = s.Password;
        if (owner && s.ShareView) o["share_view"] = true;
        return o;
    }

    /// <summary>The redacted owner: {id, email (logged-in callers only), nickname, created_at} (cap 29, 30).</summary>
    public static JsonObject Owner(Req req, SqliteConnection c, long uid, bool withEmail, SqliteTransaction? tx = null)
    {
        var u = Users.ById(c, uid, tx);
        var o = new JsonObject { ["id"] = req.App.Ids.Encode(uid, V4SvcIds.User) };
        if (withEmail && u is { Email.Length: > 0 }) o["email"] = u.Email;
        if (u is { Nick.Length: > 0 }) o["nickname"] = u.Nick;
        if (u is { Avatar.Length: > 0 }) o["avatar"] = u.Avatar;
        o["created_at"] = GoTime.Format(u?.CreatedAt ?? 0);
        return o;
    }
}

using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>What the share, direct-link, WebDAV and admin routes take from the v4 core (auth, bodies, URIs, site URL).</summary>
internal static class V4SvcGlue
{
    public const string Prefix = V4Routes.Prefix;

    /// <summary>The caller and their group, or 401 "Login required".</summary>
    public static (UserRow User, GroupRow Group) User(Req req)
    {
        var c = req.RequireCaller();
        return (c.User, c.Group);
    }

    /// <summary>The caller, or null when anonymous.</summary>
    public static V4Caller? Caller(Req req) => req.Caller();

    /// <summary>A user in an admin group, else code 403 with an empty msg (cap 42, 472).</summary>
    public static (UserRow User, GroupRow Group) Admin(Req req)
    {
        var (u, g) = User(req);
        if (!V4GroupPerms.Of(req, g).Contains(V4Bits.IsAdmin)) throw V4Envelope.Fail(V4Codes.PermissionDenied, "");
        return (u, g);
    }

    public static Task<JsonBody> Body(Req req) => V4Body.Read(req);

    public static void ThrowIfTypeError(JsonBody body)
    {
        if (body.TypeError) throw V4Envelope.Param("JSON marshall error");
    }

    public static Task Ok(Req req, JsonNode? data) => req.Json(V4Envelope.Ok(data));

    /// <summary>The base of share and direct-link URLs (Cloudreve's siteURL): the origin the request came to.</summary>
    public static string SiteUrl(Req req) => req.Http.Request.Scheme + "://" + req.Http.Request.Host.Value;

    /// <summary>Bytes the user stores (the capacity "used" value).</summary>
    public static long StorageUsed(SqliteConnection c, UserRow u, SqliteTransaction? tx = null) => u.Storage;

    /// <summary>
    /// Everything of a user the admin batch delete removes: files and folders, shares, links, WebDAV accounts, uploads,
    /// trash. Returns the blobs no file uses any more (delete them after the commit).
    /// </summary>
    public static List<string> DeleteUserData(SqliteConnection c, SqliteTransaction tx, long uid)
    {
        var files = Objects.FilesWhere(c, "user_id=$u", tx, ("$u", uid));
        // 4.18 state of the transfer area: version entities of the user's files and open upload sessions (with their staged bytes).
        c.Exec("DELETE FROM v4_entities WHERE file_id IN (SELECT id FROM files WHERE user_id=$u)", tx, ("$u", uid));
        var staged = c.Query("SELECT source_name FROM v4_upload_sessions WHERE user_id=$u", r => r.GetString(0), tx, ("$u", uid));
        c.Exec("DELETE FROM v4_upload_sessions WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM source_links WHERE file_id IN (SELECT id FROM files WHERE user_id=$u)", tx, ("$u", uid));
        var folders = c.Query("SELECT id FROM folders WHERE owner_id=$u", r => r.GetInt64(0), tx, ("$u", uid));
        var blobs = FileSystem.DeleteRecords(c, tx, uid, files, folders);
        c.Exec("DELETE FROM shares WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM webdavs WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM upload_sessions WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM v4_trash WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM v4_trash_roots WHERE user_id=$u", tx, ("$u", uid));
        foreach (var name in staged.Distinct())
        {
            if (!blobs.Contains(name) && Objects.SourceReferences(c, name, -1, tx) == 0) blobs.Add(name);
        }
        return blobs;
    }
}

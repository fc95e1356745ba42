using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>A trashed item: its uuid (the trash URI), the original name and restore URI (section 8.2).</summary>
internal sealed record V4TrashEntry(string Uuid, long UserId, bool IsFolder, long ObjectId, string Name, string RestoreUri, long TrashedAt, long CollectAt)
{
    public string TrashUri => V4Uri.Format(V4Uri.Trash, [Uuid]);
}

/// <summary>The recycle bin: entries and their FileResponse form (cap 281).</summary>
internal static class V4Trash
{
    private const string Cols = "uuid,user_id,is_folder,object_id,name,restore_uri,trashed_at,collect_at";

    private static V4TrashEntry Map(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetInt64(2) != 0, r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetInt64(6), r.GetInt64(7));

    public static List<V4TrashEntry> All(SqliteConnection c, long uid, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {Cols} FROM v4_trash WHERE user_id=$u ORDER BY trashed_at, uuid", Map, tx, ("$u", uid));

    public static V4TrashEntry? ByUuid(SqliteConnection c, long uid, string uuid, SqliteTransaction? tx = null) =>
        c.One($"SELECT {Cols} FROM v4_trash WHERE user_id=$u AND uuid=$id", Map, tx, ("$u", uid), ("$id", uuid));

    /// <summary>The node of an entry (with its original name), or null when the record is gone.</summary>
    public static V4Node? Node(SqliteConnection c, V4TrashEntry e, SqliteTransaction? tx = null)
    {
        if (e.IsFolder) return Objects.Folder(c, e.ObjectId, tx) is { } d ? new V4Node(d, null, e.Name) : null;
        return Objects.File(c, e.ObjectId, tx) is { } f ? new V4Node(null, f, e.Name) : null;
    }

    /// <summary>The entry named by a <c>cloudreve://trash/&lt;uuid&gt;</c> URI (exactly one segment), or null.</summary>
    public static V4TrashEntry? Find(SqliteConnection c, long uid, V4Uri uri, SqliteTransaction? tx = null) =>
        uri.FileSystem == V4Uri.Trash && uri.Segments.Count == 1 ? ByUuid(c, uid, uri.Segments[0], tx) : null;

    /// <summary>The FileResponse of an entry: path cloudreve://trash/&lt;uuid&gt;, sys:restore_uri and sys:expected_collect_time, capability AMIK.</summary>
    public static JsonObject Json(App app, V4TrashEntry e, V4Node n, bool withCapability = true) =>
        V4Json.File(app, n, e.TrashUri, new JsonObject
        {
            ["sys:expected_collect_time"] = e.CollectAt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sys:restore_uri"] = e.RestoreUri,
        }, withCapability ? V4Json.TrashCapability : null);

    public static List<(V4Node Node, JsonObject Json)> Entries(SqliteConnection c, App app, long uid)
    {
        var list = new List<(V4Node, JsonObject)>();
        foreach (var e in All(c, uid))
        {
            if (Node(c, e) is { } n) list.Add((n, Json(app, e, n)));
        }
        return list;
    }
}

using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

internal sealed record FolderRow(long Id, string Name, long? ParentId, long OwnerId, long CreatedAt, long UpdatedAt);

internal sealed record FileRow(long Id, string Name, string SourceName, long UserId, long Size, long FolderId, long PolicyId, string? UploadSessionId, long CreatedAt, long UpdatedAt)
{
    public bool IsPlaceholder => UploadSessionId != null;
}

/// <summary>Queries on folders and files.</summary>
internal static class Objects
{
    private const string FolderCols = "id,name,parent_id,owner_id,created_at,updated_at";
    private const string FileCols = "id,name,source_name,user_id,size,folder_id,policy_id,upload_session_id,created_at,updated_at";

    private static FolderRow MapFolder(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.NullableLong(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));

    private static FileRow MapFile(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.NullableString(7), r.GetInt64(8), r.GetInt64(9));

    public static FolderRow Root(SqliteConnection c, long uid, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FolderCols} FROM folders WHERE owner_id=$u AND parent_id IS NULL ORDER BY id LIMIT 1", MapFolder, tx, ("$u", uid))
        ?? throw new InvalidOperationException($"User {uid} has no root folder.");

    public static FolderRow? Folder(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FolderCols} FROM folders WHERE id=$id", MapFolder, tx, ("$id", id));

    public static FolderRow? OwnFolder(SqliteConnection c, long uid, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FolderCols} FROM folders WHERE id=$id AND owner_id=$u", MapFolder, tx, ("$id", id), ("$u", uid));

    public static FileRow? File(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FileCols} FROM files WHERE id=$id", MapFile, tx, ("$id", id));

    public static FileRow? OwnFile(SqliteConnection c, long uid, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FileCols} FROM files WHERE id=$id AND user_id=$u", MapFile, tx, ("$id", id), ("$u", uid));

    public static FolderRow? ChildFolder(SqliteConnection c, long parentId, string name, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FolderCols} FROM folders WHERE parent_id=$p AND name=$n", MapFolder, tx, ("$p", parentId), ("$n", name));

    /// <summary>Any file with that name in the folder, placeholders included.</summary>
    public static FileRow? ChildFile(SqliteConnection c, long folderId, string name, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FileCols} FROM files WHERE folder_id=$f AND name=$n", MapFile, tx, ("$f", folderId), ("$n", name));

    public static List<FolderRow> SubFolders(SqliteConnection c, long parentId, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {FolderCols} FROM folders WHERE parent_id=$p ORDER BY id", MapFolder, tx, ("$p", parentId));

    /// <summary>Files of a folder; placeholders (pending uploads) only when asked.</summary>
    public static List<FileRow> FilesIn(SqliteConnection c, long folderId, bool includePlaceholders = false, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {FileCols} FROM files WHERE folder_id=$f {(includePlaceholders ? "" : "AND upload_session_id IS NULL")} ORDER BY id", MapFile, tx, ("$f", folderId));

    public static List<FileRow> FilesWhere(SqliteConnection c, string where, SqliteTransaction? tx = null, params (string, object?)[] args) =>
        c.Query($"SELECT {FileCols} FROM files WHERE {where}", MapFile, tx, args);

    public static FileRow? FileByUploadSession(SqliteConnection c, string sessionId, long uid, SqliteTransaction? tx = null) =>
        c.One($"SELECT {FileCols} FROM files WHERE upload_session_id=$s AND user_id=$u", MapFile, tx, ("$s", sessionId), ("$u", uid));

    /// <summary>Strict path lookup (no normalisation): "/" is the root; an empty segment never matches.</summary>
    public static FolderRow? FolderByPath(SqliteConnection c, long uid, string path, SqliteTransaction? tx = null)
    {
        if (!path.StartsWith('/')) return null;
        var folder = Root(c, uid, tx);
        if (path == "/") return folder;
        foreach (var seg in path[1..].Split('/'))
        {
            if (seg.Length == 0) return null;
            var next = ChildFolder(c, folder.Id, seg, tx);
            if (next == null) return null;
            folder = next;
        }
        return folder;
    }

    /// <summary>Absolute path of a folder ("/" for the root). Null when the parent chain is broken or cyclic.</summary>
    public static string? FolderPath(SqliteConnection c, long folderId, SqliteTransaction? tx = null)
    {
        var names = new List<string>();
        var seen = new HashSet<long>();
        var current = Folder(c, folderId, tx);
        while (current != null && current.ParentId != null)
        {
            if (!seen.Add(current.Id)) return null;
            names.Add(current.Name);
            current = Folder(c, current.ParentId.Value, tx);
        }
        if (current == null) return null;
        names.Reverse();
        return "/" + string.Join('/', names);
    }

    /// <summary>All folders below (not including) the given one, cycle-safe.</summary>
    public static List<FolderRow> Descendants(SqliteConnection c, long folderId, SqliteTransaction? tx = null)
    {
        var result = new List<FolderRow>();
        var seen = new HashSet<long> { folderId };
        var queue = new Queue<long>();
        queue.Enqueue(folderId);
        while (queue.Count > 0)
        {
            foreach (var sub in SubFolders(c, queue.Dequeue(), tx))
            {
                if (!seen.Add(sub.Id)) continue;
                result.Add(sub);
                queue.Enqueue(sub.Id);
            }
        }
        return result;
    }

    public static long InsertFolder(SqliteConnection c, SqliteTransaction tx, string name, long parentId, long ownerId)
    {
        var now = GoTime.Now();
        return c.InsertId("INSERT INTO folders(name,parent_id,owner_id,created_at,updated_at) VALUES($n,$p,$o,$now,$now)",
            tx, ("$n", name), ("$p", parentId), ("$o", ownerId), ("$now", now));
    }

    public static long InsertFile(SqliteConnection c, SqliteTransaction tx, string name, string sourceName, long uid, long size, long folderId, long policyId, string? uploadSessionId, long? updatedAt = null)
    {
        var now = GoTime.Now();
        return c.InsertId("""
            INSERT INTO files(name,source_name,user_id,size,folder_id,policy_id,upload_session_id,created_at,updated_at)
            VALUES($n,$s,$u,$size,$f,$p,$sess,$now,$upd)
            """, tx, ("$n", name), ("$s", sourceName), ("$u", uid), ("$size", size), ("$f", folderId), ("$p", policyId),
            ("$sess", uploadSessionId), ("$now", now), ("$upd", updatedAt ?? now));
    }

    /// <summary>Number of file records (other than the excluded one) that point at the same stored bytes.</summary>
    public static long SourceReferences(SqliteConnection c, string sourceName, long excludingId, SqliteTransaction? tx = null) =>
        (long)(c.Scalar("SELECT COUNT(*) FROM files WHERE source_name=$s AND id<>$id", tx, ("$s", sourceName), ("$id", excludingId)) ?? 0L);
}

using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>A folder or a file of the shared data model, as v4 sees it (one object type with type 0/1).</summary>
internal sealed record V4Node(FolderRow? Folder, FileRow? File, string? DisplayName = null)
{
    public bool IsFolder => Folder != null;
    public long Id => Folder?.Id ?? File!.Id;
    /// <summary>The display name: "" for the root (cap 09), the original name for a trashed item.</summary>
    public string Name => DisplayName ?? (Folder is { ParentId: null } ? "" : Folder?.Name ?? File!.Name);
    public long CreatedAt => Folder?.CreatedAt ?? File!.CreatedAt;
    public long UpdatedAt => Folder?.UpdatedAt ?? File!.UpdatedAt;
    public long Size => File?.Size ?? 0;
    public bool IsRoot => Folder is { ParentId: null };

    /// <summary>The containing folder's id (null for a root).</summary>
    public long? ParentId => Folder != null ? Folder.ParentId : File!.FolderId;

    public string HashId(HashIds ids) => IsFolder ? ids.Encode(Id, HashIds.Folder) : ids.Encode(Id, HashIds.File);

    public static V4Node Of(FolderRow f) => new(f, null);
    public static V4Node Of(FileRow f) => new(null, f);
}

/// <summary>
/// Path resolution on the caller's own tree (<c>cloudreve://my/...</c>). Items in the trash are moved under a hidden
/// per-user trash folder (a second parentless folder, see <see cref="TrashFolderId"/>), so walks from the root never
/// see them. Callers run inside Db.Read/Db.Write.
/// </summary>
internal static class V4Fs
{
    /// <summary>The node a path names in the user's tree, or null.</summary>
    public static V4Node? Resolve(SqliteConnection c, long uid, IReadOnlyList<string> segments, SqliteTransaction? tx = null)
    {
        var folder = Objects.Root(c, uid, tx);
        for (var i = 0; i < segments.Count; i++)
        {
            var next = Objects.ChildFolder(c, folder.Id, segments[i], tx);
            if (next != null)
            {
                folder = next;
                continue;
            }
            if (i == segments.Count - 1 && Objects.ChildFile(c, folder.Id, segments[i], tx) is { } file) return V4Node.Of(file);
            return null;
        }
        return V4Node.Of(folder);
    }

    /// <summary>
    /// Checks a URI names the caller's own tree: another filesystem is 403 "Not supported action", an owner in the
    /// userinfo part (even the caller's own or an admin's) 403 "Permission denied" (cap 470, 471).
    /// </summary>
    public static void RequireMy(V4Uri uri, App app, V4Caller caller)
    {
        if (uri.FileSystem != V4Uri.My) throw V4Envelope.NotSupported();
        if (uri.Owner != null && app.Ids.Decode(uri.Owner, HashIds.User) != caller.Id) throw V4Envelope.PermissionDenied();
    }

    /// <summary>True when a URI names the caller's own tree (no owner, or the caller as owner): the per-item check of batches.</summary>
    public static bool IsMy(V4Uri uri, App app, V4Caller caller) =>
        uri.FileSystem == V4Uri.My && (uri.Owner == null || app.Ids.Decode(uri.Owner, HashIds.User) == caller.Id);

    /// <summary>Resolves a "my" URI or throws 40016.</summary>
    public static V4Node Require(SqliteConnection c, long uid, V4Uri uri, SqliteTransaction? tx = null) =>
        Resolve(c, uid, uri.Segments, tx) ?? throw V4Envelope.PathNotExist();

    /// <summary>Segments from the root to the node (empty for the root); null when the node is not below the root (trash).</summary>
    public static List<string>? Segments(SqliteConnection c, V4Node n, SqliteTransaction? tx = null)
    {
        var folderId = n.IsFolder ? n.Id : n.File!.FolderId;
        var names = new List<string>();
        var seen = new HashSet<long>();
        var current = Objects.Folder(c, folderId, tx);
        while (current is { ParentId: not null })
        {
            if (!seen.Add(current.Id)) return null;
            names.Add(current.Name);
            current = Objects.Folder(c, current.ParentId.Value, tx);
        }
        if (current == null || current.Id != Objects.Root(c, current.OwnerId, tx).Id) return null;
        names.Reverse();
        if (!n.IsFolder) names.Add(n.File!.Name);
        return names;
    }

    /// <summary>The node's <c>cloudreve://my/...</c> URI (null when it is not below the root).</summary>
    public static string? UriOf(SqliteConnection c, V4Node n, SqliteTransaction? tx = null) =>
        Segments(c, n, tx) is { } segs ? V4Uri.Format(V4Uri.My, segs) : null;

    /// <summary>Folders then files of a folder, pending uploads included (they show as size-0 entries, cap 302).</summary>
    public static List<V4Node> Children(SqliteConnection c, long folderId, SqliteTransaction? tx = null)
    {
        var list = Objects.SubFolders(c, folderId, tx).Select(V4Node.Of).ToList();
        list.AddRange(Objects.FilesIn(c, folderId, includePlaceholders: true, tx).Select(V4Node.Of));
        return list;
    }

    /// <summary>Any child (folder or file) of that name.</summary>
    public static V4Node? Child(SqliteConnection c, long folderId, string name, SqliteTransaction? tx = null)
    {
        if (Objects.ChildFolder(c, folderId, name, tx) is { } d) return V4Node.Of(d);
        return Objects.ChildFile(c, folderId, name, tx) is { } f ? V4Node.Of(f) : null;
    }

    /// <summary>True when <paramref name="candidate"/> is <paramref name="folderId"/> or one of its descendants.</summary>
    public static bool IsSelfOrDescendant(SqliteConnection c, long folderId, long candidate, SqliteTransaction? tx = null)
    {
        var seen = new HashSet<long>();
        var current = Objects.Folder(c, candidate, tx);
        while (current != null && seen.Add(current.Id))
        {
            if (current.Id == folderId) return true;
            current = current.ParentId is { } p ? Objects.Folder(c, p, tx) : null;
        }
        return false;
    }

    /// <summary>The user's hidden trash folder (created on first use).</summary>
    public static long TrashFolderId(SqliteConnection c, SqliteTransaction tx, long uid)
    {
        if (c.Scalar("SELECT folder_id FROM v4_trash_roots WHERE user_id=$u", tx, ("$u", uid)) is long id) return id;
        Objects.Root(c, uid, tx); // the real root must exist first (it keeps the lowest id)
        var now = GoTime.Now();
        id = c.InsertId("INSERT INTO folders(name,parent_id,owner_id,created_at,updated_at) VALUES('.trash',NULL,$u,$now,$now)", tx, ("$u", uid), ("$now", now));
        c.Exec("INSERT INTO v4_trash_roots(user_id,folder_id) VALUES($u,$f)", tx, ("$u", uid), ("$f", id));
        return id;
    }

    /// <summary>Recursive counts below a folder (reference 6, folder_summary): size, files, folders.</summary>
    public static (long Size, long Files, long Folders) Summary(SqliteConnection c, long folderId, SqliteTransaction? tx = null)
    {
        var ids = Objects.Descendants(c, folderId, tx).Select(d => d.Id).Prepend(folderId).ToList();
        // One aggregate over every folder of the subtree (pending uploads do not count), not a file query per folder.
        var (size, files) = c.Query($"SELECT COALESCE(SUM(size),0), COUNT(*) FROM files WHERE upload_session_id IS NULL AND folder_id IN ({string.Join(',', ids.Select(Validate.Inv))})",
            r => (r.GetInt64(0), r.GetInt64(1)), tx)[0];
        return (size, files, ids.Count - 1L);
    }
}

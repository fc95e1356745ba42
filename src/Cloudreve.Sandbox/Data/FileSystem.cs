using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

/// <summary>Folder/file operations with Cloudreve 3.8.3's semantics. Callers run them inside a write transaction.</summary>
internal static class FileSystem
{
    public static ApiException RootProtected() => Envelope.Fail(Codes.RootProtected, "Root protected");
    public static ApiException IllegalName() => Envelope.Fail(Codes.IllegalObjectName, "Invalid object name");
    public static ApiException Existed() => Envelope.Fail(Codes.ObjectExist, "Object existed");
    public static ApiException UploadOngoing() => Envelope.Fail(Codes.ConflictUploadOngoing, "Upload session existed");
    public static ApiException PathNotExist() => Envelope.Fail(Codes.ParentNotExist, "Path not exist");
    public static ApiException ObjectNotExist() => Envelope.Fail(Codes.ParentNotExist, "Object not exist");

    /// <summary>Creates a folder and its missing parents (path cleaned, trailing spaces of the new name stripped; idempotent).</summary>
    public static FolderRow CreateDirectory(SqliteConnection c, SqliteTransaction tx, long uid, string fullPath)
    {
        if (fullPath is "." or "") throw RootProtected();
        if (fullPath == "/") return Objects.Root(c, uid, tx);

        fullPath = GoPath.Clean(fullPath);
        var parentPath = GoPath.Dir(fullPath);
        var name = GoPath.Base(fullPath).TrimEnd(' ');
        if (!Names.IsLegal(name)) throw IllegalName();

        var parent = Objects.FolderByPath(c, uid, parentPath, tx) ?? CreateDirectory(c, tx, uid, parentPath);
        if (Objects.ChildFile(c, parent.Id, name, tx) != null) throw Existed();
        var existing = Objects.ChildFolder(c, parent.Id, name, tx);
        if (existing != null) return existing;
        var id = Objects.InsertFolder(c, tx, name, parent.Id, uid);
        return Objects.Folder(c, id, tx)!;
    }

    /// <summary>Deletes files and folders (recursively). Returns the source names no longer referenced.</summary>
    public static List<string> Delete(SqliteConnection c, SqliteTransaction tx, long uid, IEnumerable<long> fileIds, IEnumerable<long> folderIds)
    {
        var files = new Dictionary<long, FileRow>();
        var folders = new Dictionary<long, FolderRow>();
        foreach (var id in folderIds)
        {
            var f = Objects.OwnFolder(c, uid, id, tx);
            if (f == null || f.ParentId == null) continue; // the root can never be deleted
            folders[f.Id] = f;
            foreach (var d in Objects.Descendants(c, f.Id, tx)) folders[d.Id] = d;
        }
        foreach (var folderId in folders.Keys)
            foreach (var file in Objects.FilesIn(c, folderId, includePlaceholders: true, tx)) files[file.Id] = file;
        foreach (var id in fileIds)
        {
            var f = Objects.OwnFile(c, uid, id, tx);
            if (f != null) files[f.Id] = f;
        }
        return DeleteRecords(c, tx, uid, files.Values, folders.Keys);
    }

    /// <summary>
    /// What the admin user delete removes of a user (the users row stays): files and folders, shares, WebDAV accounts,
    /// upload sessions. Returns the blobs no file uses any more (delete them after the commit).
    /// </summary>
    public static List<string> DeleteUserData(SqliteConnection c, SqliteTransaction tx, long uid)
    {
        var files = Objects.FilesWhere(c, "user_id=$u", tx, ("$u", uid));
        var folders = c.Query("SELECT id FROM folders WHERE owner_id=$u", r => r.GetInt64(0), tx, ("$u", uid));
        var blobs = DeleteRecords(c, tx, uid, files, folders);
        c.Exec("DELETE FROM shares WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM webdavs WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM upload_sessions WHERE user_id=$u", tx, ("$u", uid));
        return blobs;
    }

    public static List<string> DeleteRecords(SqliteConnection c, SqliteTransaction tx, long uid, IEnumerable<FileRow> files, IEnumerable<long> folderIds)
    {
        var orphaned = new List<string>();
        long freed = 0;
        foreach (var f in files)
        {
            c.Exec("DELETE FROM files WHERE id=$id", tx, ("$id", f.Id));
            if (f.UploadSessionId != null) c.Exec("DELETE FROM upload_sessions WHERE id=$s", tx, ("$s", f.UploadSessionId));
            freed += f.Size;
            if (Objects.SourceReferences(c, f.SourceName, f.Id, tx) == 0) orphaned.Add(f.SourceName);
            Shares.DeleteForObject(c, tx, f.Id, isDir: false);
        }
        foreach (var id in folderIds)
        {
            c.Exec("UPDATE folders SET parent_id=NULL WHERE id=$id", tx, ("$id", id));
        }
        foreach (var id in folderIds)
        {
            c.Exec("DELETE FROM folders WHERE id=$id", tx, ("$id", id));
            Shares.DeleteForObject(c, tx, id, isDir: true);
        }
        if (freed > 0) Users.AddStorage(c, tx, uid, -freed);
        return orphaned;
    }

    /// <summary>Move: only direct children of src are moved; folders first; a name clash → 40004.</summary>
    public static void Move(SqliteConnection c, SqliteTransaction tx, long uid, IReadOnlyList<long> dirs, IReadOnlyList<long> files, string src, string dst)
    {
        var dstFolder = Objects.FolderByPath(c, uid, dst, tx);
        var srcFolder = Objects.FolderByPath(c, uid, src, tx);
        if (dstFolder == null || srcFolder == null) throw PathNotExist();
        if (srcFolder.Id == dstFolder.Id) return;

        var now = GoTime.Now();
        foreach (var id in dirs)
        {
            var f = Objects.OwnFolder(c, uid, id, tx);
            if (f == null || f.ParentId != srcFolder.Id) continue;
            if (f.Id == dstFolder.Id || Objects.ChildFolder(c, dstFolder.Id, f.Name, tx) != null) throw Existed();
            // Like 3.8.3, moving into a descendant is not detected (the subtree becomes unreachable).
            c.Exec("UPDATE folders SET parent_id=$p, updated_at=$now WHERE id=$id", tx, ("$p", dstFolder.Id), ("$now", now), ("$id", f.Id));
        }
        foreach (var id in files)
        {
            var f = Objects.OwnFile(c, uid, id, tx);
            if (f == null || f.FolderId != srcFolder.Id) continue;
            if (Objects.ChildFile(c, dstFolder.Id, f.Name, tx) != null) throw Existed();
            c.Exec("UPDATE files SET folder_id=$p, updated_at=$now WHERE id=$id", tx, ("$p", dstFolder.Id), ("$now", now), ("$id", f.Id));
        }
    }

    /// <summary>Copy of one object; copies share the stored bytes; name clash → 40016 "Object not exist".</summary>
    public static void Copy(SqliteConnection c, SqliteTransaction tx, long uid, IReadOnlyList<long> dirs, IReadOnlyList<long> files, string src, string dst)
    {
        var dstFolder = Objects.FolderByPath(c, uid, dst, tx);
        var srcFolder = Objects.FolderByPath(c, uid, src, tx);
        if (dstFolder == null || srcFolder == null) throw PathNotExist();

        long added = 0;
        if (dirs.Count > 0)
        {
            var f = Objects.OwnFolder(c, uid, dirs[0], tx);
            if (f == null || f.ParentId != srcFolder.Id) throw ObjectNotExist();
            if (Objects.ChildFolder(c, dstFolder.Id, f.Name, tx) != null) throw ObjectNotExist();
            // Snapshot the source tree first, so copying a folder into itself terminates.
            var tree = Snapshot(c, tx, f);
            added += CopyTree(c, tx, uid, tree, dstFolder.Id);
        }
        if (files.Count > 0)
        {
            foreach (var id in files)
            {
                var f = Objects.OwnFile(c, uid, id, tx);
                if (f == null || f.FolderId != srcFolder.Id || f.IsPlaceholder) continue;
                if (Objects.ChildFile(c, dstFolder.Id, f.Name, tx) != null) throw ObjectNotExist();
                Objects.InsertFile(c, tx, f.Name, f.SourceName, uid, f.Size, dstFolder.Id, f.PolicyId, null);
                added += f.Size;
            }
        }
        if (added > 0) Users.AddStorage(c, tx, uid, added);
    }

    private sealed record TreeNode(FolderRow Folder, List<FileRow> Files, List<TreeNode> Children);

    private static TreeNode Snapshot(SqliteConnection c, SqliteTransaction tx, FolderRow root)
    {
        var seen = new HashSet<long>();
        TreeNode Build(FolderRow f)
        {
            seen.Add(f.Id);
            var children = Objects.SubFolders(c, f.Id, tx).Where(s => !seen.Contains(s.Id)).Select(Build).ToList();
            return new TreeNode(f, Objects.FilesIn(c, f.Id, false, tx), children);
        }
        return Build(root);
    }

    private static long CopyTree(SqliteConnection c, SqliteTransaction tx, long uid, TreeNode node, long parentId)
    {
        long added = 0;
        var newId = Objects.InsertFolder(c, tx, node.Folder.Name, parentId, uid);
        foreach (var f in node.Files)
        {
            Objects.InsertFile(c, tx, f.Name, f.SourceName, uid, f.Size, newId, f.PolicyId, null);
            added += f.Size;
        }
        foreach (var child in node.Children) added += CopyTree(c, tx, uid, child, newId);
        return added;
    }

    /// <summary>Rename of one object (name rules checked by the caller).</summary>
    public static void Rename(SqliteConnection c, SqliteTransaction tx, long uid, IReadOnlyList<long> dirs, IReadOnlyList<long> files, string newName)
    {
        var now = GoTime.Now();
        if (files.Count > 0)
        {
            var f = Objects.OwnFile(c, uid, files[0], tx) ?? throw PathNotExist();
            if (f.Name == newName) return;
            if (Objects.ChildFile(c, f.FolderId, newName, tx) != null) throw Existed();
            c.Exec("UPDATE files SET name=$n, updated_at=$now WHERE id=$id", tx, ("$n", newName), ("$now", now), ("$id", f.Id));
            return;
        }
        if (dirs.Count > 0)
        {
            var d = Objects.OwnFolder(c, uid, dirs[0], tx) ?? throw PathNotExist();
            if (d.Name == newName) return;
            if (d.ParentId != null && Objects.ChildFolder(c, d.ParentId.Value, newName, tx) != null) throw Existed();
            c.Exec("UPDATE folders SET name=$n, updated_at=$now WHERE id=$id", tx, ("$n", newName), ("$now", now), ("$id", d.Id));
            return;
        }
        throw PathNotExist();
    }
}

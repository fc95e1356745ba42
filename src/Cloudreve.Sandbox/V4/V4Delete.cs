using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Section 8: <c>DELETE /file {uris, skip_soft_delete?, unlink?}</c> (to the trash by default, cap 280; for good with
/// skip_soft_delete, cap 290), <c>POST /file/restore {uris}</c> (cap 284-289) and <c>DELETE /file/trash</c> (cap 296).
/// Per-item failures are 40081 with aggregated_error (cap 291, 293, 294); the items that can be done are done.
/// </summary>
internal static class V4Delete
{
    public static void Map(Router r)
    {
        r.Delete(V4Routes.Prefix + "/file", Delete);
        r.Post(V4Routes.Prefix + "/file/restore", Restore);
        r.Delete(V4Routes.Prefix + "/file/trash", EmptyTrash);
    }

    /// <summary>Parses the "uris" array of a batch body (at most 3000, cap 473; a malformed URI fails the call).</summary>
    public static async Task<(List<V4Uri> Uris, JsonBody Body)> ReadUris(Req req)
    {
        var body = await V4Body.Read(req);
        var raw = body.StrList("uris");
        body.ThrowIfTypeError();
        if (raw.Count == 0) throw V4Envelope.Param("Uris cannot be empty");
        if (raw.Count > V4Envelope.MaxBatch) throw V4Envelope.TooManyUris();
        return (raw.Select(V4Uri.Parse).ToList(), body);
    }

    private static async Task Delete(Req req)
    {
        var caller = req.RequireCaller();
        var (uris, body) = await ReadUris(req);
        var permanent = body.Bool("skip_soft_delete");
        var unlink = body.Bool("unlink");
        body.ThrowIfTypeError();
        var app = req.App;
        var agg = new V4Aggregate();
        var orphaned = app.Db.Write((c, tx) =>
        {
            var blobs = new List<string>();
            foreach (var uri in uris)
            {
                var key = V4Aggregate.Key(uri);
                if (uri.FileSystem == V4Uri.Trash)
                {
                    if (!permanent)
                    {
                        agg.Add(key, V4Envelope.NotSupported(), "Not supported action: action '\\x10' is not supported under current fs");
                        continue;
                    }
                    var entry = V4Trash.Find(c, caller.Id, uri, tx);
                    if (entry == null)
                    {
                        agg.Add(key, V4Envelope.PathNotExist(), $"failed to get target file: failed to walk into \"{uri.Name}\": Path not exist: ent: file not found");
                        continue;
                    }
                    blobs.AddRange(Purge(c, tx, caller.Id, entry));
                    continue;
                }
                if (!V4Fs.IsMy(uri, app, caller))
                {
                    agg.Add(key, V4Envelope.PermissionDenied());
                    continue;
                }
                var node = V4Fs.Resolve(c, caller.Id, uri.Segments, tx);
                if (node == null)
                {
                    agg.Add(key, V4Envelope.PathNotExist(), $"failed to get target file: failed to walk into \"{uri.Name}\": Path not exist: ent: file not found");
                    continue;
                }
                if (node.IsRoot)
                {
                    agg.Add(key, V4Envelope.NotSupported(), "Not supported action: cannot delete root folder");
                    continue;
                }
                if (permanent || unlink)
                {
                    var gone = DeleteTree(c, tx, caller.Id, node);
                    if (!unlink) blobs.AddRange(gone);
                }
                else
                {
                    ToTrash(c, tx, caller.Id, node, V4Fs.UriOf(c, node, tx)!);
                }
            }
            return blobs;
        });
        foreach (var s in orphaned) app.Blobs.Delete(s);
        agg.ThrowIfAny();
        await req.Json(V4Envelope.Ok());
    }

    private static async Task Restore(Req req)
    {
        var caller = req.RequireCaller();
        var (uris, _) = await ReadUris(req);
        var agg = new V4Aggregate();
        req.App.Db.Write((c, tx) =>
        {
            foreach (var uri in uris)
            {
                var key = V4Aggregate.Key(uri);
                if (uri.FileSystem != V4Uri.Trash)
                {
                    agg.Add(key, V4Envelope.NotSupported(), "Not supported action: action '\\x11' is not supported under current fs");
                    continue;
                }
                var entry = V4Trash.Find(c, caller.Id, uri, tx);
                if (entry == null)
                {
                    agg.Add(key, V4Envelope.PathNotExist(), $"failed to get target file: failed to walk into \"{uri.Name}\": Path not exist: ent: file not found");
                    continue;
                }
                try
                {
                    RestoreEntry(c, tx, caller.Id, entry);
                }
                catch (V4Exception ex) when (ex.Code == V4Codes.ObjectExist)
                {
                    agg.Add(key, ex, "Object existed: ent: constraint failed: UNIQUE constraint failed: files.file_children, files.name");
                }
            }
        });
        agg.ThrowIfAny();
        await req.Json(V4Envelope.Ok());
    }

    private static Task EmptyTrash(Req req)
    {
        var caller = req.RequireCaller();
        var app = req.App;
        var orphaned = app.Db.Write((c, tx) =>
        {
            var blobs = new List<string>();
            foreach (var e in V4Trash.All(c, caller.Id, tx)) blobs.AddRange(Purge(c, tx, caller.Id, e));
            return blobs;
        });
        foreach (var s in orphaned) app.Blobs.Delete(s);
        return req.Json(V4Envelope.Ok());
    }

    /// <summary>Moves a node into the trash: a new uuid entry remembers its name and URI; it keeps counting against quota.</summary>
    public static V4TrashEntry ToTrash(SqliteConnection c, SqliteTransaction tx, long uid, V4Node node, string restoreUri)
    {
        var trash = V4Fs.TrashFolderId(c, tx, uid);
        var uuid = Guid.NewGuid().ToString();
        var now = GoTime.Now();
        var collect = GoTime.NowUnix() + V4Json.TrashRetentionSeconds;
        c.Exec("INSERT INTO v4_trash(uuid,user_id,is_folder,object_id,name,restore_uri,trashed_at,collect_at) VALUES($id,$u,$f,$o,$n,$r,$t,$c)", tx,
            ("$id", uuid), ("$u", uid), ("$f", node.IsFolder ? 1 : 0), ("$o", node.Id), ("$n", node.Name), ("$r", restoreUri), ("$t", now), ("$c", collect));
        Reparent(c, tx, node, trash, uuid, now);
        return new V4TrashEntry(uuid, uid, node.IsFolder, node.Id, node.Name, restoreUri, now, collect);
    }

    /// <summary>Puts a trashed item back at its restore URI (missing parents created); the name taken again is 40004.</summary>
    public static void RestoreEntry(SqliteConnection c, SqliteTransaction tx, long uid, V4TrashEntry entry)
    {
        var node = V4Trash.Node(c, entry, tx) ?? throw V4Envelope.PathNotExist();
        var target = V4Uri.Parse(entry.RestoreUri);
        var parent = V4Create.EnsureFolders(c, tx, uid, Objects.Root(c, uid, tx), target.Segments.Take(target.Segments.Count - 1));
        if (V4Fs.Child(c, parent.Id, entry.Name, tx) != null) throw V4Envelope.Existed();
        Reparent(c, tx, node, parent.Id, entry.Name, GoTime.Now());
        c.Exec("DELETE FROM v4_trash WHERE uuid=$id", tx, ("$id", entry.Uuid));
    }

    /// <summary>Deletes a trash entry for good; returns the stored contents no longer referenced.</summary>
    public static List<string> Purge(SqliteConnection c, SqliteTransaction tx, long uid, V4TrashEntry entry)
    {
        c.Exec("DELETE FROM v4_trash WHERE uuid=$id", tx, ("$id", entry.Uuid));
        var node = V4Trash.Node(c, entry, tx);
        return node == null ? [] : DeleteTree(c, tx, uid, node);
    }

    /// <summary>Deletes a node and everything below it for good (quota freed at once, cap 485).</summary>
    public static List<string> DeleteTree(SqliteConnection c, SqliteTransaction tx, long uid, V4Node node)
    {
        if (!node.IsFolder) return FileSystem.DeleteRecords(c, tx, uid, [node.File!], []);
        var folders = new List<long> { node.Id };
        folders.AddRange(Objects.Descendants(c, node.Id, tx).Select(d => d.Id));
        var files = folders.SelectMany(f => Objects.FilesIn(c, f, includePlaceholders: true, tx)).ToList();
        return FileSystem.DeleteRecords(c, tx, uid, files, folders);
    }

    private static void Reparent(SqliteConnection c, SqliteTransaction tx, V4Node node, long parentId, string name, long now)
    {
        if (node.IsFolder)
            c.Exec("UPDATE folders SET parent_id=$p, name=$n, updated_at=$now WHERE id=$id", tx, ("$p", parentId), ("$n", name), ("$now", now), ("$id", node.Id));
        else
            c.Exec("UPDATE files SET folder_id=$p, name=$n, updated_at=$now WHERE id=$id", tx, ("$p", parentId), ("$n", name), ("$now", now), ("$id", node.Id));
    }
}

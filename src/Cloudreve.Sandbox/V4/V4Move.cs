using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Section 9: <c>POST /file/move {uris, dst, copy?}</c> and <c>POST /file/rename {uri, new_name}</c>. Sources may come
/// from different folders (cap 251). Unlike other batches a name conflict fails the whole call with 40004 and moves
/// nothing (cap 256, 257); a folder into itself or a descendant is 40081 with an inner 403 (cap 258-260); a move into
/// the current parent is 40073 with the item's own moveCopy lock (cap 261); a copy there is 40004 (cap 262).
/// </summary>
internal static class V4Move
{
    public static void Map(Router r)
    {
        r.Post(V4Routes.Prefix + "/file/move", Move);
        r.Post(V4Routes.Prefix + "/file/rename", Rename);
    }

    private static async Task Move(Req req)
    {
        var caller = req.RequireCaller();
        var (uris, body) = await V4Delete.ReadUris(req);
        var rawDst = body.Str("dst");
        var copy = body.Bool("copy");
        body.ThrowIfTypeError();
        if (rawDst.Length == 0) throw V4Envelope.Param("Dst cannot be empty");
        var dst = V4Uri.Parse(rawDst);
        var app = req.App;
        V4Fs.RequireMy(dst, app, caller);
        app.Db.Write((c, tx) =>
        {
            var target = V4Fs.Require(c, caller.Id, dst, tx);
            if (!target.IsFolder) throw V4Envelope.NotSupported();

            var agg = new V4Aggregate();
            var sources = new List<(V4Uri Uri, V4Node Node)>();
            foreach (var uri in uris)
            {
                var key = V4Aggregate.Key(uri);
                if (!V4Fs.IsMy(uri, app, caller))
                {
                    agg.Add(key, V4Envelope.NotSupported());
                    continue;
                }
                var node = V4Fs.Resolve(c, caller.Id, uri.Segments, tx);
                if (node == null)
                {
                    agg.Add(key, V4Envelope.PathNotExist(), $"failed to get file: failed to walk into \"{uri.Name}\": Path not exist: ent: file not found");
                    continue;
                }
                if (node.IsRoot || node.IsFolder && V4Fs.IsSelfOrDescendant(c, node.Id, target.Id, tx))
                {
                    agg.Add(key, V4Envelope.NotSupported(), "Not supported action: cannot move or copy folder to itself or its descendant");
                    continue;
                }
                sources.Add((uri, node));
            }
            agg.ThrowIfAny();

            if (!copy)
            {
                var same = sources.Where(s => s.Node.ParentId == target.Id).ToList();
                if (same.Count > 0)
                {
                    var locks = new JsonArray();
                    foreach (var (_, n) in same)
                    {
                        locks.Add(new JsonObject
                        {
                            ["path"] = V4Fs.UriOf(c, n, tx),
                            ["token"] = Guid.NewGuid().ToString(),
                            ["owner"] = new JsonObject { ["application"] = new JsonObject { ["type"] = "moveCopy" } },
                            ["type"] = n.IsFolder ? 1 : 0,
                        });
                    }
                    throw new V4Exception(V4Codes.LockConflict, "Lock conflict", locks);
                }
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (_, n) in sources)
            {
                if (!names.Add(n.Name) || V4Fs.Child(c, target.Id, n.Name, tx) != null) throw V4Envelope.Existed();
            }

            var now = GoTime.Now();
            long added = 0;
            foreach (var (_, n) in sources)
            {
                if (copy)
                {
                    added += CopyNode(c, tx, caller.Id, n, target.Id);
                }
                else if (n.IsFolder)
                {
                    c.Exec("UPDATE folders SET parent_id=$p, updated_at=$now WHERE id=$id", tx, ("$p", target.Id), ("$now", now), ("$id", n.Id));
                }
                else
                {
                    c.Exec("UPDATE files SET folder_id=$p, updated_at=$now WHERE id=$id", tx, ("$p", target.Id), ("$now", now), ("$id", n.Id));
                }
            }
            if (added > 0) Users.AddStorage(c, tx, caller.Id, added);
        });
        await req.Json(V4Envelope.Ok());
    }

    /// <summary>Copies a file or a folder tree below a folder (copies share the stored content); returns the bytes added.</summary>
    private static long CopyNode(SqliteConnection c, SqliteTransaction tx, long uid, V4Node n, long parentId)
    {
        if (!n.IsFolder)
        {
            var f = n.File!;
            Objects.InsertFile(c, tx, f.Name, f.SourceName, uid, f.Size, parentId, f.PolicyId, null, f.UpdatedAt);
            return f.Size;
        }
        // Snapshot first so a copy can never walk into what it creates.
        var subFolders = Objects.SubFolders(c, n.Id, tx);
        var files = Objects.FilesIn(c, n.Id, includePlaceholders: false, tx);
        var newId = Objects.InsertFolder(c, tx, n.Folder!.Name, parentId, uid);
        long added = 0;
        foreach (var f in files) added += CopyNode(c, tx, uid, V4Node.Of(f), newId);
        foreach (var d in subFolders) added += CopyNode(c, tx, uid, V4Node.Of(d), newId);
        return added;
    }

    private static async Task Rename(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var rawUri = body.Str("uri");
        var newName = body.Str("new_name");
        body.ThrowIfTypeError();
        if (rawUri.Length == 0) throw V4Envelope.Param("Uri cannot be empty");
        if (newName.Length == 0) throw V4Envelope.Param("NewName cannot be empty");
        var uri = V4Uri.Parse(rawUri);
        var app = req.App;
        V4Fs.RequireMy(uri, app, caller);
        var json = app.Db.Write((c, tx) =>
        {
            var node = V4Fs.Require(c, caller.Id, uri, tx);
            if (node.IsRoot) throw V4Envelope.NotSupported();
            if (!V4Names.IsLegal(newName)) throw V4Envelope.IllegalName();
            // A file's new name must also pass the storage policy's extension list: 40052, as for a bad name
            // (4.18 DBFS.Rename validates the extension and wraps it in ErrIllegalObjectName).
            if (!node.IsFolder && Users.Policy(c, caller.Group.PolicyId, tx) is { } policy &&
                !Names.ExtensionAllowed(policy.FileTypeList, newName))
                throw V4Envelope.IllegalName();
            if (newName != node.Name)
            {
                var parentId = node.ParentId!.Value;
                if (V4Fs.Child(c, parentId, newName, tx) is { } other && !(other.IsFolder == node.IsFolder && other.Id == node.Id))
                    throw V4Envelope.Existed();
                var now = GoTime.Now();
                if (node.IsFolder)
                    c.Exec("UPDATE folders SET name=$n, updated_at=$now WHERE id=$id", tx, ("$n", newName), ("$now", now), ("$id", node.Id));
                else
                    c.Exec("UPDATE files SET name=$n, updated_at=$now WHERE id=$id", tx, ("$n", newName), ("$now", now), ("$id", node.Id));
                node = node.IsFolder ? V4Node.Of(Objects.Folder(c, node.Id, tx)!) : V4Node.Of(Objects.File(c, node.Id, tx)!);
            }
            var shared = V4Shared.SharedIds(c, caller.Id, tx).Contains((node.IsFolder, node.Id));
            return V4Json.File(app, node, V4Fs.UriOf(c, node, tx)!, shared: shared, withMetadata: false);
        });
        await req.Json(V4Envelope.Ok(json));
    }
}

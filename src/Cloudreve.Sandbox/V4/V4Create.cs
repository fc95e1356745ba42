using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Section 7: <c>POST /file/create {uri,type,err_on_conflict?,metadata?}</c>. Missing parents are created (cap 233);
/// the same type existing answers that object unless err_on_conflict (cap 234, 235); the other type or a pending
/// upload is 40004 (cap 236, 237, 304); a file as a parent is 403 (cap 238); the root answers the root (cap 243);
/// the trash is 403 (cap 244).
/// </summary>
internal static class V4Create
{
    public static void Map(Router r) => r.Post(V4Routes.Prefix + "/file/create", Create);

    private static async Task Create(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var rawUri = body.Str("uri");
        var type = body.Str("type");
        var errOnConflict = body.Bool("err_on_conflict");
        body.ThrowIfTypeError();
        if (rawUri.Length == 0) throw V4Envelope.Param("Uri cannot be empty");
        if (type is not ("file" or "folder")) throw V4Envelope.Param("Invalid parameters.");
        var uri = V4Uri.Parse(rawUri);
        if (uri.FileSystem != V4Uri.My) throw V4Envelope.NotSupported();
        V4Fs.RequireMy(uri, req.App, caller);
        var app = req.App;
        var json = app.Db.Write((c, tx) =>
        {
            var node = CreateAt(c, tx, app, caller, uri, type == "folder", errOnConflict);
            return V4Json.File(app, node, V4Fs.UriOf(c, node, tx)!, withMetadata: false);
        });
        await req.Json(V4Envelope.Ok(json));
    }

    /// <summary>Creates (or finds) the object a URI names, parents included. Shared with uploads and restore.</summary>
    public static V4Node CreateAt(SqliteConnection c, SqliteTransaction tx, App app, V4Caller caller, V4Uri uri, bool folder, bool errOnConflict)
    {
        var root = Objects.Root(c, caller.Id, tx);
        if (uri.IsRoot) return V4Node.Of(root);
        var parent = EnsureFolders(c, tx, caller.Id, root, uri.Segments.Take(uri.Segments.Count - 1));
        var name = uri.Name;
        if (!V4Names.IsLegal(name)) throw V4Envelope.IllegalName();
        var existing = V4Fs.Child(c, parent.Id, name, tx);
        if (existing != null)
        {
            if (existing.IsFolder != folder || errOnConflict || existing.File?.UploadSessionId != null) throw V4Envelope.Existed();
            return existing;
        }
        if (folder)
        {
            var id = Objects.InsertFolder(c, tx, name, parent.Id, caller.Id);
            return V4Node.Of(Objects.Folder(c, id, tx)!);
        }
        // 4.18 DBFS.Create checks a new file's name against the storage policy's extension list: 40052
        if (Users.Policy(c, caller.Group.PolicyId, tx) is { } policy && !Names.ExtensionAllowed(policy.FileTypeList, name))
            throw V4Envelope.IllegalName();
        var source = Blobs.NewSourceName(caller.Id);
        app.Blobs.EnsureEmpty(source);
        var fid = Objects.InsertFile(c, tx, name, source, caller.Id, 0, parent.Id, caller.Group.PolicyId, null);
        return V4Node.Of(Objects.File(c, fid, tx)!);
    }

    /// <summary>Walks (creating as needed) the folders of a path; a file on the way is 403 "Not supported action".</summary>
    public static FolderRow EnsureFolders(SqliteConnection c, SqliteTransaction tx, long uid, FolderRow root, IEnumerable<string> segments)
    {
        var folder = root;
        foreach (var seg in segments)
        {
            var next = Objects.ChildFolder(c, folder.Id, seg, tx);
            if (next == null)
            {
                if (Objects.ChildFile(c, folder.Id, seg, tx) != null) throw V4Envelope.NotSupported();
                if (!V4Names.IsLegal(seg)) throw V4Envelope.IllegalName();
                next = Objects.Folder(c, Objects.InsertFolder(c, tx, seg, folder.Id, uid), tx)!;
            }
            folder = next;
        }
        return folder;
    }
}

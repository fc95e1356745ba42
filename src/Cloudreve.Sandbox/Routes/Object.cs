using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>DELETE/PATCH /object, /object/copy, /object/rename, /object/property/{id}.</summary>
internal static class Object
{
    public static void Map(Router r)
    {
        r.Delete("/api/v3/object", Delete);
        r.Patch("/api/v3/object", Move);
        r.Post("/api/v3/object/copy", Copy);
        r.Post("/api/v3/object/rename", Rename);
        r.Get("/api/v3/object/property/:id", Property);
    }

    private static ApiException OneObjectOnly() => Envelope.Fail(Codes.ParamErr, "You can only copy one object at the same time");

    private static async Task Delete(Req req)
    {
        req.RequireUser();
        var body = await req.BodyAsync();
        var items = body.StrList("items");
        var dirs = body.StrList("dirs");
        body.Bool("force");
        body.Bool("unlink");
        body.ThrowIfTypeError();
        var fs = Fs.Of(req);
        var fileIds = Fs.DecodeAll(req.App, items, HashIds.File);
        var folderIds = Fs.DecodeAll(req.App, dirs, HashIds.Folder);
        var orphaned = req.App.Db.Write((c, tx) => FileSystem.Delete(c, tx, fs.Uid, fileIds, folderIds));
        foreach (var s in orphaned) req.App.Blobs.Delete(s);
        await req.Ok();
    }

    private sealed record MoveBody(string SrcDir, List<string> Items, List<string> Dirs, string Dst);

    private static async Task<MoveBody> ReadMoveBody(Req req)
    {
        var body = await req.BodyAsync();
        var srcDir = body.Str("src_dir");
        var src = body.Obj("src");
        var items = src.StrList("items");
        var dirs = src.StrList("dirs");
        body.Absorb(src);
        var dst = body.Str("dst");
        body.ThrowIfTypeError();
        Validate.Required("SrcDir", srcDir);
        Validate.Length("SrcDir", srcDir, 1, 65535);
        Validate.Required("Dst", dst);
        Validate.Length("Dst", dst, 1, 65535);
        return new MoveBody(srcDir, items, dirs, dst);
    }

    private static async Task Move(Req req)
    {
        req.RequireUser();
        var b = await ReadMoveBody(req);
        var fs = Fs.Of(req);
        var files = Fs.DecodeAll(req.App, b.Items, HashIds.File);
        var dirs = Fs.DecodeAll(req.App, b.Dirs, HashIds.Folder);
        // Folders are moved before files; a later conflict does not undo the earlier moves (as in 3.8.3).
        ApiException? failure = null;
        req.App.Db.Write((c, tx) =>
        {
            try
            {
                FileSystem.Move(c, tx, fs.Uid, dirs, files, b.SrcDir, b.Dst);
            }
            catch (ApiException ex)
            {
                failure = ex;
            }
        });
        if (failure != null) throw failure;
        await req.Ok();
    }

    private static async Task Copy(Req req)
    {
        req.RequireUser();
        var b = await ReadMoveBody(req);
        if (b.Items.Count + b.Dirs.Count > 1) throw OneObjectOnly();
        var fs = Fs.Of(req);
        var files = Fs.DecodeAll(req.App, b.Items, HashIds.File);
        var dirs = Fs.DecodeAll(req.App, b.Dirs, HashIds.Folder);
        req.App.Db.Write((c, tx) => FileSystem.Copy(c, tx, fs.Uid, dirs, files, b.SrcDir, b.Dst));
        await req.Ok();
    }

    private static async Task Rename(Req req)
    {
        req.RequireUser();
        var body = await req.BodyAsync();
        var src = body.Obj("src");
        var items = src.StrList("items");
        var dirs = src.StrList("dirs");
        body.Absorb(src);
        var newName = body.Str("new_name");
        body.ThrowIfTypeError();
        Validate.Required("NewName", newName);
        Validate.Length("NewName", newName, 1, 255);
        if (items.Count + dirs.Count > 1) throw OneObjectOnly();
        var fs = Fs.Of(req);
        var files = Fs.DecodeAll(req.App, items, HashIds.File);
        var folders = Fs.DecodeAll(req.App, dirs, HashIds.Folder);
        if (!Names.IsLegal(newName) || (files.Count > 0 && !Names.ExtensionAllowed(fs.Policy.FileTypeList, newName)))
            throw FileSystem.IllegalName();
        req.App.Db.Write((c, tx) => FileSystem.Rename(c, tx, fs.Uid, folders, files, newName));
        await req.Ok();
    }

    private static Task Property(Req req)
    {
        var fs = Fs.Of(req);
        var isFolder = ParseBool(req.Query("is_folder"));
        var traceRoot = ParseBool(req.Query("trace_root"));
        var id = req.App.Ids.Decode(req.Param("id"), isFolder ? HashIds.Folder : HashIds.File)
            ?? throw Envelope.Fail(Codes.NotFound, "");
        var data = req.App.Db.Read(c =>
        {
            if (isFolder)
            {
                // 3.8.3 panics (HTTP 500) for ids that decode but are not the user's.
                var folder = Objects.OwnFolder(c, fs.Uid, id) ?? throw new PanicException("folder not found");
                var descendants = Objects.Descendants(c, folder.Id);
                long size = 0, fileCount = 0;
                foreach (var fid in descendants.Select(d => d.Id).Append(folder.Id))
                {
                    foreach (var f in Objects.FilesIn(c, fid))
                    {
                        size += f.Size;
                        fileCount++;
                    }
                }
                var path = traceRoot && folder.ParentId != null ? Objects.FolderPath(c, folder.ParentId.Value) ?? "" : "";
                return Props(folder.CreatedAt, folder.UpdatedAt, "", size, descendants.Count, fileCount, path);
            }
            var file = Objects.OwnFile(c, fs.Uid, id) ?? throw new PanicException("file not found");
            if (file.IsPlaceholder) throw new PanicException("file not found");
            var policy = Users.Policy(c, file.PolicyId)?.Name ?? "";
            var filePath = traceRoot ? Objects.FolderPath(c, file.FolderId) ?? "" : "";
            return Props(file.CreatedAt, file.UpdatedAt, policy, file.Size, 0, 0, filePath);
        });
        return req.Ok(data);
    }

    private static JsonObject Props(long created, long updated, string policy, long size, long folders, long files, string path) => new()
    {
        ["created_at"] = GoTime.Format(created),
        ["updated_at"] = GoTime.Format(updated),
        ["policy"] = policy,
        ["size"] = size,
        ["child_folder_num"] = folders,
        ["child_file_num"] = files,
        ["path"] = path,
        ["query_date"] = GoTime.Format(DateTime.UtcNow),
    };

    /// <summary>Go's strconv.ParseBool, false for anything else.</summary>
    public static bool ParseBool(string? v) => v is "1" or "t" or "T" or "true" or "TRUE" or "True";
}

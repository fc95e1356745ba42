using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>/file/create, /file/download, /file/content, /file/preview, /file/update, /file/search.</summary>
internal static class File
{
    private const long MaxEditSize = 52428800;
    private const int PreviewTtlSeconds = 600;

    public static void Map(Router r)
    {
        r.Post("/api/v3/file/create", Create);
        r.Put("/api/v3/file/download/:id", CreateDownload);
        r.Get("/api/v3/file/download/:id", Download);
        r.Get("/api/v3/file/content/:id", Content);
        r.Get("/api/v3/file/preview/:id", Preview);
        r.Put("/api/v3/file/update/:id", Update);
        r.Get("/api/v3/file/search/:type/:keywords", Search);
    }

    public static ApiException BadObjectId() => Envelope.Fail(Codes.ParamErr, "Failed to parse object ID");

    private static long FileId(Req req) => req.App.Ids.Decode(req.Param("id"), HashIds.File) ?? throw BadObjectId();

    private static FileRow OwnFile(Req req, Fs fs, long id) =>
        req.App.Db.Read(c => Objects.OwnFile(c, fs.Uid, id)) is { IsPlaceholder: false } f ? f : throw FileSystem.ObjectNotExist();

    private static async Task Create(Req req)
    {
        req.RequireUser();
        var body = await req.BodyAsync();
        var path = body.Str("path");
        body.ThrowIfTypeError();
        Validate.Required("Path", path);
        Validate.Length("Path", path, 1, 65535);
        var fs = Fs.Of(req);
        var dir = GoPath.Dir(path);
        var name = GoPath.Base(path);
        Upload.ValidateNewFile(fs, name, 0);
        var source = Blobs.NewSourceName(fs.Uid);
        req.App.Blobs.EnsureEmpty(source);
        try
        {
            req.App.Db.Write((c, tx) =>
            {
                var folder = FileSystem.CreateDirectory(c, tx, fs.Uid, dir);
                Upload.CheckConflict(c, tx, folder.Id, name);
                Objects.InsertFile(c, tx, name, source, fs.Uid, 0, folder.Id, fs.Policy.Id, null);
            });
        }
        catch
        {
            req.App.Blobs.Delete(source);
            throw;
        }
        await req.Ok();
    }

    private static Task CreateDownload(Req req)
    {
        var fs = Fs.Of(req);
        var id = FileId(req);
        var file = OwnFile(req, fs, id);
        return req.Ok(DownloadUrl(req, file));
    }

    /// <summary>
    /// GetDownloadURL for a file by its policy: local → relative signed /api/v3/file/download/{session} URL;
    /// s3 → absolute presigned GetObject URL; onedrive → absolute pre-authenticated Graph download URL (both on the sandbox).
    /// </summary>
    public static string DownloadUrl(Req req, FileRow file)
    {
        var ttl = req.App.Faults.Current.DownloadUrlTtlSeconds ?? req.App.Options.DownloadTimeoutSeconds;
        var policy = req.App.Db.Read(c => Users.Policy(c, file.PolicyId));
        if (policy is { IsLocal: false }) return StorageUrl(req, file, policy, ttl, attachment: true);
        var expires = GoTime.NowUnix() + ttl;
        var key = req.App.Downloads.Create(file.Id, file.UserId, expires);
        return req.App.Signer.SignedUrl("/api/v3/file/download/" + key, expires);
    }

    /// <summary>The provider's own signed URL for an object (s3: presigned GetObject, onedrive: Graph download URL).</summary>
    public static string StorageUrl(Req req, FileRow file, PolicyRow policy, long ttl, bool attachment) => policy.Type switch
    {
        PolicyTypes.S3 => req.App.Providers.OriginFor(req.Http) + (attachment
            ? req.App.Providers.S3Presign("GET", file.SourceName, ttl, ("response-content-disposition", $"attachment; filename=\"{Signer.GoPathEscape(file.Name)}\""))
            : req.App.Providers.S3Presign("GET", file.SourceName, ttl)),
        _ => req.App.Providers.OriginFor(req.Http) + req.App.Providers.OneDriveDownload(file.SourceName, ttl),
    };

    private static async Task Download(Req req)
    {
        var key = req.Param("id");
        req.App.Signer.Check("/api/v3/file/download/" + key, req.Query("sign"));
        var session = req.App.Downloads.Get(key) ?? throw Envelope.Fail(Codes.NotFound, "Download session not exist");
        if (req.App.DownloadRevocation.Revoked(session.IssuedUnix)) throw Envelope.Fail(Codes.SignExpired, "signature expired");
        var file = req.App.Db.Read(c => Objects.OwnFile(c, session.UserId, session.FileId));
        if (file == null || file.IsPlaceholder || !req.App.Blobs.Exists(file.SourceName))
            throw Envelope.Fail(Codes.NotFound, "Download session not exist");
        // One-time download follows the group of whoever fetches the URL (anonymous: group #3).
        var downloaderGroup = req.CurrentUser?.Group ?? req.App.Db.Read(c => Users.Group(c, Seeder.AnonymousGroup));
        if (downloaderGroup is { OneTimeDownload: true }) req.App.Downloads.Remove(key);
        var h = req.Http.Response.Headers;
        h.CacheControl = "public, max-age=86400";
        h.ContentDisposition = $"attachment; filename=\"{Signer.GoPathEscape(file.Name)}\"";
        if (await req.App.Faults.FailContentGetAsync(req.Http)) return;
        await ServeFile.SendAsync(req.Http, req.App.Blobs.PathOf(file.SourceName), file.Name,
            new DateTime(file.UpdatedAt, DateTimeKind.Utc), Faults.Roll(req.App.Faults.Current.DropConnectionRate));
    }

    private static async Task Content(Req req)
    {
        var fs = Fs.Of(req);
        req.Http.Response.Headers.ContentSecurityPolicy = "sandbox";
        var file = OwnFile(req, fs, FileId(req));
        if (file.Size > MaxEditSize) throw Upload.FileTooLarge();
        req.Http.Response.Headers.CacheControl = "no-cache";
        if (await req.App.Faults.FailContentGetAsync(req.Http)) return;
        await ServeFile.SendAsync(req.Http, req.App.Blobs.PathOf(file.SourceName), file.Name, new DateTime(file.UpdatedAt, DateTimeKind.Utc), false);
    }

    private static async Task Preview(Req req)
    {
        var fs = Fs.Of(req);
        var file = OwnFile(req, fs, FileId(req));
        var policy = req.App.Db.Read(c => Users.Policy(c, file.PolicyId));
        if (policy is { IsLocal: false })
        {
            // Other policies: 302 to a signed storage URL valid preview_timeout.
            await Redirect.Found(req.Http, StorageUrl(req, file, policy, PreviewTtlSeconds, attachment: false), PreviewTtlSeconds);
            return;
        }
        req.Http.Response.Headers.ContentSecurityPolicy = "sandbox";
        if (await req.App.Faults.FailContentGetAsync(req.Http)) return;
        await ServeFile.SendAsync(req.Http, req.App.Blobs.PathOf(file.SourceName), file.Name, new DateTime(file.UpdatedAt, DateTimeKind.Utc), false);
    }

    private static async Task Update(Req req)
    {
        var fs = Fs.Of(req);
        var id = FileId(req);
        var declared = req.Http.Request.ContentLength;
        if (declared == null || declared < 0) throw Envelope.Fail(Codes.ParamErr, "Invalid content-length value");
        var file = req.App.Db.Read(c => Objects.OwnFile(c, fs.Uid, id));
        if (file == null || file.IsPlaceholder) throw Envelope.Fail(Codes.FileNotFound, "");
        var size = declared.Value;
        if (fs.Policy.MaxSize > 0 && size > fs.Policy.MaxSize) throw Upload.FileTooLarge();
        if (!Names.ExtensionAllowed(fs.Policy.FileTypeList, file.Name)) throw Upload.TypeNotAllowed();
        if (size > file.Size && Upload.Remaining(fs.Group, fs.User) < size - file.Size) throw Upload.NoCapacity();

        // New bytes go to a new blob: copies sharing the old bytes keep them.
        var source = Blobs.NewSourceName(fs.Uid);
        var blobPath = req.App.Blobs.PathOf(source);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        long written = 0;
        await using (var output = new FileStream(blobPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int n;
            while ((n = await req.Http.Request.Body.ReadAsync(buffer, req.Http.RequestAborted)) > 0)
            {
                written += n;
                if (written > size) break;
                await output.WriteAsync(buffer.AsMemory(0, n), req.Http.RequestAborted);
            }
        }
        if (written != size)
        {
            req.App.Blobs.Delete(source);
            throw Envelope.Fail(Codes.IoFailed, "Failed to read file data");
        }

        var oldSource = req.App.Db.Write((c, tx) =>
        {
            var current = Objects.OwnFile(c, fs.Uid, id, tx) ?? throw Envelope.Fail(Codes.FileNotFound, "");
            c.Exec("UPDATE files SET source_name=$s, size=$size, updated_at=$now WHERE id=$id", tx,
                ("$s", source), ("$size", size), ("$now", GoTime.Now()), ("$id", id));
            Users.AddStorage(c, tx, fs.Uid, size - current.Size);
            return Objects.SourceReferences(c, current.SourceName, -1, tx) == 0 ? current.SourceName : null;
        });
        if (oldSource != null) req.App.Blobs.Delete(oldSource);
        await req.Ok();
    }

    private static readonly Dictionary<string, string[]> TypeExtensions = new(StringComparer.Ordinal)
    {
        ["image"] = ["bmp", "iff", "png", "gif", "jpg", "jpeg", "psd", "svg", "webp"],
        ["video"] = ["mp4", "flv", "avi", "wmv", "mkv", "rm", "rmvb", "mov", "ogv"],
        ["audio"] = ["mp3", "flac", "ape", "wav", "acc", "ogg", "midi", "mid"],
        ["doc"] = ["txt", "md", "pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "pub"],
    };

    private static Task Search(Req req)
    {
        var fs = Fs.Of(req);
        var type = req.Param("type");
        var keywords = req.Param("keywords");
        var path = req.Query("path");

        if (type == "tag")
        {
            // The sandbox has no tags: every tag id is unknown.
            throw Envelope.Fail(Codes.NotFound, "");
        }

        var patterns = new List<string>();
        if (type == "keywords") patterns.Add("%" + keywords + "%");
        else if (TypeExtensions.TryGetValue(type, out var exts)) patterns.AddRange(exts.Select(e => "%." + e));
        else throw Envelope.Fail(Codes.ParamErr, "Unknown search type");

        var data = req.App.Db.Read(c =>
        {
            HashSet<long>? scope = null;
            if (!string.IsNullOrEmpty(path))
            {
                var root = Objects.FolderByPath(c, fs.Uid, path) ?? throw FileSystem.PathNotExist();
                scope = Objects.Descendants(c, root.Id).Select(d => d.Id).Append(root.Id).ToHashSet();
            }
            var where = "user_id=$u AND upload_session_id IS NULL AND (" +
                string.Join(" OR ", patterns.Select((_, i) => $"name LIKE $p{i}")) + ") ORDER BY id";
            var args = new List<(string, object?)> { ("$u", fs.Uid) };
            args.AddRange(patterns.Select((p, i) => ($"$p{i}", (object?)p)));
            var files = Objects.FilesWhere(c, where, null, args.ToArray());
            var objects = new JsonArray();
            foreach (var f in files.Where(f => scope == null || scope.Contains(f.FolderId)))
                objects.Add(ObjectViews.File(req.App, f, "/"));
            return new JsonObject { ["objects"] = objects, ["parent"] = 0 };
        });
        return req.Ok(data);
    }

    internal static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);
}

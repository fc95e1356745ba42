using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Upload sessions: PUT /file/upload (credential per policy type), local chunks POST /file/upload/{sessionId}/{index}, DELETE /file/upload[/{sessionId}].</summary>
internal static class Upload
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SessionLocks = new(StringComparer.Ordinal);

    public static void Map(Router r)
    {
        r.Put("/api/v3/file/upload", CreateSession);
        r.Post("/api/v3/file/upload/:sessionId/:index", Chunk);
        r.Delete("/api/v3/file/upload/:sessionId", CancelOne);
        r.Delete("/api/v3/file/upload", CancelAll);
    }

    public static ApiException FileTooLarge() => Envelope.Fail(Codes.FileTooLarge, "File is too large");
    public static ApiException TypeNotAllowed() => Envelope.Fail(Codes.FileTypeNotAllowed, "File type not allowed");
    public static ApiException NoCapacity() => Envelope.Fail(Codes.InsufficientCapacity, "Insufficient capacity");

    /// <summary>HookValidateFile + HookValidateCapacity: size, name, extension, quota.</summary>
    public static void ValidateNewFile(Fs fs, string name, long size)
    {
        if (fs.Policy.MaxSize > 0 && size > fs.Policy.MaxSize) throw FileTooLarge();
        if (!Names.IsLegal(name)) throw FileSystem.IllegalName();
        if (!Names.ExtensionAllowed(fs.Policy.FileTypeList, name)) throw TypeNotAllowed();
        if (Remaining(fs.Group, fs.User) < size) throw NoCapacity();
    }

    public static long Remaining(GroupRow g, UserRow u) => g.MaxStorage > u.Storage ? g.MaxStorage - u.Storage : 0;

    /// <summary>GenericAfterUpload's conflict check: a pending upload → 40054, a file → 40004.</summary>
    public static void CheckConflict(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, long folderId, string name)
    {
        var existing = Objects.ChildFile(c, folderId, name, tx);
        if (existing == null) return;
        throw existing.IsPlaceholder ? FileSystem.UploadOngoing() : FileSystem.Existed();
    }

    private static async Task CreateSession(Req req)
    {
        req.RequireUser();
        var body = await req.BodyAsync();
        var path = body.Str("path");
        var size = body.ULong("size");
        var name = body.Str("name");
        var policyId = body.Str("policy_id");
        var lastModified = body.Long("last_modified");
        body.Str("mime_type");
        body.ThrowIfTypeError();
        Validate.Required("Path", path);
        Validate.Required("Name", name);
        Validate.Required("PolicyID", policyId);

        var fs = Fs.Of(req);
        var rawPolicy = req.App.Ids.Decode(policyId, HashIds.Policy) ?? throw Envelope.Fail(Codes.PolicyNotExist, "");
        if (rawPolicy != fs.Policy.Id)
            throw Envelope.Fail(Codes.PolicyNotAllowed, "存储策略发生变化，请刷新文件列表并重新添加此任务");
        if (size > long.MaxValue) throw FileTooLarge();
        var length = (long)size;
        ValidateNewFile(fs, name, length);

        var ttl = req.App.Options.UploadSessionTimeoutSeconds;
        var sessionId = Guid.NewGuid().ToString();
        var expires = GoTime.NowUnix() + ttl;
        var source = Blobs.NewSourceName(fs.Uid);
        req.App.Db.Write((c, tx) =>
        {
            var folder = FileSystem.CreateDirectory(c, tx, fs.Uid, path);
            CheckConflict(c, tx, folder.Id, name);
            var fileId = Objects.InsertFile(c, tx, name, source, fs.Uid, 0, folder.Id, fs.Policy.Id, sessionId);
            Uploads.Insert(c, tx, new UploadSessionRow(sessionId, fs.Uid, fileId, folder.Id, name, length, fs.Policy.ChunkSize, lastModified, fs.Policy.Id, expires));
        });

        var credential = new JsonObject
        {
            ["sessionID"] = sessionId,
            ["chunkSize"] = fs.Policy.ChunkSize,
            ["expires"] = expires,
        };
        var origin = req.App.Providers.OriginFor(req.Http);
        switch (fs.Policy.Type)
        {
            case PolicyTypes.OneDrive:
            {
                // The Graph upload session, created with conflict behaviour "fail".
                var token = Signer.RandomKey(32);
                req.App.ProviderUploads.Add(new ProviderUpload(token, sessionId, PolicyTypes.OneDrive, source, length, expires) { Name = name });
                credential["uploadURLs"] = new JsonArray(origin + Providers.OneDriveUploadRoot + token);
                break;
            }
            case PolicyTypes.S3:
            {
                // CreateMultipartUpload, then one presigned UploadPart URL per chunk and a presigned CompleteMultipartUpload URL.
                var uploadId = Signer.RandomKey(48);
                req.App.ProviderUploads.Add(new ProviderUpload(uploadId, sessionId, PolicyTypes.S3, source, length, expires) { Name = name });
                var chunk = fs.Policy.ChunkSize;
                var parts = length == 0 || chunk == 0 ? 1 : (length + chunk - 1) / chunk;
                var urls = new JsonArray();
                for (var n = 1; n <= parts; n++)
                    urls.Add(origin + req.App.Providers.S3Presign("PUT", source, ttl, ("partNumber", n.ToString(CultureInfo.InvariantCulture)), ("uploadId", uploadId)));
                credential["uploadURLs"] = urls;
                credential["uploadID"] = uploadId;
                credential["completeURL"] = origin + req.App.Providers.S3Presign("POST", source, ttl, ("uploadId", uploadId));
                break;
            }
        }
        await req.Ok(credential);
    }

    private static async Task Chunk(Req req)
    {
        var (user, group) = req.RequireUser();
        var sessionId = req.Param("sessionId");
        if (!int.TryParse(req.Param("index"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            throw Envelope.Fail(Codes.ParamErr, "Parameter error");
        if (index < 0) throw Envelope.Fail(Codes.ParamErr, "Index too short");

        var faults = req.App.Faults.Current;
        if (Faults.Roll(faults.ChunkFailureRate))
        {
            req.Http.Response.StatusCode = 500;
            req.Http.Response.ContentLength = 0;
            return;
        }

        var gate = SessionLocks.GetOrAdd(sessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(req.Http.RequestAborted);
        try
        {
            await ChunkLocked(req, user, group, sessionId, index, faults);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task ChunkLocked(Req req, UserRow user, GroupRow group, string sessionId, int index, Hosting.FaultSettings faults)
    {
        var app = req.App;
        var (session, placeholder) = app.Db.Read(c =>
        {
            var s = Uploads.Live(c, sessionId);
            if (s == null || s.UserId != user.Id) return ((UploadSessionRow?)null, (FileRow?)null);
            return ((UploadSessionRow?)s, Objects.FileByUploadSession(c, sessionId, user.Id));
        });
        if (session == null || placeholder == null) throw Envelope.Fail(Codes.UploadSessionExpired, "");
        if (app.Db.Read(c => Users.Policy(c, session.PolicyId)) is not { IsLocal: true }) throw Envelope.Fail(Codes.PolicyNotAllowed, "");

        var chunkSize = session.ChunkSize;
        if (chunkSize == 0 && index > 0) throw Envelope.Fail(Codes.InvalidChunkIndex, "Chunk index cannot be greater than 0");
        var start = index * chunkSize;
        if (placeholder.Size < start) throw Envelope.Fail(Codes.InvalidChunkIndex, "Chunk must be uploaded in order");

        var isLast = chunkSize == 0 || (index + 1L) * chunkSize >= session.Size;
        var expected = isLast ? session.Size - start : chunkSize;
        var declared = req.Http.Request.ContentLength;
        if (declared == null || declared.Value != expected)
            throw Envelope.Fail(Codes.InvalidContentLength, $"Invalid Content-Length (expected: {expected})");

        var blobPath = app.Blobs.PathOf(placeholder.SourceName);
        if (index == 0 && System.IO.File.Exists(blobPath))
            throw Envelope.Fail(Codes.UploadFailed, "file with the same name existed or unavailable");

        // Quota is checked per chunk against the remaining capacity.
        var fresh = app.Db.Read(c => Users.ById(c, user.Id))!;
        if (Remaining(group, fresh) < expected) throw NoCapacity();

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        var written = 0L;
        var ok = false;
        try
        {
            await using (var fsOut = new FileStream(blobPath, index == 0 ? FileMode.CreateNew : FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 81920, FileOptions.Asynchronous))
            {
                fsOut.SetLength(start);
                fsOut.Seek(start, SeekOrigin.Begin);
                var dropAt = Faults.Roll(faults.DropConnectionRate) ? expected / 2 : -1;
                var buffer = new byte[81920];
                while (written < expected)
                {
                    var want = (int)Math.Min(buffer.Length, expected - written);
                    if (dropAt > written) want = (int)Math.Min(want, dropAt - written);
                    if (dropAt >= 0 && written >= dropAt)
                    {
                        req.Http.Abort();
                        break;
                    }
                    var n = await req.Http.Request.Body.ReadAsync(buffer.AsMemory(0, want), req.Http.RequestAborted);
                    if (n == 0) break;
                    await fsOut.WriteAsync(buffer.AsMemory(0, n), req.Http.RequestAborted);
                    written += n;
                }
            }
            ok = written == expected;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            ok = false;
        }
        finally
        {
            if (!ok) Rollback(blobPath, index, start);
        }
        if (!ok)
        {
            if (req.Http.RequestAborted.IsCancellationRequested) return;
            throw Envelope.Fail(Codes.UploadFailed, "Failed to read file data");
        }

        var newSize = start + expected;
        app.Db.Write((c, tx) =>
        {
            var current = Objects.FileByUploadSession(c, sessionId, user.Id, tx);
            if (current == null) return;
            Users.AddStorage(c, tx, user.Id, newSize - current.Size);
            c.Exec("UPDATE files SET size=$s WHERE id=$id", tx, ("$s", newSize), ("$id", current.Id));
            if (isLast)
            {
                var updated = session.LastModified > 0
                    ? DateTime.UnixEpoch.AddMilliseconds(session.LastModified).Ticks
                    : GoTime.Now();
                c.Exec("UPDATE files SET upload_session_id=NULL, updated_at=$u WHERE id=$id", tx, ("$u", updated), ("$id", current.Id));
                Uploads.Delete(c, tx, sessionId);
            }
        });
        if (isLast) SessionLocks.TryRemove(sessionId, out _);
        if (Faults.Roll(faults.LostAnswerRate))
        {
            // Fault "chunk stored but answer lost": everything above is committed; the client sees a broken connection.
            req.Http.Abort();
            return;
        }
        await req.Ok();
    }

    /// <summary>A failed chunk is rolled back to its start offset (chunk 0: the partial file is removed so it can be retried).</summary>
    private static void Rollback(string blobPath, int index, long start)
    {
        try
        {
            if (index == 0)
            {
                System.IO.File.Delete(blobPath);
                return;
            }
            using var f = new FileStream(blobPath, FileMode.Open, FileAccess.Write);
            f.SetLength(start);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Cancelling aborts the Graph session / S3 multipart upload and drops what it had received.</summary>
    private static void DiscardProviderUpload(App app, string sessionId)
    {
        foreach (var u in app.ProviderUploads.RemoveSession(sessionId))
        {
            BodyWriter.Truncate(OneDriveProvider.PartialPath(app, u.SourceName), 0);
            foreach (var part in u.Parts.Keys) BodyWriter.Truncate(S3Provider.PartPath(app, u.SourceName, part), 0);
        }
    }

    private static Task CancelOne(Req req)
    {
        var fs = Fs.Of(req);
        var sessionId = req.Param("sessionId");
        var orphaned = req.App.Db.Write((c, tx) =>
        {
            var placeholder = Objects.FileByUploadSession(c, sessionId, fs.Uid, tx) ?? throw Envelope.Fail(Codes.UploadSessionExpired, "");
            return FileSystem.DeleteRecords(c, tx, fs.Uid, [placeholder], []);
        });
        DiscardProviderUpload(req.App, sessionId);
        foreach (var s in orphaned) req.App.Blobs.Delete(s);
        return req.Ok();
    }

    private static Task CancelAll(Req req)
    {
        var fs = Fs.Of(req);
        var orphaned = req.App.Db.Write((c, tx) =>
        {
            var placeholders = Objects.FilesWhere(c, "user_id=$u AND upload_session_id IS NOT NULL", tx, ("$u", fs.Uid));
            foreach (var p in placeholders) DiscardProviderUpload(req.App, p.UploadSessionId!);
            return FileSystem.DeleteRecords(c, tx, fs.Uid, placeholders, []);
        });
        foreach (var s in orphaned) req.App.Blobs.Delete(s);
        return req.Ok();
    }
}

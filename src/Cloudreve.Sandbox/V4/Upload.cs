using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Uploads (reference 10): PUT /file/upload (session), POST /file/upload/{session_id}/{index} (local chunks, any order,
/// exact Content-Length), DELETE /file/upload {id,uri} (cancel, also for expired sessions).
/// </summary>
internal static class Upload
{
    private const int FileTooLarge = 40049;

    public static void Map(Router r)
    {
        r.Put("/api/v4/file/upload", CreateSession);
        r.Post("/api/v4/file/upload/:sessionId/:index", Chunk);
        r.Delete("/api/v4/file/upload", Cancel);
    }

    private static async Task CreateSession(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var rawUri = body.Str("uri");
        var size = body.Long("size");
        var lastModified = body.Long("last_modified");
        var policyId = body.Str("policy_id");
        var entityType = body.Str("entity_type");
        body.Str("mime_type");
        if (body.TypeError || rawUri.Length == 0 || size < 0 || entityType is not ("" or "version" or "live_photo"))
            throw V4Envelope.Param("Invalid parameters."); // binding, no correlation id (cap 321)
        var app = req.App;
        var uri = V4Uri.Parse(rawUri);
        V4Fs.RequireMy(uri, app, caller);
        if (uri.IsRoot) throw V4Envelope.Existed();

        var policy = app.Db.Read(c => Users.Policy(c, caller.Group.PolicyId)) ?? throw V4Envelope.Fail(V4Codes.PolicyNotAllowed, "");
        if (policyId.Length > 0 && app.Ids.Decode(policyId, HashIds.Policy) != policy.Id)
            throw V4Envelope.Fail(V4Codes.ParamErr, "unknown policy id"); // cap 324
        var name = uri.Name;
        if (!V4Names.IsLegal(name)) throw V4Envelope.IllegalName(); // cap 325
        // 4.18 validateNewFile: name, then the extension list (also ErrIllegalObjectName, 40052; 40050 is never used), then size
        if (!Names.ExtensionAllowed(policy.FileTypeList, name)) throw V4Envelope.IllegalName();
        if (policy.MaxSize > 0 && size > policy.MaxSize) throw V4Envelope.Fail(FileTooLarge, "File is too large");

        var ttl = app.Options.UploadSessionTimeoutSeconds;
        var sessionId = Guid.NewGuid().ToString();
        var expires = GoTime.NowUnix() + ttl;
        var source = Blobs.NewSourceName(caller.Id);
        var secret = Signer.RandomKey(32);
        var uploadId = policy.Type == PolicyTypes.S3 ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() : "";
        var canonical = uri.ToString();
        app.Db.Write((c, tx) =>
        {
            var user = Users.ById(c, caller.Id, tx)!;
            if (Remaining(caller.Group, user) < size) throw V4Envelope.Fail(V4Codes.InsufficientCapacity, "Insufficient capacity"); // cap 323
            var folder = V4Create.EnsureFolders(c, tx, caller.Id, Objects.Root(c, caller.Id, tx), uri.Parent.Segments);
            if (Objects.ChildFolder(c, folder.Id, name, tx) != null) throw V4Envelope.Existed(); // cap 326
            var existing = Objects.ChildFile(c, folder.Id, name, tx);
            // A pending or expired session keeps its placeholder, which blocks the name (cap 303, 348).
            if (existing != null && (existing.IsPlaceholder || entityType != "version")) throw V4Envelope.Existed(); // cap 317
            var fileId = existing?.Id ?? Objects.InsertFile(c, tx, name, source, caller.Id, 0, folder.Id, policy.Id, sessionId);
            UploadStore.Insert(c, tx, new V4UploadSession(sessionId, caller.Id, fileId, existing != null, source, size, policy.ChunkSize,
                lastModified, policy.Id, policy.Type, expires, secret, uploadId, canonical));
        });

        var data = new JsonObject
        {
            ["session_id"] = sessionId,
            ["upload_id"] = uploadId,
            ["chunk_size"] = policy.ChunkSize,
            ["expires"] = expires,
        };
        ProviderSession.Add(req, data, policy, sessionId, source, size, name, expires, uploadId);
        data["storage_policy"] = V4Json.Policy(app, policy);
        data["uri"] = canonical;
        data["callback_secret"] = secret;
        await req.Json(V4Envelope.Ok(data));
    }

    public static long Remaining(GroupRow g, UserRow u) => g.MaxStorage > u.Storage ? g.MaxStorage - u.Storage : 0;

    private static async Task Chunk(Req req)
    {
        var caller = req.RequireCaller();
        var sessionId = req.Param("sessionId");
        if (!long.TryParse(req.Param("index"), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw V4Envelope.Param("Invalid parameters.");

        var faults = req.App.Faults.Current;
        if (Faults.Roll(faults.ChunkFailureRate))
        {
            req.Http.Response.StatusCode = 500;
            req.Http.Response.ContentLength = 0;
            return;
        }
        // No per-session lock: chunks of one session may be written in parallel, each at its own offset (10.2).
        var app = req.App;
        var s = app.Db.Read(c => UploadStore.Get(c, sessionId));
        // Unknown, cancelled, completed or expired: 40011 with an empty msg (cap 53, 308, 333, 346).
        if (s == null || !s.Live || s.UserId != caller.Id) throw V4Envelope.Fail(V4Codes.UploadSessionExpired, "");
        if (s.PolicyType != PolicyTypes.Local) throw V4Envelope.Fail(V4Codes.PolicyNotAllowed, ""); // cap 512, 558
        var start = index * s.ChunkSize;
        if (index >= s.ChunkCount) throw V4Envelope.Fail(V4Codes.InvalidChunkIndex, "Chunk offset cannot be greater than file size"); // cap 306
        var expected = s.ChunkSize == 0 ? s.Size : Math.Min(s.ChunkSize, s.Size - start);
        var declared = req.Http.Request.ContentLength;
        // Shorter, longer or chunked (no Content-Length): 40013 (cap 305, 315, 341).
        if (declared != expected) throw V4Envelope.Fail(V4Codes.InvalidContentLength, $"Invalid Content-Length (expected: {expected})");

        var written = await BodyWriter.WriteAtAsync(req.Http, app.Blobs.PathOf(s.SourceName), start, expected, Faults.Roll(faults.DropConnectionRate));
        if (!written)
        {
            if (req.Http.RequestAborted.IsCancellationRequested) return;
            throw V4Envelope.Fail(40002, "Failed to read chunk data");
        }
        var orphan = app.Db.Write((c, tx) =>
        {
            var current = UploadStore.Get(c, sessionId, tx);
            if (current == null) return null;
            return UploadStore.AddChunk(c, tx, current, index) < current.ChunkCount ? null : Complete(app, c, tx, current);
        });
        if (orphan != null) app.Blobs.Delete(orphan);
        if (Faults.Roll(faults.LostAnswerRate))
        {
            // Fault "chunk stored but answer lost": committed above; the client sees a broken connection.
            req.Http.Abort();
            return;
        }
        await req.Json(V4Envelope.Ok());
    }

    /// <summary>
    /// The last missing chunk (or the provider callback) finishes the session: a new file gets its size and
    /// updated_at = last_modified (cap 309); a version upload gives the file a new entity and drops the old content.
    /// Returns the stored bytes no longer referenced (delete them once the transaction has committed).
    /// </summary>
    public static string? Complete(App app, Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, V4UploadSession s)
    {
        var file = Objects.File(c, s.FileId, tx);
        UploadStore.Delete(c, tx, s.Id);
        if (file == null) return s.SourceName;
        var updated = s.LastModified > 0 ? DateTime.UnixEpoch.AddMilliseconds(s.LastModified).Ticks : GoTime.Now();
        if (!s.IsVersion)
        {
            c.Exec("UPDATE files SET size=$s, upload_session_id=NULL, updated_at=$u WHERE id=$id", tx,
                ("$s", s.Size), ("$u", updated), ("$id", file.Id));
            Users.AddStorage(c, tx, s.UserId, s.Size);
            if (s.Size == 0) app.Blobs.EnsureEmpty(s.SourceName);
            return null;
        }
        c.Exec("UPDATE files SET source_name=$src, size=$s, updated_at=$u WHERE id=$id", tx,
            ("$src", s.SourceName), ("$s", s.Size), ("$u", updated), ("$id", file.Id));
        Users.AddStorage(c, tx, s.UserId, s.Size - file.Size);
        if (s.Size == 0) app.Blobs.EnsureEmpty(s.SourceName);
        app.V4Entities.AddVersion(c, tx, file.Id, s.SourceName, s.Size);
        return Objects.SourceReferences(c, file.SourceName, file.Id, tx) == 0 ? file.SourceName : null;
    }

    private static async Task Cancel(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var id = body.Str("id");
        var rawUri = body.Str("uri");
        if (body.TypeError || id.Length == 0 || rawUri.Length == 0) throw V4Envelope.Param("Invalid parameters.");
        var uri = V4Uri.Parse(rawUri);
        var app = req.App;
        var source = app.Db.Write((c, tx) =>
        {
            // Unknown id or another file's uri: 40016 (cap 330, 335); expired sessions can be cancelled (cap 349).
            var s = UploadStore.Get(c, id, tx);
            if (s == null || s.UserId != caller.Id || s.Uri != uri.ToString()) throw V4Envelope.PathNotExist();
            UploadStore.Delete(c, tx, s.Id);
            if (!s.IsVersion)
            {
                var placeholder = Objects.File(c, s.FileId, tx);
                if (placeholder is { UploadSessionId: not null } && placeholder.UploadSessionId == s.Id)
                    c.Exec("DELETE FROM files WHERE id=$id", tx, ("$id", placeholder.Id));
            }
            return s.SourceName;
        });
        ProviderSession.Discard(app, id);
        app.Blobs.Delete(source);
        await req.Json(V4Envelope.Ok());
    }
}

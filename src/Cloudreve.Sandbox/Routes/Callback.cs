using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>
/// Client callbacks that finish provider uploads: POST /callback/onedrive/finish/{sessionID} and GET /callback/s3/{sessionID}.
/// No login; the session id is the credential and is consumed by the first accepted call (UseUploadSession).
/// </summary>
internal static class Callback
{
    public static void Map(Router r)
    {
        r.Post("/api/v3/callback/onedrive/finish/:sessionID", OneDrive);
        r.Get("/api/v3/callback/s3/:sessionID", S3);
    }

    private const int FailedStatus = 401;

    /// <summary>uploadCallbackCheck: unknown/expired → 401 40011; other policy type → 401 40006 (session kept); else consumed.</summary>
    private static async Task<(UploadSessionRow Session, UserRow User, GroupRow Group)?> UseSession(Req req, string type)
    {
        var id = req.Param("sessionID");
        var result = req.App.Db.Write((c, tx) =>
        {
            var s = Uploads.Live(c, id, tx);
            if (s == null) return (Code: Codes.UploadSessionExpired, Msg: "上传会话不存在或已过期", Value: ((UploadSessionRow, UserRow, GroupRow)?)null);
            if (Users.Policy(c, s.PolicyId, tx)?.Type != type) return (Codes.PolicyNotAllowed, "", null);
            Uploads.Delete(c, tx, id);
            var u = Users.ById(c, s.UserId, tx);
            if (u == null || u.Status != UserStatus.Active) return (Codes.UserNotFound, "", null);
            return (0, "", (s, u, Users.Group(c, u.GroupId, tx) ?? Req.UnknownGroup(u.GroupId)));
        });
        if (result.Code != 0)
        {
            await req.Json(Envelope.Err(result.Code, result.Msg), FailedStatus);
            return null;
        }
        return result.Value;
    }

    private static async Task OneDrive(Req req)
    {
        var used = await UseSession(req, PolicyTypes.OneDrive);
        if (used == null) return;
        var (session, user, group) = used.Value;
        var body = await req.BodyAsync();
        body.Obj("Meta");
        body.ThrowIfTypeError();

        // Meta of the drive item: it exists only once every byte has arrived.
        var blob = req.App.Blobs.PathOf(SourceOf(req, session));
        if (!System.IO.File.Exists(blob)) throw Envelope.Fail(Codes.QueryMetaFailed, "");
        if (new FileInfo(blob).Length != session.Size)
        {
            req.App.Blobs.Delete(SourceOf(req, session));
            throw Envelope.Fail(Codes.MetaMismatch, "");
        }
        await Finish(req, session, user, group);
    }

    private static async Task S3(Req req)
    {
        var used = await UseSession(req, PolicyTypes.S3);
        if (used == null) return;
        var (session, user, group) = used.Value;
        // HEAD of the object; a missing object or another size → 40055 (the object and the placeholder stay).
        var blob = req.App.Blobs.PathOf(SourceOf(req, session));
        if (!System.IO.File.Exists(blob) || new FileInfo(blob).Length != session.Size) throw Envelope.Fail(Codes.MetaMismatch, "");
        await Finish(req, session, user, group);
    }

    private static string SourceOf(Req req, UploadSessionRow s) =>
        req.App.Db.Read(c => Objects.FileByUploadSession(c, s.Id, s.UserId))?.SourceName ?? "";

    /// <summary>ProcessCallback: placeholder must exist; quota checked and charged now; the placeholder becomes the file.</summary>
    private static Task Finish(Req req, UploadSessionRow session, UserRow user, GroupRow group)
    {
        string? failedSource = null;
        try
        {
            req.App.Db.Write((c, tx) =>
            {
                var placeholder = Objects.FileByUploadSession(c, session.Id, user.Id, tx)
                    ?? throw Envelope.Fail(Codes.UploadSessionExpired, "LocalUpload session file placeholder not exist");
                var fresh = Users.ById(c, user.Id, tx)!;
                if (Upload.Remaining(group, fresh) < session.Size)
                {
                    failedSource = placeholder.SourceName;
                    throw Upload.NoCapacity();
                }
                Users.AddStorage(c, tx, user.Id, session.Size - placeholder.Size);
                var updated = session.LastModified > 0 ? DateTime.UnixEpoch.AddMilliseconds(session.LastModified).Ticks : GoTime.Now();
                c.Exec("UPDATE files SET size=$s, upload_session_id=NULL, updated_at=$u WHERE id=$id", tx,
                    ("$s", session.Size), ("$u", updated), ("$id", placeholder.Id));
            });
        }
        finally
        {
            if (failedSource != null) req.App.Blobs.Delete(failedSource);
        }
        return req.Ok();
    }
}

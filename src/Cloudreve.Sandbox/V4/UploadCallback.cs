using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Callbacks that finish provider uploads (reference 10.4.2, 10.4.3): GET /callback/s3/{session_id}/{callback_secret}
/// after CompleteMultipartUpload, POST /callback/onedrive/{session_id}/{callback_secret} after the last Graph fragment.
/// No token. They answer with real HTTP statuses besides the envelope (cap 563, 566, 568).
/// </summary>
internal static class UploadCallback
{
    public static void Map(Router r)
    {
        r.Get("/api/v4/callback/s3/:sessionId/:secret", req => Finish(req, PolicyTypes.S3));
        r.Post("/api/v4/callback/onedrive/:sessionId/:secret", req => Finish(req, PolicyTypes.OneDrive));
    }

    private static async Task Finish(Req req, string type)
    {
        var app = req.App;
        var id = req.Param("sessionId");
        var secret = req.Param("secret");
        var orphan = app.Db.Write((c, tx) =>
        {
            var s = UploadStore.Get(c, id, tx);
            // Done, cancelled, expired or unknown: HTTP 401, 40011 (cap 568, 587, 594).
            if (s == null || !s.Live || s.PolicyType != type)
                throw new V4Exception(V4Codes.UploadSessionExpired, "Upload session does not exist or expired", httpStatus: 401);
            if (!string.Equals(s.CallbackSecret, secret, StringComparison.Ordinal))
                throw new V4Exception(V4Codes.CredentialInvalid, "Invalid callback secret", httpStatus: 401); // cap 566
            // Before the object is complete: HTTP 400, code -1, empty msg; the session stays usable (cap 563).
            var blob = app.Blobs.PathOf(s.SourceName);
            if (!System.IO.File.Exists(blob) || new FileInfo(blob).Length != s.Size)
                throw new V4Exception(V4Codes.Unclassified, "", httpStatus: 400);
            return Upload.Complete(app, c, tx, s);
        });
        if (orphan != null) app.Blobs.Delete(orphan);
        await req.Json(V4Envelope.Ok());
    }
}

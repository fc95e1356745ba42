using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Imitation of a 4.18 slave node for the remote policy (reference 10.4.1), on the provider origin:
/// <c>POST /api/v4/slave/upload/{session_id}?chunk={i}</c> with <c>Authorization: Bearer Cr &lt;sign&gt;:&lt;expiry&gt;</c>
/// (chunks in any order; the node finishes the upload itself after the last missing chunk) and
/// <c>GET /api/v4/slave/file/content/0/{base64 key}/0/{name}?[download=true&amp;]sign=...</c> (no token, Range).
/// </summary>
internal static class SlaveNode
{
    public const string UploadRoot = "/api/v4/slave/upload/";
    public const string ContentRoot = "/api/v4/slave/file/content/0/";

    public static void Map(Router r)
    {
        r.Post(UploadRoot + ":sessionId", Chunk);
        r.Get(ContentRoot + ":key/:speed/:name", Content);
        r.Add("HEAD", ContentRoot + ":key/:speed/:name", Content);
    }

    /// <summary>The upload credential of a session: "Bearer Cr {base64url HMAC}:{expiry}", the expiry being the session's (cap 511).</summary>
    public static string Credential(App app, string sessionId, long expires) => "Bearer Cr " + Sign(app, "upload:" + sessionId, expires);

    /// <summary>A download URL on the node (path + query): the stored key base64-encoded, the name path-escaped (cap 525).</summary>
    public static string ContentUrl(App app, string sourceName, string name, bool download, long expires)
    {
        // base64url (with padding) so that the key stays one path segment.
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes(sourceName)).Replace('+', '-').Replace('/', '_');
        var sign = Sign(app, "content:" + key + "/" + name, expires);
        app.V4Downloads.Track(sign);
        return ContentRoot + key + "/0/" + DownloadNames.PathSegment(name) + "?" + (download ? "download=true&" : "") + "sign=" + Uri.EscapeDataString(sign);
    }

    private static string Sign(App app, string what, long expiry)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes("slave:" + app.SignSecret), Encoding.UTF8.GetBytes(what + ":" + expiry.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_') + ":" + expiry.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>(mac:expiry) → expiry when the MAC is right; throws the node's sign errors otherwise.</summary>
    private static void CheckSign(App app, string what, string sign, string expiredMsg)
    {
        var idx = sign.LastIndexOf(':');
        if (idx < 0 || !long.TryParse(sign[(idx + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiry))
            throw V4Envelope.Fail(V4Codes.InvalidSign, expiredMsg);
        if (expiry < GoTime.NowUnix()) throw V4Envelope.Fail(V4Codes.SignExpired, "signature expired"); // cap 547
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(app, what, expiry)), Encoding.ASCII.GetBytes(sign)))
            throw V4Envelope.Fail(V4Codes.InvalidSign, "invalid sign"); // cap 515, 530
    }

    private static async Task Chunk(Req req)
    {
        var app = req.App;
        var sessionId = req.Param("sessionId");
        var auth = req.Http.Request.Headers.Authorization.ToString();
        if (auth.Length == 0) throw V4Envelope.Fail(V4Codes.PermissionDenied, "authorization header is missing"); // cap 516
        const string prefix = "Bearer Cr ";
        // A Cloudreve access token in its place reads as an unusable sign (cap 517).
        if (!auth.StartsWith(prefix, StringComparison.Ordinal)) throw V4Envelope.Fail(V4Codes.InvalidSign, "sign expired");
        CheckSign(app, "upload:" + sessionId, auth[prefix.Length..], "sign expired");
        if (!long.TryParse(req.Query("chunk"), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw V4Envelope.Param("Invalid parameters.");

        var faults = app.Faults.Current;
        if (Faults.Roll(faults.ChunkFailureRate))
        {
            req.Http.Response.StatusCode = 500;
            req.Http.Response.ContentLength = 0;
            return;
        }
        var s = app.Db.Read(c => UploadStore.Get(c, sessionId));
        // Done or cancelled: 40011 (cap 524, 543); expired by the sandbox control: the credential expires with the session.
        if (s == null || s.PolicyType != PolicyTypes.Remote) throw V4Envelope.Fail(V4Codes.UploadSessionExpired, "");
        if (!s.Live) throw V4Envelope.Fail(V4Codes.SignExpired, "signature expired");
        var start = index * s.ChunkSize;
        // The node has no 40012: an index past the end expects a negative length (cap 518).
        var expected = s.ChunkSize == 0 ? s.Size : Math.Min(s.ChunkSize, s.Size - start);
        if (req.Http.Request.ContentLength != expected || index >= s.ChunkCount)
            throw V4Envelope.Fail(V4Codes.InvalidContentLength, $"Invalid Content-Length (expected: {expected})"); // cap 514, 518
        if (!await BodyWriter.WriteAtAsync(req.Http, app.Blobs.PathOf(s.SourceName), start, expected, Faults.Roll(faults.DropConnectionRate)))
        {
            if (req.Http.RequestAborted.IsCancellationRequested) return;
            throw V4Envelope.Fail(40002, "Failed to read chunk data");
        }
        var orphan = app.Db.Write((c, tx) =>
        {
            var current = UploadStore.Get(c, sessionId, tx);
            if (current == null) return null;
            // The node calls the master's callback once every chunk is in (cap 522, 523).
            return UploadStore.AddChunk(c, tx, current, index) < current.ChunkCount ? null : Upload.Complete(app, c, tx, current);
        });
        if (orphan != null) app.Blobs.Delete(orphan);
        if (Faults.Roll(faults.LostAnswerRate))
        {
            req.Http.Abort();
            return;
        }
        await req.Json(V4Envelope.Ok());
    }

    private static async Task Content(Req req)
    {
        var app = req.App;
        var key = req.Param("key");
        var name = req.Param("name");
        var sign = req.Query("sign");
        if (string.IsNullOrEmpty(sign)) throw V4Envelope.Fail(V4Codes.PermissionDenied, "expire timestamp is missing"); // cap 531
        CheckSign(app, "content:" + key + "/" + name, sign, "expire timestamp is missing");
        if (app.V4Downloads.IsRevoked(sign)) throw V4Envelope.Fail(V4Codes.SignExpired, "signature expired"); // sandbox control
        string source;
        try
        {
            source = Encoding.UTF8.GetString(Convert.FromBase64String(key.Replace('-', '+').Replace('_', '/')));
        }
        catch (FormatException)
        {
            throw new V4Exception(V4Codes.EntityNotExist, "Entity not exist");
        }
        var file = app.Db.Read(c => Objects.FilesWhere(c, "source_name=$s AND upload_session_id IS NULL ORDER BY id LIMIT 1", null, ("$s", source)).FirstOrDefault());
        var blob = app.Blobs.PathOf(source);
        if (file == null || !System.IO.File.Exists(blob)) throw new V4Exception(V4Codes.EntityNotExist, "Entity not exist");
        var h = req.Http.Response.Headers;
        h.CacheControl = "public, max-age=86400";
        h.ContentSecurityPolicy = "sandbox";
        h.ETag = "\"" + app.Ids.Encode(app.V4Entities.CurrentRaw(file), V4Ids.Entity) + "\"";
        if (req.Query("download") == "true") h.ContentDisposition = DownloadNames.Attachment(name); // cap 526
        if (await app.Faults.FailContentGetAsync(req.Http)) return; // --fault-download-failure-rate
        await ServeFile.SendAsync(req.Http, blob, name, default, Faults.Roll(app.Faults.Current.DropConnectionRate));
    }
}

using System.Globalization;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The public side of direct links (reference 13): GET /f/{id}/{name} answers 302 to the file's signed content URL
/// without download=true (cap 431-433), /f/d/{id}/{name} with it; the URL comes from the same cache as POST /file/url.
/// A deleted link, a wrong name or a file that is gone: HTTP 404 with envelope code 404 (cap 438).
/// </summary>
internal static class V4DirectLinkFollow
{
    public static void Map(Router r)
    {
        r.Get("/f/:id/:name", req => Follow(req, download: false));
        r.Get("/f/d/:id/:name", req => Follow(req, download: true));
    }

    private static Task Follow(Req req, bool download)
    {
        var app = req.App;
        var id = app.Ids.Decode(req.Param("id"), V4SvcIds.DirectLink) ?? throw V4Envelope.Fail(V4Codes.ParamErr, "Failed to parse object ID");
        var name = req.Param("name");
        var (file, policy) = app.Db.Write((c, tx) =>
        {
            var link = c.Query("SELECT file_id, name FROM source_links WHERE id=$id", r => (r.GetInt64(0), r.GetString(1)), tx, ("$id", id));
            var f = link.Count == 1 && link[0].Item2 == name ? Objects.File(c, link[0].Item1, tx) : null;
            if (f == null || f.IsPlaceholder || V4Fs.Segments(c, V4Node.Of(f), tx) == null)
                throw new V4Exception(V4Codes.NotFound, "direct link not found", httpStatus: 404);
            c.Exec("UPDATE source_links SET downloads=downloads+1 WHERE id=$id", tx, ("$id", id));
            return (f, Users.Policy(c, f.PolicyId, tx));
        });

        var ttl = app.Faults.Current.DownloadUrlTtlSeconds ?? app.Options.EntityUrlTtlSeconds;
        var entity = app.Ids.Encode(app.V4Entities.CurrentRaw(file), V4Ids.Entity);
        var origin = policy is { IsLocal: false } ? app.Providers.OriginFor(req.Http) : Providers.Origin(req.Http);
        var key = string.Join('|', entity, file.SourceName, file.Name, download ? "1" : "0", ttl.ToString(CultureInfo.InvariantCulture));
        var (path, _) = app.V4Downloads.Get(key, ttl, exp => policy?.Type switch
        {
            PolicyTypes.S3 => download
                ? app.Providers.S3Presign("GET", file.SourceName, ttl, ("response-content-disposition", DownloadNames.S3Attachment(file.Name)))
                : app.Providers.S3Presign("GET", file.SourceName, ttl),
            PolicyTypes.OneDrive => app.Providers.OneDriveDownload(file.SourceName, ttl),
            _ => app.V4Downloads.ContentUrl(entity, file.Name, download, exp),
        });
        return Redirect.Found(req.Http, origin + path, maxAgeSeconds: null);
    }
}

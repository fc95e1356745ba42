using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Download URLs (reference 12): POST /file/url {uris,download?,redirect?,skip_error?} → absolute signed URLs, one per
/// URI in order; GET /file/content/{entity}/0/{name}?[download=true&amp;]sign=... serves the bytes without a token
/// (Range, 206/416) through the sandbox's shared ServeFile code, so the download fault injection applies.
/// </summary>
internal static class Download
{
    public static void Map(Router r)
    {
        r.Post("/api/v4/file/url", CreateUrls);
        r.Get("/api/v4/file/content/:entity/:speed/:name", Content);
        r.Add("HEAD", "/api/v4/file/content/:entity/:speed/:name", Content);
    }

    /// <summary>URL lifetime: the fault override, else entity_url_default_ttl.</summary>
    private static long Ttl(App app) => app.Faults.Current.DownloadUrlTtlSeconds ?? app.Options.EntityUrlTtlSeconds;

    private static async Task CreateUrls(Req req)
    {
        var body = await V4Body.Read(req);
        var uris = body.StrList("uris");
        var download = body.Bool("download");
        var redirect = body.Bool("redirect");
        var skipError = body.Bool("skip_error");
        var archive = body.Bool("archive");
        body.Str("entity");
        if (body.TypeError || uris.Count == 0) throw V4Envelope.Param("Invalid parameters.");
        if (uris.Count > 3000) throw V4Envelope.TooManyUris();
        // Share URIs work without a token (cap 415).
        var caller = uris.All(V4ShareBrowse.IsShareUri) ? req.Caller() : req.RequireCaller();
        var app = req.App;

        if (archive)
        {
            await ArchiveUrl(req, caller ?? req.RequireCaller(), uris);
            return;
        }
        var urls = new JsonArray();
        var agg = new V4Aggregate();
        long? expires = null;
        foreach (var raw in uris)
        {
            try
            {
                var (url, exp) = UrlFor(req, caller, raw, download);
                urls.Add(new JsonObject { ["url"] = url });
                expires = expires == null ? exp : Math.Min(expires.Value, exp);
            }
            catch (UrlFailure) when (skipError)
            {
                urls.Add(new JsonObject { ["url"] = "" }); // cap 375
            }
            catch (UrlFailure f)
            {
                agg.Add(V4Uri.TryParse(raw) is { } parsed ? V4Aggregate.Key(parsed) : raw, f.Error, f.Outer);
            }
        }
        agg.ThrowIfAny(); // 40081 (cap 372, 373, 552)

        if (redirect && urls.Count == 1)
        {
            // HTTP 302 to the URL, empty body (cap 371).
            req.Http.Response.StatusCode = 302;
            req.Http.Response.Headers.Location = urls[0]!["url"]!.GetValue<string>();
            req.Http.Response.ContentLength = 0;
            return;
        }
        var data = new JsonObject
        {
            ["urls"] = urls,
            ["expires"] = GoTime.Format(DateTimeOffset.FromUnixTimeSeconds(expires ?? GoTime.NowUnix() + Ttl(app)).UtcDateTime),
        };
        await req.Json(V4Envelope.Ok(data));
    }

    /// <summary>archive:true: one URL for a zip of every file and folder named (cap 374), valid 10 minutes.</summary>
    private static async Task ArchiveUrl(Req req, V4Caller caller, List<string> uris)
    {
        var app = req.App;
        var agg = new V4Aggregate();
        var items = new List<XferTarget>();
        foreach (var raw in uris)
        {
            var uri = V4Uri.TryParse(raw);
            if (uri == null)
            {
                agg.Add(raw, V4Envelope.UnknownUri());
                continue;
            }
            if (!V4Fs.IsMy(uri, app, caller))
            {
                agg.Add(V4Aggregate.Key(uri), V4Envelope.NotSupported());
                continue;
            }
            var t = app.Db.Read(c => XferPaths.Find(c, caller.Id, uri));
            if (!t.Found || t.File is { IsPlaceholder: true })
                agg.Add(V4Aggregate.Key(uri), V4Envelope.PathNotExist(), $"failed to get target file: failed to walk into \"{t.Missing ?? uri.Name}\": Path not exist: ent: file not found");
            else
                items.Add(t);
        }
        agg.ThrowIfAny();
        var (path, expires) = app.V4Downloads.Archives.Create(app, caller.Id, items);
        await req.Json(V4Envelope.Ok(new JsonObject
        {
            ["urls"] = new JsonArray(new JsonObject { ["url"] = Providers.Origin(req.Http) + path }),
            ["expires"] = GoTime.Format(DateTimeOffset.FromUnixTimeSeconds(expires).UtcDateTime),
        }));
    }

    /// <summary>The URL of one file, or the error its URI gets inside aggregated_error.</summary>
    private static (string Url, long Expires) UrlFor(Req req, V4Caller? caller, string raw, bool download)
    {
        var app = req.App;
        var uri = V4Uri.TryParse(raw) ?? throw new UrlFailure(V4Envelope.UnknownUri());
        if (uri.FileSystem == V4Uri.Trash)
            throw new UrlFailure(V4Envelope.NotSupported(), "Not supported action: action '\\a' is not supported under current fs"); // cap 552
        XferTarget? shared = null;
        try
        {
            if (uri.FileSystem == V4Uri.Share) shared = V4ShareBrowse.Target(app, caller, uri);
            else V4Fs.RequireMy(uri, app, caller!);
        }
        catch (V4Exception ex)
        {
            throw new UrlFailure(ex);
        }
        var (target, entityRaw, policy) = app.Db.Read(c =>
        {
            var t = shared ?? XferPaths.Find(c, caller!.Id, uri);
            return (t, t.File == null ? 0 : app.V4Entities.CurrentRaw(t.File), t.File == null ? null : Users.Policy(c, t.File.PolicyId));
        });
        if (!target.Found)
        {
            throw new UrlFailure(V4Envelope.PathNotExist(),
                $"failed to get target file: failed to walk into \"{target.Missing}\": Path not exist: ent: file not found"); // cap 372
        }
        // A folder or a pending upload has no content entity (cap 373).
        if (target.File is not { IsPlaceholder: false } file) throw new UrlFailure(new V4Exception(V4Codes.EntityNotExist, "Entity not exist"));

        return ContentUrl(req, file, entityRaw, policy, download);
    }

    /// <summary>
    /// The absolute download URL of a file's current content and its expiry (unix seconds), cached until it runs out:
    /// local → {site}/api/v4/file/content/...; s3 → a pre-signed GetObject; onedrive → a Graph download URL (12.1).
    /// Also for other areas (direct links answer 302 to the inline form, reference 13).
    /// </summary>
    public static (string Url, long Expires) ContentUrl(Req req, FileRow file, bool download)
    {
        var app = req.App;
        var (raw, policy) = app.Db.Read(c => (app.V4Entities.CurrentRaw(file), Users.Policy(c, file.PolicyId)));
        return ContentUrl(req, file, raw, policy, download);
    }

    private static (string Url, long Expires) ContentUrl(Req req, FileRow file, long entityRaw, PolicyRow? policy, bool download)
    {
        var app = req.App;
        var ttl = Ttl(app);
        var origin = policy is { IsLocal: false } ? app.Providers.OriginFor(req.Http) : Providers.Origin(req.Http);
        var entity = app.Ids.Encode(entityRaw, V4Ids.Entity);
        var key = string.Join('|', entity, file.SourceName, file.Name, download ? "1" : "0", ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (path, expires) = app.V4Downloads.Get(key, ttl, exp => policy?.Type switch
        {
            // s3: a pre-signed GetObject on the bucket (cap 570, 575); onedrive: a Graph download URL.
            PolicyTypes.S3 => download
                ? app.Providers.S3Presign("GET", file.SourceName, ttl, ("response-content-disposition", DownloadNames.S3Attachment(file.Name)))
                : app.Providers.S3Presign("GET", file.SourceName, ttl),
            PolicyTypes.OneDrive => app.Providers.OneDriveDownload(file.SourceName, ttl),
            // remote: a signed URL on the slave node (cap 525, 532).
            PolicyTypes.Remote => SlaveNode.ContentUrl(app, file.SourceName, file.Name, download, exp),
            _ => app.V4Downloads.ContentUrl(entity, file.Name, download, exp),
        });
        return (origin + path, expires);
    }

    private static async Task Content(Req req)
    {
        var app = req.App;
        var entity = req.Param("entity");
        var name = req.Param("name");
        app.V4Downloads.Check(entity, name, req.Query("sign"));
        var raw = app.Ids.Decode(entity, V4Ids.Entity) ?? throw new V4Exception(V4Codes.EntityNotExist, "Entity not exist");
        string blob;
        if (raw == 0)
        {
            // The shared empty entity (cap 365).
            blob = app.Blobs.PathOf("v4/empty");
            if (!System.IO.File.Exists(blob)) app.Blobs.EnsureEmpty("v4/empty");
        }
        else
        {
            var found = app.Db.Read(c => app.V4Entities.Resolve(c, raw)) ?? throw new V4Exception(V4Codes.EntityNotExist, "Entity not exist");
            blob = app.Blobs.PathOf(found.SourceName);
            if (!System.IO.File.Exists(blob)) throw new V4Exception(V4Codes.EntityNotExist, "Entity not exist");
        }
        var h = req.Http.Response.Headers;
        h.CacheControl = "public, max-age=86400";
        h.ContentSecurityPolicy = "sandbox";
        h.ETag = "\"" + entity + "\"";
        if (req.Query("download") == "true") h.ContentDisposition = DownloadNames.Attachment(name); // cap 364, 367, 382
        if (await app.Faults.FailContentGetAsync(req.Http)) return; // --fault-download-failure-rate
        await ServeFile.SendAsync(req.Http, blob, name, default, Faults.Roll(app.Faults.Current.DropConnectionRate));
    }

    /// <summary>Why one URI got no URL; <see cref="Outer"/> is the msg of the 40081 reply when it is the first failure.</summary>
    private sealed class UrlFailure : Exception
    {
        public UrlFailure(V4Exception error, string? outer = null) : base(error.Message)
        {
            Error = error;
            Outer = outer ?? error.Message;
        }

        public V4Exception Error { get; }
        public string Outer { get; }
    }
}

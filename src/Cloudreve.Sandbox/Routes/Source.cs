using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Source links: POST /file/source, the permanent /f/{id}/{name} redirect and the signed /file/get/{rawId}/{name}.</summary>
internal static class Source
{
    private const int RedirectTtlSeconds = 600;

    public static void Map(Router r)
    {
        r.Post("/api/v3/file/source", Create);
        r.Get("/f/:id/:name", Follow);
        r.Get("/api/v3/file/get/:id/:name", Get);
    }

    private static async Task Create(Req req)
    {
        var (user, group) = req.RequireUser();
        var body = await req.BodyAsync();
        var items = body.StrList("items");
        body.ThrowIfTypeError();
        if (items.Count > group.SourceBatch) throw Envelope.Fail(Codes.BatchSourceSize, "");
        var ids = Fs.DecodeAll(req.App, items, HashIds.File).Distinct().ToList();
        var origin = Providers.Origin(req.Http);
        var result = req.App.Db.Write((c, tx) =>
        {
            var files = ids.Select(id => Objects.OwnFile(c, user.Id, id, tx)).Where(f => f is { IsPlaceholder: false }).Select(f => f!).OrderBy(f => f.Id).ToList();
            if (files.Count == 0) throw Envelope.Fail(Codes.FileNotFound, "");
            var arr = new JsonArray();
            foreach (var f in files)
            {
                var linkId = c.Scalar("SELECT id FROM source_links WHERE file_id=$f ORDER BY id LIMIT 1", tx, ("$f", f.Id)) as long?;
                if (linkId == null)
                {
                    var now = GoTime.Now();
                    linkId = c.InsertId("INSERT INTO source_links(file_id,name,downloads,created_at,updated_at) VALUES($f,$n,0,$now,$now)", tx, ("$f", f.Id), ("$n", f.Name), ("$now", now));
                }
                var raw = "/f/" + req.App.Ids.Encode(linkId.Value, HashIds.SourceLink) + "/" + f.Name;
                var o = new JsonObject();
                var bad = BadEscape(f.Name);
                o["url"] = bad == null ? origin + EscapeLikeGoUrl(raw) : "";
                o["name"] = f.Name;
                o["parent"] = f.FolderId;
                if (bad != null) o["error"] = $"parse \"{raw}\": invalid URL escape \"{bad}\"";
                arr.Add(o);
            }
            return arr;
        });
        await req.Ok(result);
    }

    /// <summary>The first malformed %-escape in a name (Go's url.Parse rejects it), or null.</summary>
    private static string? BadEscape(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '%') continue;
            if (i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2])) continue;
            return s.Substring(i, Math.Min(3, s.Length - i));
        }
        return null;
    }

    /// <summary>url.Parse + String(): the path part escaped, a '#' starting a literal fragment.</summary>
    private static string EscapeLikeGoUrl(string raw)
    {
        var hash = raw.IndexOf('#', StringComparison.Ordinal);
        var path = hash >= 0 ? raw[..hash] : raw;
        var escaped = string.Join('/', path.Split('/').Select(Signer.GoPathEscape));
        return hash >= 0 ? escaped + "#" + raw[(hash + 1)..].Replace(" ", "%20", StringComparison.Ordinal).Replace("[", "%5B", StringComparison.Ordinal).Replace("]", "%5D", StringComparison.Ordinal) : escaped;
    }

    private static Task Follow(Req req)
    {
        var linkId = req.App.Ids.Decode(req.Param("id"), HashIds.SourceLink) ?? throw Envelope.Fail(Codes.FileNotFound, "");
        var name = req.Param("name");
        var file = req.App.Db.Write((c, tx) =>
        {
            var fileId = c.Scalar("SELECT file_id FROM source_links WHERE id=$id", tx, ("$id", linkId)) as long?;
            var f = fileId == null ? null : Objects.File(c, fileId.Value, tx);
            if (f == null || f.IsPlaceholder || f.Name != name) throw Envelope.Fail(Codes.FileNotFound, "");
            c.Exec("UPDATE source_links SET downloads=downloads+1 WHERE id=$id", tx, ("$id", linkId));
            return f;
        });
        var policy = req.App.Db.Read(c => Users.Policy(c, file.PolicyId));
        if (policy is { IsLocal: false })
            return Redirect.Found(req.Http, File.StorageUrl(req, file, policy, RedirectTtlSeconds, attachment: false), RedirectTtlSeconds);
        var path = $"/api/v3/file/get/{file.Id}/{file.Name}";
        var expires = GoTime.NowUnix() + RedirectTtlSeconds;
        return Redirect.Found(req.Http,
            $"/api/v3/file/get/{file.Id}/{Signer.GoPathEscape(file.Name)}?sign={Uri.EscapeDataString(req.App.Signer.Sign(path, expires))}", RedirectTtlSeconds);
    }

    private static async Task Get(Req req)
    {
        var rawId = req.Param("id");
        var name = req.Param("name");
        req.App.Signer.Check($"/api/v3/file/get/{rawId}/{name}", req.Query("sign"));
        if (!long.TryParse(rawId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            throw Envelope.Fail(Codes.ParamErr, "Parameter error");
        var file = req.App.Db.Read(c => Objects.File(c, id));
        if (file == null || file.IsPlaceholder || !req.App.Blobs.Exists(file.SourceName)) throw Envelope.Fail(Codes.FileNotFound, "");
        req.Http.Response.Headers.CacheControl = "public, max-age=86400";
        req.Http.Response.Headers.ContentSecurityPolicy = "sandbox";
        if (await req.App.Faults.FailContentGetAsync(req.Http)) return;
        await ServeFile.SendAsync(req.Http, req.App.Blobs.PathOf(file.SourceName), file.Name, new DateTime(file.UpdatedAt, DateTimeKind.Utc), false);
    }
}

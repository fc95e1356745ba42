using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Direct (source) links (reference 13): PUT /file/source {uris} → [{link, file_url}], DELETE /file/source/{id}; the public
/// /f/ redirect lives in V4DirectLinkFollow.
/// </summary>
internal static class V4DirectLinks
{
    public static void Map(Router r)
    {
        r.Put(V4Routes.Prefix + "/file/source", Create);
        r.Delete(V4Routes.Prefix + "/file/source/:id", Delete);
    }

    /// <summary>{siteURL}/f/{id}/{PathEscape(name)}: '+' and '&amp;' raw, ' ; % space and non-ASCII escaped (cap 430).</summary>
    public static string Link(Req req, long linkId, string name) =>
        Providers.Origin(req.Http) + "/f/" + req.App.Ids.Encode(linkId, V4SvcIds.DirectLink) + "/" + V4SvcEscape.PathSegment(name);

    /// <summary>
    /// One link per file, reused on later calls (cap 435). The group's source_batch caps the batch (0: 40007, more:
    /// 40014); a folder is 40077 "Entity not exist" (cap 434), a missing path 40016; failures → 40081 with the links
    /// that did work as data.
    /// </summary>
    private static async Task Create(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var hasUris = body.Has("uris");
        var raw = body.StrList("uris");
        body.ThrowIfMarshallError();
        if (!hasUris) throw V4Envelope.Param("Uris cannot be empty");
        if (raw.Count < 1) throw V4Envelope.Param("Uris too short");
        var batch = req.App.Db.Read(c => V4GroupPerms.SourceBatch(c, caller.Group));
        if (batch == 0) throw V4Envelope.Fail(V4SvcCodes.GroupNotAllowed, "");
        if (raw.Count > batch) throw V4Envelope.Fail(V4SvcCodes.BatchSourceSize, "");
        var uris = raw.Select(V4Uri.Parse).ToList();

        var correlation = Guid.NewGuid().ToString();
        var errors = new JsonObject();
        string? firstError = null;
        var links = req.App.Db.Write((c, tx) =>
        {
            var result = new JsonArray();
            for (var i = 0; i < uris.Count; i++)
            {
                try
                {
                    var node = Resolve(c, req, caller, uris[i], tx);
                    if (node.IsFolder || node.File!.IsPlaceholder) throw V4Envelope.Fail(V4Codes.EntityNotExist, "Entity not exist");
                    var f = node.File;
                    var linkId = c.Scalar("SELECT id FROM source_links WHERE file_id=$f ORDER BY id LIMIT 1", tx, ("$f", f.Id)) as long?;
                    string name = f.Name;
                    if (linkId == null)
                    {
                        var now = GoTime.Now();
                        linkId = c.InsertId("INSERT INTO source_links(file_id,name,downloads,created_at,updated_at) VALUES($f,$n,0,$now,$now)", tx,
                            ("$f", f.Id), ("$n", f.Name), ("$now", now));
                    }
                    else
                    {
                        name = (string)c.Scalar("SELECT name FROM source_links WHERE id=$id", tx, ("$id", linkId))!;
                    }
                    result.Add(new JsonObject { ["link"] = Link(req, linkId.Value, name), ["file_url"] = V4Fs.UriOf(c, node, tx) ?? uris[i].ToString() });
                }
                catch (V4Exception ex)
                {
                    firstError ??= ex.Message;
                    errors[raw[i]] = ex.ToInner(correlation);
                }
            }
            return result;
        });
        if (errors.Count > 0)
            throw new V4Exception(V4Codes.BatchPartFailed, firstError ?? "", links.Count > 0 ? links : null) { Aggregated = errors, CorrelationId = correlation };
        await req.Json(V4Envelope.Ok(links));
    }

    /// <summary>The caller's own item a URI names (another file system: 403; missing: 40016).</summary>
    private static V4Node Resolve(Microsoft.Data.Sqlite.SqliteConnection c, Req req, V4Caller caller, V4Uri uri, Microsoft.Data.Sqlite.SqliteTransaction tx)
    {
        V4Fs.RequireMy(uri, req.App, caller);
        return V4Fs.Require(c, caller.Id, uri, tx);
    }

    /// <summary>DELETE /file/source/{id}: the owner's link goes (cap 437); unknown or another user's → 404 "Direct link not found".</summary>
    private static Task Delete(Req req)
    {
        var caller = req.RequireCaller();
        var id = req.App.Ids.Decode(req.Param("id"), V4SvcIds.DirectLink) ?? throw V4Envelope.Fail(V4Codes.ParamErr, "Failed to parse object ID");
        req.App.Db.Write((c, tx) =>
        {
            var fileId = c.Scalar("SELECT file_id FROM source_links WHERE id=$id", tx, ("$id", id)) as long?;
            var f = fileId == null ? null : Objects.File(c, fileId.Value, tx);
            if (f == null || f.UserId != caller.Id) throw V4Envelope.Fail(V4Codes.NotFound, "Direct link not found");
            c.Exec("DELETE FROM source_links WHERE id=$id", tx, ("$id", id));
        });
        return req.Json(V4Envelope.Ok());
    }

    /// <summary>extended_info.direct_links of a file: [{id, url, downloaded, created_at}] (cap 436); null when it has none.</summary>
    public static JsonArray? ForFile(Req req, Microsoft.Data.Sqlite.SqliteConnection c, V4Node n)
    {
        if (n.IsFolder) return null;
        var rows = c.Query("SELECT id, name, downloads, created_at FROM source_links WHERE file_id=$f ORDER BY id", r => new JsonObject
        {
            ["id"] = req.App.Ids.Encode(r.GetInt64(0), V4SvcIds.DirectLink),
            ["url"] = Link(req, r.GetInt64(0), r.GetString(1)),
            ["downloaded"] = r.GetInt64(2),
            ["created_at"] = GoTime.Format(r.GetInt64(3)),
        }, null, ("$f", n.Id));
        return rows.Count == 0 ? null : GoJson.Array(rows);
    }
}

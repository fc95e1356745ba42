using System.Text;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Share links (reference 11): PUT /share (create), POST /share/{id} (edit), GET /share (list), GET /share/info/{id}
/// (anonymous), DELETE /share/{id}, DELETE /share (batch), and the short links /s/{id}[/{password}].
/// </summary>
internal static class V4Shares
{
    public static void Map(Router r)
    {
        r.Put(V4Routes.Prefix + "/share", Create);
        r.Post(V4Routes.Prefix + "/share/:id", Edit);
        r.Get(V4Routes.Prefix + "/share", List);
        r.Get(V4Routes.Prefix + "/share/info/:id", Info);
        r.Delete(V4Routes.Prefix + "/share/:id", Delete);
        r.Delete(V4Routes.Prefix + "/share", BatchDelete);
        r.Get("/s/:id", ShortLink);
        r.Get("/s/:id/:password", ShortLink);
    }

    private sealed record Input(string Uri, bool IsPrivate, string Password, long Downloads, long Expire, bool ShareView, bool ShowReadMe);

    /// <summary>ShareCreateService: uri required; password omitempty,max=32,alphanum (cap 402); downloads; expire (seconds).</summary>
    private static async Task<Input> Bind(Req req)
    {
        var body = await V4Body.Read(req);
        var input = new Input(body.Str("uri"), body.Bool("is_private"), body.Str("password"), body.Long("downloads"), body.Long("expire"),
            body.Bool("share_view"), body.Bool("show_readme"));
        body.ThrowIfMarshallError();
        if (input.Uri.Length == 0) throw V4Envelope.Param("Uri cannot be empty");
        if (input.Password.Length > 0)
        {
            if (Validate.Runes(input.Password) > 32) throw V4Envelope.Param("Password too long");
            if (!input.Password.All(char.IsAsciiLetterOrDigit)) throw V4Envelope.Param("Invalid parameters.");
        }
        return input;
    }

    /// <summary>The caller's own file or folder the URI names (not the root): 40016 / 403 "src file not found" (cap 405).</summary>
    private static V4Node Source(Microsoft.Data.Sqlite.SqliteConnection c, Req req, V4Caller caller, string raw, Microsoft.Data.Sqlite.SqliteTransaction tx)
    {
        var uri = V4Uri.Parse(raw);
        if (!V4Fs.IsMy(uri, req.App, caller) || uri.IsRoot)
            throw V4Envelope.Fail(V4Codes.PermissionDenied, "src file not found");
        return V4Fs.Resolve(c, caller.Id, uri.Segments, tx) ?? throw V4Envelope.Fail(V4Codes.PathNotExist, "src file not found");
    }

    private static (long Remain, long? Expires) Limits(Input i) =>
        (i.Downloads > 0 ? i.Downloads : -1, i.Expire > 0 ? GoTime.NowUnix() + i.Expire : null);

    /// <summary>
    /// Create: the reply is the share URL. is_private without a password generates an 8-character one (cap 401); a
    /// password without is_private is ignored (cap 403); downloads without expire is fine (cap 404).
    /// </summary>
    private static async Task Create(Req req)
    {
        var caller = req.RequireCaller();
        var input = await Bind(req);
        if (!V4GroupPerms.Of(req, caller.Group).Contains(V4Bits.Share)) throw V4Envelope.Fail(V4SvcCodes.GroupNotAllowed, "Group permission denied");
        var share = req.App.Db.Write((c, tx) =>
        {
            var node = Source(c, req, caller, input.Uri, tx);
            var password = input.IsPrivate ? (input.Password.Trim().Length > 0 ? input.Password : V4RandomText.LowerAlnum(8)) : "";
            var (remain, expires) = Limits(input);
            var id = V4ShareStore.Insert(c, tx, caller.Id, node, password, remain, expires, input.ShareView, input.ShowReadMe);
            return V4ShareStore.ById(c, id, tx)!;
        });
        await req.Json(V4Envelope.Ok(V4ShareJson.Url(req, share, unlocked: true)));
    }

    private static long PathId(Req req) =>
        req.App.Ids.Decode(req.Param("id"), V4SvcIds.Share) ?? throw V4Envelope.Fail(V4Codes.ParamErr, "Failed to parse object ID");

    /// <summary>
    /// Edit takes the full create body (a partial one: 40001 "Uri cannot be empty", cap 418) but changes only the
    /// download limit, the expiry and the view flags; the password and the private state stay (cap 416, 417).
    /// </summary>
    private static async Task Edit(Req req)
    {
        var caller = req.RequireCaller();
        var id = PathId(req);
        var input = await Bind(req);
        if (!V4GroupPerms.Of(req, caller.Group).Contains(V4Bits.Share)) throw V4Envelope.Fail(V4SvcCodes.GroupNotAllowed, "Group permission denied");
        var share = req.App.Db.Write((c, tx) =>
        {
            var node = Source(c, req, caller, input.Uri, tx);
            var existing = V4ShareStore.ById(c, id, tx) ?? throw V4Envelope.Fail(V4Codes.NotFound, "failed to get existed share");
            if (existing.IsDir != node.IsFolder || existing.SourceId != node.Id) throw V4Envelope.Fail(V4Codes.NotFound, "share link not found");
            var (remain, expires) = Limits(input);
            V4ShareStore.Update(c, tx, id, remain, expires, input.ShareView, input.ShowReadMe);
            return V4ShareStore.ById(c, id, tx)!;
        });
        await req.Json(V4Envelope.Ok(V4ShareJson.Url(req, share, unlocked: true)));
    }

    /// <summary>GET /share?page_size=10..100[&amp;order_by&amp;order_direction&amp;next_page_token]: the caller's shares, cursor paged (cap 29, 406-408).</summary>
    private static Task List(Req req)
    {
        var caller = req.RequireCaller();
        var pageSize = V4SvcPaging.PageSize(req);
        var orderBy = req.Query("order_by") ?? "";
        var desc = req.Query("order_direction") == "desc";
        var token = req.Query("next_page_token") ?? "";
        var data = req.App.Db.Read(c =>
        {
            var all = V4ShareStore.OfUser(c, caller.Id);
            Func<V4ShareRow, long> key = orderBy switch
            {
                "views" => s => s.Views,
                "downloads" => s => s.Downloads,
                "remain_downloads" => s => s.RemainDownloads,
                _ => s => s.Id,
            };
            var ordered = (desc ? all.OrderByDescending(key).ThenByDescending(s => s.Id) : all.OrderBy(key).ThenBy(s => s.Id)).ToList();
            var (page, next) = V4SvcPaging.Cursor(req, ordered, s => s.Id, V4SvcIds.Share, pageSize, token, "Failed to list shares", idDescending: desc);
            return new JsonObject
            {
                ["shares"] = GoJson.Array(page.Select(s => (JsonNode?)V4ShareJson.Build(req, c, s, caller.Id, unlocked: true, expired: !V4ShareStore.IsValid(c, s)))),
                ["pagination"] = V4SvcPaging.CursorJson(pageSize, next),
            };
        });
        return req.Json(V4Envelope.Ok(data));
    }

    /// <summary>
    /// Info, anonymous or not (cap 30, 409-412): a private share without or with a wrong password answers code 0 with
    /// unlocked:false; the owner always sees it unlocked. count_views=true counts a view.
    /// </summary>
    private static Task Info(Req req)
    {
        var id = PathId(req);
        var caller = req.Caller();
        var password = req.Query("password") ?? "";
        var countViews = req.Query("count_views") is "true" or "1";
        var data = req.App.Db.Write((c, tx) =>
        {
            var s = V4ShareStore.ById(c, id, tx) ?? throw V4Envelope.Fail(V4Codes.NotFound, "Share not found");
            if (!V4ShareStore.IsValid(c, s, tx)) throw V4Envelope.Fail(V4Codes.NotFound, "Share link expired");
            if (countViews)
            {
                V4ShareStore.CountView(c, tx, s.Id);
                s = s with { Views = s.Views + 1 };
            }
            var unlocked = s.Password.Length == 0 || password == s.Password || caller?.Id == s.UserId;
            return V4ShareJson.Build(req, c, s, caller?.Id, unlocked, expired: false, tx);
        });
        return req.Json(V4Envelope.Ok(data));
    }

    /// <summary>DELETE /share/{id}: 0, then 404 "share not found" (cap 419, 420). Admins may delete any share.</summary>
    private static Task Delete(Req req)
    {
        var caller = req.RequireCaller();
        var id = PathId(req);
        var admin = V4GroupPerms.Of(req, caller.Group).Contains(V4Bits.IsAdmin);
        req.App.Db.Write((c, tx) =>
        {
            var s = V4ShareStore.ById(c, id, tx);
            if (s == null || !admin && s.UserId != caller.Id) throw V4Envelope.Fail(V4Codes.NotFound, "share not found");
            c.Exec("DELETE FROM shares WHERE id=$id", tx, ("$id", id));
        });
        return req.Json(V4Envelope.Ok());
    }

    /// <summary>
    /// DELETE /share {"ids":[...]} (4.16+, cap 424): deletes the caller's shares among them. An id that does not decode
    /// deletes nothing and, as on the real server, the reply is two JSON objects back to back (cap 421).
    /// </summary>
    private static async Task BatchDelete(Req req)
    {
        var caller = req.RequireCaller();
        var body = await V4Body.Read(req);
        var hasIds = body.Has("ids");
        var raw = body.StrList("ids");
        body.ThrowIfMarshallError();
        if (!hasIds) throw V4Envelope.Param("ShareIDs cannot be empty");
        var ids = new List<long>();
        foreach (var v in raw)
        {
            if (req.App.Ids.Decode(v, V4SvcIds.Share) is { } id)
            {
                ids.Add(id);
                continue;
            }
            var error = V4Envelope.Build(V4Codes.Unclassified, null, "", correlationId: Guid.NewGuid().ToString());
            var bytes = GoJson.Serialize(error).Concat(GoJson.Serialize(V4Envelope.Ok())).ToArray();
            req.Http.Response.ContentType = "application/json; charset=utf-8";
            req.Http.Response.ContentLength = bytes.Length;
            await req.Http.Response.Body.WriteAsync(bytes, req.Http.RequestAborted);
            return;
        }
        req.App.Db.Write((c, tx) =>
        {
            foreach (var id in ids) c.Exec("DELETE FROM shares WHERE id=$id AND user_id=$u", tx, ("$id", id), ("$u", caller.Id));
        });
        await req.Json(V4Envelope.Ok());
    }

    /// <summary>/s/{id}[/{password}] → 302 to the web UI's /home?path=cloudreve://{id}[:{password}]@share (cap 60, 422).</summary>
    private static Task ShortLink(Req req)
    {
        var id = req.Param("id");
        var password = req.Param("password");
        var shareUri = "cloudreve://" + id + (password.Length > 0 ? ":" + password : "") + "@share";
        var query = new SortedDictionary<string, List<string>>(StringComparer.Ordinal) { ["path"] = [shareUri] };
        foreach (var (k, v) in req.Http.Request.Query)
        {
            if (k == "path")
            {
                if (v.ToString() is { Length: > 0 } extra) query["path"] = [shareUri + "/" + extra.TrimStart('/')];
                continue;
            }
            if (!query.TryGetValue(k, out var list)) query[k] = list = [];
            list.AddRange(v.Select(x => x ?? ""));
        }
        var sb = new StringBuilder("/home?");
        var first = true;
        foreach (var (k, values) in query)
        {
            foreach (var v in values)
            {
                if (!first) sb.Append('&');
                first = false;
                sb.Append(V4SvcEscape.Query(k)).Append('=').Append(V4SvcEscape.Query(v));
            }
        }
        return Redirect.Found(req.Http, sb.ToString(), maxAgeSeconds: null);
    }
}

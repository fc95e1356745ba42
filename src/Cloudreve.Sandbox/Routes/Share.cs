using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Owner-side share management (POST/GET /share, PATCH/DELETE /share/{key}) and GET /share/info/{key}.</summary>
internal static class Share
{
    private const int PageSize = 18;

    public static void Map(Router r)
    {
        r.Post("/api/v3/share", Create);
        r.Get("/api/v3/share", List);
        r.Patch("/api/v3/share/:id", Update);
        r.Delete("/api/v3/share/:id", Delete);
        r.Get("/api/v3/share/info/:id", Info);
    }

    private static ApiException NotFound() => Envelope.Fail(Codes.ShareLinkNotFound, "");

    private static async Task Create(Req req)
    {
        var (user, group) = req.RequireUser();
        var body = await req.BodyAsync();
        var sourceId = body.Str("id");
        var isDir = body.Bool("is_dir");
        var password = body.Str("password");
        var downloads = body.Long("downloads");
        var expire = body.Long("expire");
        var preview = body.Bool("preview");
        body.ThrowIfTypeError();
        Validate.Required("Source resource", sourceId);
        Validate.Length("Password", password, 0, 255);

        if (!group.AllowShare) throw Envelope.Fail(Codes.GroupNotAllowed, "");
        var raw = req.App.Ids.Decode(sourceId, isDir ? HashIds.Folder : HashIds.File) ?? throw Envelope.Fail(Codes.NotFound, "");
        var id = req.App.Db.Write((c, tx) =>
        {
            string? name = isDir
                ? Objects.OwnFolder(c, user.Id, raw, tx)?.Name
                : Objects.OwnFile(c, user.Id, raw, tx) is { IsPlaceholder: false } f ? f.Name : null;
            if (name == null) throw Envelope.Fail(Codes.NotFound, "");
            long? expires = downloads > 0 ? GoTime.NowUnix() + expire : null;
            return Shares.Insert(c, tx, new ShareRow(0, password, isDir, user.Id, raw, 0, 0, downloads > 0 ? downloads : -1, expires, preview, name, 0));
        });
        var origin = Providers.Origin(req.Http);
        await req.Ok(origin + "/s/" + req.App.Ids.Encode(id, HashIds.Share));
    }

    private static Task List(Req req)
    {
        var (user, _) = req.RequireUser();
        var pageText = req.Query("page");
        var orderBy = req.Query("order_by") ?? "";
        var order = req.Query("order") ?? "";
        if (pageText != null && !ulong.TryParse(pageText, out _)) throw Envelope.Fail(Codes.ParamErr, "Parameter error");
        var page = pageText == null ? 0 : (long)Math.Min(ulong.Parse(pageText, System.Globalization.CultureInfo.InvariantCulture), long.MaxValue);
        if (page < 1) throw Envelope.Fail(Codes.ParamErr, "Page cannot be empty");
        Validate.Required("OrderBy", orderBy);
        if (orderBy is not ("created_at" or "downloads" or "views")) throw Envelope.Fail(Codes.ParamErr, "Invalid parameters.");
        Validate.Required("Order", order);
        if (order is not ("DESC" or "ASC")) throw Envelope.Fail(Codes.ParamErr, "Invalid parameters.");

        var data = req.App.Db.Read(c =>
        {
            var all = Shares.OfUser(c, user.Id);
            Func<ShareRow, long> key = orderBy switch
            {
                "downloads" => s => s.Downloads,
                "views" => s => s.Views,
                _ => s => s.CreatedAt,
            };
            var sorted = order == "ASC" ? all.OrderBy(key).ThenBy(s => s.Id) : all.OrderByDescending(key).ThenByDescending(s => s.Id);
            var items = new JsonArray();
            var now = GoTime.NowUnix();
            foreach (var s in sorted.Skip((int)Math.Min(int.MaxValue, (page - 1) * PageSize)).Take(PageSize))
            {
                var o = new JsonObject
                {
                    ["key"] = req.App.Ids.Encode(s.Id, HashIds.Share),
                    ["is_dir"] = s.IsDir,
                    ["password"] = s.Password,
                    ["create_date"] = GoTime.Format(s.CreatedAt),
                    ["downloads"] = s.Downloads,
                    ["remain_downloads"] = s.RemainDownloads,
                    ["views"] = s.Views,
                    ["expire"] = s.Expires is { } e ? e - now : -1,
                    ["preview"] = s.PreviewEnabled,
                };
                if (Shares.Source(c, s) is { } src) o["source"] = new JsonObject { ["name"] = src.Name, ["size"] = src.Size };
                items.Add(o);
            }
            return new JsonObject { ["items"] = items, ["total"] = all.Count };
        });
        return req.Ok(data);
    }

    private static async Task Update(Req req)
    {
        var (user, _) = req.RequireUser();
        var body = await req.BodyAsync();
        var prop = body.Str("prop");
        var value = body.Str("value");
        body.ThrowIfTypeError();
        Validate.Required("Prop", prop);
        if (prop is not ("password" or "preview_enabled")) throw Envelope.Fail(Codes.ParamErr, "Invalid parameters.");
        Validate.Length("Value", value, 0, 255);
        var id = req.App.Ids.Decode(req.Param("id"), HashIds.Share) ?? throw NotFound();
        var result = req.App.Db.Write<JsonNode>((c, tx) =>
        {
            var s = Shares.ById(c, id, tx);
            if (s == null || s.UserId != user.Id || !Shares.IsAvailable(c, s, tx)) throw NotFound();
            if (prop == "password")
            {
                c.Exec("UPDATE shares SET password=$p, updated_at=$now WHERE id=$id", tx, ("$p", value), ("$now", GoTime.Now()), ("$id", id));
                return JsonValue.Create(value);
            }
            var enabled = value == "true";
            c.Exec("UPDATE shares SET preview_enabled=$p, updated_at=$now WHERE id=$id", tx, ("$p", enabled), ("$now", GoTime.Now()), ("$id", id));
            return JsonValue.Create(enabled);
        });
        await req.Ok(result);
    }

    private static Task Delete(Req req)
    {
        var (user, _) = req.RequireUser();
        var id = req.App.Ids.Decode(req.Param("id"), HashIds.Share) ?? throw NotFound();
        req.App.Db.Write((c, tx) =>
        {
            var s = Shares.ById(c, id, tx);
            if (s == null || s.UserId != user.Id) throw NotFound();
            c.Exec("DELETE FROM shares WHERE id=$id", tx, ("$id", id));
        });
        return req.Ok();
    }

    private static Task Info(Req req)
    {
        var id = req.App.Ids.Decode(req.Param("id"), HashIds.Share) ?? throw NotFound();
        var password = req.Query("password") ?? "";
        var data = req.App.Db.Write((c, tx) =>
        {
            var s = Shares.ById(c, id, tx);
            if (s == null || !Shares.IsAvailable(c, s, tx)) throw NotFound();
            var unlocked = true;
            if (s.Password.Length > 0)
            {
                lock (req.Session) unlocked = req.Session.UnlockedShares.Contains(s.Id);
                if (!unlocked && password.Length > 0 && password == s.Password)
                {
                    unlocked = true;
                    lock (req.Session) req.Session.UnlockedShares.Add(s.Id);
                    req.SaveSession();
                }
            }
            if (unlocked)
            {
                c.Exec("UPDATE shares SET views=views+1 WHERE id=$id", tx, ("$id", s.Id));
                s = s with { Views = s.Views + 1 };
            }
            var creator = Users.ById(c, s.UserId, tx)!;
            var group = Users.Group(c, creator.GroupId, tx);
            var o = new JsonObject
            {
                ["key"] = req.App.Ids.Encode(s.Id, HashIds.Share),
                ["locked"] = !unlocked,
                ["is_dir"] = unlocked && s.IsDir,
                ["create_date"] = GoTime.Format(s.CreatedAt),
                ["downloads"] = unlocked ? s.Downloads : 0,
                ["views"] = unlocked ? s.Views : 0,
                ["expire"] = unlocked && s.Expires is { } e ? e - GoTime.NowUnix() : 0,
                ["preview"] = unlocked && s.PreviewEnabled,
                ["creator"] = new JsonObject
                {
                    ["key"] = req.App.Ids.Encode(creator.Id, HashIds.User),
                    ["nick"] = creator.Nick,
                    ["group_name"] = group?.Name ?? "",
                },
            };
            if (unlocked && Shares.Source(c, s, tx) is { } src) o["source"] = new JsonObject { ["name"] = src.Name, ["size"] = src.Size };
            return o;
        });
        return req.Ok(data);
    }
}

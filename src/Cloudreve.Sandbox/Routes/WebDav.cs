using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>WebDAV account management (/webdav/accounts). The /dav server itself is not part of the sandbox.</summary>
internal static class WebDav
{
    public static void Map(Router r)
    {
        r.Get("/api/v3/webdav/accounts", List);
        r.Post("/api/v3/webdav/accounts", Create);
        r.Patch("/api/v3/webdav/accounts", Update);
        r.Delete("/api/v3/webdav/accounts/:id", Delete);
    }

    private static Task List(Req req)
    {
        var (user, _) = req.RequireUser();
        var accounts = req.App.Db.Read(c => c.Query(
            "SELECT id,created_at,updated_at,name,password,user_id,root,readonly,use_proxy FROM webdavs WHERE user_id=$u ORDER BY created_at DESC, id DESC",
            r => new JsonObject
            {
                ["ID"] = r.GetInt64(0),
                ["CreatedAt"] = GoTime.Format(r.GetInt64(1)),
                ["UpdatedAt"] = GoTime.Format(r.GetInt64(2)),
                ["DeletedAt"] = null,
                ["Name"] = r.GetString(3),
                ["Password"] = r.GetString(4),
                ["UserID"] = r.GetInt64(5),
                ["Root"] = r.GetString(6),
                ["Readonly"] = r.GetInt64(7) != 0,
                ["UseProxy"] = r.GetInt64(8) != 0,
            }, null, ("$u", user.Id)));
        return req.Ok(new JsonObject { ["accounts"] = GoJson.Array(accounts) });
    }

    private static async Task Create(Req req)
    {
        var (user, _) = req.RequireUser();
        var body = await req.BodyAsync();
        var path = body.Str("path");
        var name = body.Str("name");
        body.ThrowIfTypeError();
        Validate.Required("Path", path);
        Validate.Length("Path", path, 1, 65535);
        Validate.Required("Name", name);
        Validate.Length("Name", name, 1, 255);
        var password = Passwords.Random(32);
        var now = GoTime.Now();
        var id = req.App.Db.Write((c, tx) => c.InsertId(
            "INSERT INTO webdavs(name,password,user_id,root,readonly,use_proxy,created_at,updated_at) VALUES($n,$p,$u,$r,0,0,$now,$now)",
            tx, ("$n", name), ("$p", password), ("$u", user.Id), ("$r", path), ("$now", now)));
        // A Go map: keys in sorted order.
        await req.Ok(new JsonObject { ["created_at"] = GoTime.Format(now), ["id"] = id, ["password"] = password });
    }

    private static async Task Update(Req req)
    {
        var (user, _) = req.RequireUser();
        var body = await req.BodyAsync();
        var id = body.ULong("id");
        var hasReadonly = body.Has("readonly");
        var readOnly = body.Bool("readonly");
        var hasProxy = body.Has("use_proxy");
        var useProxy = body.Bool("use_proxy");
        body.ThrowIfTypeError();
        if (id == 0) throw Envelope.Fail(Codes.ParamErr, "ID cannot be empty");
        if (!hasReadonly && !hasProxy) throw Envelope.Fail(Codes.ParamErr, "Invalid parameters.");
        var updates = new JsonObject();
        if (hasReadonly) updates["readonly"] = readOnly;
        if (hasProxy) updates["use_proxy"] = useProxy;
        req.App.Db.Write((c, tx) =>
        {
            if (hasReadonly) c.Exec("UPDATE webdavs SET readonly=$v, updated_at=$now WHERE id=$id AND user_id=$u", tx, ("$v", readOnly), ("$now", GoTime.Now()), ("$id", (long)Math.Min(id, long.MaxValue)), ("$u", user.Id));
            if (hasProxy) c.Exec("UPDATE webdavs SET use_proxy=$v, updated_at=$now WHERE id=$id AND user_id=$u", tx, ("$v", useProxy), ("$now", GoTime.Now()), ("$id", (long)Math.Min(id, long.MaxValue)), ("$u", user.Id));
        });
        await req.Ok(updates);
    }

    private static Task Delete(Req req)
    {
        var (user, _) = req.RequireUser();
        if (!ulong.TryParse(req.Param("id"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            throw Envelope.Fail(Codes.ParamErr, "Parameter error");
        if (id == 0) throw Envelope.Fail(Codes.ParamErr, "ID cannot be empty");
        req.App.Db.Write((c, tx) => c.Exec("DELETE FROM webdavs WHERE id=$id AND user_id=$u", tx, ("$id", (long)Math.Min(id, long.MaxValue)), ("$u", user.Id)));
        return req.Ok();
    }
}

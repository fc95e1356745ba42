using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Admin user management (/admin/user...): raw numeric ids and PascalCase models.</summary>
internal static partial class Admin
{
    public static void Map(Router r)
    {
        r.Post("/api/v3/admin/user/list", List);
        r.Get("/api/v3/admin/user/:id", Get);
        r.Post("/api/v3/admin/user", Save);
        r.Post("/api/v3/admin/user/delete", Delete);
        r.Patch("/api/v3/admin/user/ban/:id", Ban);
    }

    internal static (UserRow User, GroupRow Group) RequireAdmin(Req req)
    {
        var (u, g) = req.RequireUser();
        if (g.Id != 1 && u.Id != 1) throw Envelope.Fail(Codes.NoPermission, "");
        return (u, g);
    }

    private static ApiException UserNotFound() => Envelope.Fail(Codes.UserNotFound, "");

    private static long PathId(Req req) =>
        ulong.TryParse(req.Param("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= long.MaxValue
            ? (long)id
            : throw Envelope.Fail(Codes.ParamErr, "Parameter error");

    private static Task Get(Req req)
    {
        RequireAdmin(req);
        var id = PathId(req);
        var model = req.App.Db.Read(c => Users.ById(c, id) is { } u ? UserModel(c, u) : null) ?? throw UserNotFound();
        return req.Ok(model);
    }

    private static readonly HashSet<string> Columns = new(StringComparer.Ordinal)
    {
        "id", "email", "nick", "status", "group_id", "storage", "two_factor", "avatar", "created_at", "updated_at",
    };


    private static async Task List(Req req)
    {
        RequireAdmin(req);
        var q = await AdminListQuery.ReadAsync(req, col => Columns.Contains(col) ? col : null, applySearches: true);

        var data = req.App.Db.Read(c =>
        {
            // An unknown column is an SQL error that 3.8.3 swallows: empty list.
            if (!q.Valid) return new JsonObject { ["items"] = new JsonArray(), ["total"] = 0 };
            var total = (long)(c.Scalar("SELECT COUNT(*) FROM users" + q.Filter, null, q.Args) ?? 0L);
            var ids = c.Query($"SELECT id FROM users{q.Filter} ORDER BY {q.Order}{q.Limit}", r => r.GetInt64(0), null, q.Args);
            var items = new JsonArray();
            foreach (var id in ids) items.Add(UserModel(c, Users.ById(c, id)!));
            return new JsonObject { ["items"] = items, ["total"] = total };
        });
        await req.Ok(data);
    }

    private static async Task Save(Req req)
    {
        RequireAdmin(req);
        var body = await req.BodyAsync();
        var u = body.Obj("User");
        body.Absorb(u);
        var password = body.Str("password");
        var id = u.Long("ID");
        var email = u.Str("Email");
        var nick = u.Str("Nick");
        var groupId = u.Long("GroupID");
        var status = u.Long("Status");
        var twoFactor = u.Str("TwoFactor");
        body.Absorb(u);
        body.ThrowIfTypeError();
        if (!body.Has("User")) throw Envelope.Fail(Codes.ParamErr, "User cannot be empty");

        var result = req.App.Db.Write((c, tx) =>
        {
            if (id == 0)
            {
                if (Users.ByEmail(c, email, tx) != null) throw Envelope.Fail(Codes.DbError, "Failed to create user");
                var newId = Users.Create(c, tx, email, nick, Passwords.Hash(password), groupId, (int)status, twoFactor);
                return newId;
            }
            var existing = Users.ById(c, id, tx) ?? throw UserNotFound();
            if (existing.Id == 1 && groupId != 1) throw Envelope.Fail(Codes.ChangeGroupForDefaultUser, "");
            if (existing.Id == 1 && status != UserStatus.Active) throw Envelope.Fail(Codes.InvalidActionOnDefaultUser, "");
            if (Users.ByEmail(c, email, tx) is { } clash && clash.Id != id) throw Envelope.Fail(Codes.DbError, "Failed to save user");
            c.Exec("UPDATE users SET nick=$n, email=$e, group_id=$g, status=$s, two_factor=$t, updated_at=$now WHERE id=$id", tx,
                ("$n", nick), ("$e", email), ("$g", groupId), ("$s", status), ("$t", twoFactor), ("$now", GoTime.Now()), ("$id", id));
            if (password.Length > 0) Users.SetPassword(c, tx, id, Passwords.Hash(password));
            return id;
        });
        await req.Ok(result);
    }

    private static async Task Delete(Req req)
    {
        RequireAdmin(req);
        var body = await req.BodyAsync();
        var ids = body.LongList("id");
        body.ThrowIfTypeError();
        if (ids.Count == 0) throw Envelope.Fail(Codes.ParamErr, "ID too short");
        var orphaned = new List<string>();
        foreach (var id in ids)
        {
            if (id == 1) throw Envelope.Fail(Codes.InvalidActionOnDefaultUser, "");
            orphaned.AddRange(req.App.Db.Write((c, tx) =>
            {
                if (Users.ById(c, id, tx) == null) return new List<string>();
                var gone = FileSystem.DeleteUserData(c, tx, id);
                c.Exec("DELETE FROM users WHERE id=$u", tx, ("$u", id));
                return gone;
            }));
        }
        foreach (var s in orphaned) req.App.Blobs.Delete(s);
        await req.Ok();
    }

    private static Task Ban(Req req)
    {
        RequireAdmin(req);
        var id = PathId(req);
        var status = req.App.Db.Write((c, tx) =>
        {
            var u = Users.ById(c, id, tx) ?? throw UserNotFound();
            if (u.Id == 1) throw Envelope.Fail(Codes.InvalidActionOnDefaultUser, "");
            var next = u.Status == UserStatus.Active ? UserStatus.Banned : UserStatus.Active;
            c.Exec("UPDATE users SET status=$s, updated_at=$now WHERE id=$id", tx, ("$s", next), ("$now", GoTime.Now()), ("$id", id));
            return next;
        });
        return req.Ok(status);
    }

    /// <summary>The raw User model as the admin API serialises it (PascalCase, group and policy models included).</summary>
    private static JsonObject UserModel(SqliteConnection c, UserRow u)
    {
        var g = Users.Group(c, u.GroupId);
        var policy = g == null ? null : Users.Policy(c, g.PolicyId);
        var options = new JsonObject();
        if (u.ProfileOff) options["profile_off"] = true;
        if (u.PreferredTheme.Length > 0) options["preferred_theme"] = u.PreferredTheme;
        return new JsonObject
        {
            ["ID"] = u.Id,
            ["CreatedAt"] = GoTime.Format(u.CreatedAt),
            ["UpdatedAt"] = GoTime.Format(u.UpdatedAt),
            ["DeletedAt"] = null,
            ["Email"] = u.Email,
            ["Nick"] = u.Nick,
            ["Status"] = u.Status,
            ["GroupID"] = u.GroupId,
            ["Storage"] = u.Storage,
            ["TwoFactor"] = u.TwoFactor,
            ["Avatar"] = u.Avatar,
            ["Authn"] = "",
            ["Group"] = AdminModels.Group(c, g),
            ["Policy"] = AdminModels.Policy(policy),
            ["OptionsSerialized"] = options,
        };
    }
}

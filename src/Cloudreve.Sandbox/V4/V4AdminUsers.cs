using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Admin user routes (reference 14.1-14.4): POST /admin/user (list), GET/PUT /admin/user/{id}, PUT /admin/user (create),
/// POST /admin/user/batch/delete, POST /admin/user/{id}/calibrate. Integer ids; the update writes email, nick, avatar,
/// status and group every time (omitted ones are blanked, cap 145) and takes the id from the body, not the path (cap 146).
/// </summary>
internal static class V4AdminUsers
{
    public static void Map(Router r)
    {
        r.Post(V4Routes.Prefix + "/admin/user", List);
        r.Get(V4Routes.Prefix + "/admin/user/:id", Get);
        r.Put(V4Routes.Prefix + "/admin/user/:id", Update);
        r.Put(V4Routes.Prefix + "/admin/user", Create);
        r.Post(V4Routes.Prefix + "/admin/user/batch/delete", Delete);
        r.Post(V4Routes.Prefix + "/admin/user/:id/calibrate", Get);
    }

    /// <summary>uri binding of an int with binding:"required": not a number → "Parameter error", 0 → "ID cannot be empty".</summary>
    internal static long PathId(Req req)
    {
        if (!long.TryParse(req.Param("id"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)) throw V4Envelope.Param("Parameter error");
        if (id == 0) throw V4Envelope.Param("ID cannot be empty");
        return id;
    }

    private static async Task List(Req req)
    {
        req.RequireAdmin();
        var q = await V4AdminList.ReadAsync(req);
        long groupId = 0;
        if (q.Condition("user_group") is { } g && !long.TryParse(g, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out groupId))
            throw V4Envelope.Fail(V4Codes.ParamErr, "Invalid group ID");
        var status = q.Condition("user_status");
        var nick = q.Condition("user_nick");
        var email = q.Condition("user_email");

        var data = req.App.Db.Read(c =>
        {
            IEnumerable<UserRow> users = Users.All(c);
            if (groupId != 0) users = users.Where(u => u.GroupId == groupId);
            if (status != null) users = users.Where(u => V4AdminJson.Status(u.Status) == status);
            if (nick != null) users = users.Where(u => u.Nick.Contains(nick, StringComparison.OrdinalIgnoreCase));
            if (email != null) users = users.Where(u => u.Email.Contains(email, StringComparison.OrdinalIgnoreCase));
            var list = users.ToList();
            Func<UserRow, object> key = q.OrderBy switch
            {
                "nick" => u => u.Nick,
                "storage" => u => u.Storage,
                "email" => u => u.Email,
                "updated_at" => u => u.UpdatedAt,
                _ => u => u.Id,
            };
            var ordered = q.Descending
                ? list.OrderByDescending(key, Comparer<object>.Create(CompareKeys)).ThenByDescending(u => u.Id)
                : list.OrderBy(key, Comparer<object>.Create(CompareKeys)).ThenBy(u => u.Id);
            var page = ordered.Skip((int)Math.Min(q.Offset, int.MaxValue)).Take(q.PageSize)
                .Select(u => (JsonNode?)V4AdminJson.User(req, c, u, withCapacity: false));
            return new JsonObject { ["pagination"] = q.PaginationJson(list.Count), ["users"] = GoJson.Array(page) };
        });
        await req.Json(V4Envelope.Ok(data));
    }

    private static int CompareKeys(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (long x, long y) => x.CompareTo(y),
        _ => 0,
    };

    /// <summary>GET: the user with capacity; unknown or deleted → 50001 "Failed to get user" (cap 157).</summary>
    private static Task Get(Req req)
    {
        req.RequireAdmin();
        var id = PathId(req);
        return req.Json(V4Envelope.Ok(Reply(req, id)));
    }

    private static JsonObject Reply(Req req, long id) =>
        req.App.Db.Read(c => Users.ById(c, id) is { } u ? V4AdminJson.User(req, c, u, withCapacity: true) : null)
        ?? throw V4Envelope.Fail(V4Codes.DbError, "Failed to get user");

    private sealed record Upsert(long Id, string Email, string Nick, string Avatar, string Status, long GroupId, string Password, string TwoFa);

    /// <summary>UpsertUserService: {user (required), password, two_fa}.</summary>
    private static async Task<Upsert> Bind(Req req)
    {
        var body = await V4Body.Read(req);
        var hasUser = body.Has("user");
        var u = body.Obj("user");
        var id = u.Long("id");
        var email = u.Str("email");
        var nick = u.Str("nick");
        var avatar = u.Str("avatar");
        var status = u.Str("status");
        var group = u.Long("group_users");
        var password = body.Str("password");
        var twoFa = body.Str("two_fa");
        body.Absorb(u);
        body.ThrowIfMarshallError();
        if (!hasUser) throw V4Envelope.Param("User cannot be empty");
        return new Upsert(id, email, nick, avatar, status, group, password, twoFa);
    }

    /// <summary>
    /// PUT /admin/user/{id}: the body's user.id is the one updated (cap 146). User 1 in the admin group keeps its group and
    /// status (40043, cap 151). An invalid status, a missing group or a taken e-mail → 50001 "Failed to update user" (cap 143).
    /// two_fa non-empty clears 2FA (cap 149); without it 2FA stays (cap 142).
    /// </summary>
    private static async Task Update(Req req)
    {
        req.RequireAdmin(); // the path id is not even parsed: only user.id counts (cap 146)
        var s = await Bind(req);
        req.App.Db.Write((c, tx) =>
        {
            var existing = Users.ById(c, s.Id, tx) ?? throw V4Envelope.Fail(V4Codes.DbError, "Failed to get user");
            var existingGroup = Users.Group(c, existing.GroupId, tx);
            if (s.Id == 1 && existingGroup != null && V4GroupPerms.Of(c, existingGroup, tx).Contains(V4Bits.IsAdmin))
            {
                if (s.GroupId != existing.GroupId) throw V4Envelope.Fail(V4SvcCodes.InvalidActionOnDefaultUser, "Cannot change default user's group");
                if (s.Status != "active") throw V4Envelope.Fail(V4SvcCodes.InvalidActionOnDefaultUser, "Cannot change default user's status");
            }
            if (s.Password.Length > 128) throw V4Envelope.Fail(V4Codes.ParamErr, "Password too long");
            var status = V4AdminJson.Status(s.Status);
            if (status < 0 || Users.Group(c, s.GroupId, tx) == null || EmailTaken(c, tx, s.Email, s.Id))
                throw V4Envelope.Fail(V4Codes.DbError, "Failed to update user");
            c.Exec("UPDATE users SET email=$e, nick=$n, avatar=$a, status=$s, group_id=$g, updated_at=$now WHERE id=$id", tx,
                ("$e", s.Email), ("$n", s.Nick), ("$a", s.Avatar), ("$s", status), ("$g", s.GroupId), ("$now", GoTime.Now()), ("$id", s.Id));
            if (s.Password.Length > 0) Users.SetPassword(c, tx, s.Id, Passwords.Hash(s.Password));
            if (s.TwoFa.Length > 0) Users.SetTwoFactor(c, tx, s.Id, "");
        });
        await req.Json(V4Envelope.Ok(Reply(req, s.Id)));
    }

    private static bool EmailTaken(SqliteConnection c, SqliteTransaction tx, string email, long exceptId) =>
        Users.ByEmail(c, email, tx) is { } other && other.Id != exceptId;

    /// <summary>PUT /admin/user: password required; user.id must be 0 (cap 154); a taken e-mail → 50001 (cap 155).</summary>
    private static async Task Create(Req req)
    {
        req.RequireAdmin();
        var s = await Bind(req);
        if (s.Password.Length == 0) throw V4Envelope.Fail(V4Codes.ParamErr, "Password is required");
        if (s.Id != 0) throw V4Envelope.Fail(V4Codes.ParamErr, "ID must be 0");
        var id = req.App.Db.Write((c, tx) =>
        {
            var status = V4AdminJson.Status(s.Status);
            if (status < 0 || Users.Group(c, s.GroupId, tx) == null || Users.ByEmail(c, s.Email, tx) != null)
                throw V4Envelope.Fail(V4Codes.DbError, "Failed to create user");
            var newId = Users.Create(c, tx, s.Email, s.Nick, Passwords.Hash(s.Password), s.GroupId, status, "");
            if (s.Avatar.Length > 0) c.Exec("UPDATE users SET avatar=$a WHERE id=$id", tx, ("$a", s.Avatar), ("$id", newId));
            return newId;
        });
        await req.Json(V4Envelope.Ok(Reply(req, id)));
    }

    /// <summary>
    /// Batch delete {ids}: yourself and user 1 → 40043 "Cannot delete current user", the others are deleted with their files,
    /// shares, direct links and WebDAV accounts (cap 156); an unknown id → 50001 (cap 158). Failures → 40081 keyed by id.
    /// </summary>
    private static async Task Delete(Req req)
    {
        var (me, _) = req.RequireAdmin();
        var body = await V4Body.Read(req);
        var ids = body.LongList("ids");
        body.ThrowIfMarshallError();
        if (ids.Count < 1) throw V4Envelope.Param("IDs too short");

        var failures = new List<(string Key, int Code, string Msg, string Outer)>();
        foreach (var id in ids)
        {
            var key = id.ToString(CultureInfo.InvariantCulture);
            if (id == me.Id || id == 1)
            {
                failures.Add((key, V4SvcCodes.InvalidActionOnDefaultUser, "Cannot delete current user", "Cannot delete current user"));
                continue;
            }
            var blobs = req.App.Db.Write((c, tx) =>
            {
                if (Users.ById(c, id, tx) == null) return null;
                var orphaned = V4SvcGlue.DeleteUserData(c, tx, id);
                c.Exec("DELETE FROM users WHERE id=$u", tx, ("$u", id));
                return orphaned;
            });
            foreach (var b in blobs ?? []) req.App.Blobs.Delete(b);
            if (blobs == null) failures.Add((key, V4Codes.DbError, "Failed to delete user", "Failed to delete user: ent: user not found"));
        }
        if (failures.Count > 0)
        {
            var correlation = Guid.NewGuid().ToString();
            var agg = new JsonObject();
            foreach (var f in failures) agg[f.Key] = new JsonObject { ["code"] = f.Code, ["msg"] = f.Msg, ["correlation_id"] = correlation };
            throw new V4Exception(V4Codes.BatchPartFailed, failures[0].Outer) { Aggregated = agg, CorrelationId = correlation };
        }
        await req.Json(V4Envelope.Ok());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Admin group routes (reference 14.6, cap 504-510): POST /admin/group (list), GET /admin/group/{id}, PUT /admin/group
/// (create), PUT /admin/group/{id} (update), DELETE /admin/group/{id}. The storage policy is set only through
/// edges.storage_policies.id; an update without that edge leaves the group without a policy.
/// </summary>
internal static class V4AdminGroups
{
    public static void Map(Router r)
    {
        r.Post(V4Routes.Prefix + "/admin/group", List);
        r.Get(V4Routes.Prefix + "/admin/group/:id", Get);
        r.Put(V4Routes.Prefix + "/admin/group", Create);
        r.Put(V4Routes.Prefix + "/admin/group/:id", Update);
        r.Delete(V4Routes.Prefix + "/admin/group/:id", Delete);
    }

    /// <summary>{groups:[...with their policy edge], pagination:{page, page_size, total_items}}, ordered by id.</summary>
    private static async Task List(Req req)
    {
        req.RequireAdmin();
        var q = await V4AdminList.ReadAsync(req);
        var data = req.App.Db.Read(c =>
        {
            var all = Users.Groups(c);
            IEnumerable<GroupRow> ordered = q.OrderBy switch
            {
                "name" => q.Descending ? all.OrderByDescending(g => g.Name, StringComparer.Ordinal).ThenByDescending(g => g.Id) : all.OrderBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.Id),
                _ => q.Descending ? all.OrderByDescending(g => g.Id) : all.OrderBy(g => g.Id),
            };
            var page = ordered.Skip((int)Math.Min(q.Offset, int.MaxValue)).Take(q.PageSize).Select(g => (JsonNode?)V4AdminJson.Group(c, g, withPolicy: true));
            return new JsonObject { ["groups"] = GoJson.Array(page), ["pagination"] = q.PaginationJson(all.Count) };
        });
        await req.Json(V4Envelope.Ok(data));
    }

    /// <summary>GetGroupResponse: the group with its policy edge and total_users (counted only with ?countUser=..., cap 508).</summary>
    private static Task Get(Req req)
    {
        req.RequireAdmin();
        var id = V4AdminUsers.PathId(req);
        return req.Json(V4Envelope.Ok(Reply(req, id, req.Query("countUser") is { Length: > 0 })));
    }

    private static JsonObject Reply(Req req, long id, bool countUsers) => req.App.Db.Read(c =>
    {
        var g = Users.Group(c, id) ?? throw V4Envelope.Fail(V4Codes.DbError, "Failed to get group");
        var o = V4AdminJson.Group(c, g, withPolicy: true);
        o["total_users"] = countUsers ? Users.CountInGroup(c, id) : 0;
        return o;
    });

    private sealed record Upsert(long Id, string Name, long MaxStorage, HashSet<int> Permissions, JsonObject Settings, long PolicyId);

    /// <summary>UpsertGroupService {group (required)}: name, max_storage, permissions (base64 boolset), settings, edges.storage_policies.id.</summary>
    private static async Task<Upsert> Bind(Req req)
    {
        var body = await V4Body.Read(req);
        var hasGroup = body.Has("group");
        var g = body.Obj("group");
        var id = g.Long("id");
        var name = g.Str("name");
        var maxStorage = g.Long("max_storage");
        var permText = g.Str("permissions");
        var settings = new JsonObject();
        if (g.Raw("settings") is { } raw)
        {
            if (raw.ValueKind != JsonValueKind.Object) throw V4Envelope.Param("JSON marshall error");
            settings = JsonNode.Parse(raw.GetRawText()) as JsonObject ?? new JsonObject();
        }
        long policyId = 0;
        if (g.Raw("edges") is { ValueKind: JsonValueKind.Object } edges && edges.TryGetProperty("storage_policies", out var sp) && sp.ValueKind == JsonValueKind.Object
            && sp.TryGetProperty("id", out var pid))
        {
            if (!pid.TryGetInt64(out policyId)) throw V4Envelope.Param("JSON marshall error");
        }
        body.Absorb(g);
        body.ThrowIfMarshallError();
        if (!hasGroup) throw V4Envelope.Param("Group cannot be empty");
        var bits = V4BoolSet.Decode(permText) ?? throw V4Envelope.Param("JSON marshall error");
        return new Upsert(id, name, maxStorage, bits, settings, policyId);
    }

    private static async Task Create(Req req)
    {
        req.RequireAdmin();
        var s = await Bind(req);
        if (s.Id > 0) throw V4Envelope.Fail(V4Codes.ParamErr, "ID must be 0");
        var id = req.App.Db.Write((c, tx) =>
        {
            if (s.PolicyId > 0 && Users.Policy(c, s.PolicyId, tx) == null) throw V4Envelope.Fail(V4Codes.DbError, "Failed to create group");
            var now = GoTime.Now();
            var newId = Math.Max(4, (long)(c.Scalar("SELECT MAX(id) FROM groups", tx) ?? 0L) + 1);
            c.Exec("""
                INSERT INTO groups(id,name,policy_id,max_storage,allow_share,allow_remote_download,allow_archive_download,share_download,
                                   compress,webdav,source_batch,advance_delete,allow_webdav_proxy,created_at,updated_at)
                VALUES($id,$name,$p,$max,0,0,0,0,0,0,0,0,0,$now,$now)
                """, tx, ("$id", newId), ("$name", s.Name), ("$p", Math.Max(0, s.PolicyId)), ("$max", s.MaxStorage), ("$now", now));
            V4GroupPerms.Save(c, tx, newId, s.Permissions, s.Settings);
            return newId;
        });
        await req.Json(V4Envelope.Ok(Reply(req, id, countUsers: false)));
    }

    /// <summary>PUT /admin/group/{id}: group.id required (the path id is not used); group 1 must keep the admin bit.</summary>
    private static async Task Update(Req req)
    {
        req.RequireAdmin();
        var s = await Bind(req);
        if (s.Id == 0) throw V4Envelope.Fail(V4Codes.ParamErr, "ID is required");
        if (s.Id == 1 && !s.Permissions.Contains(V4Bits.IsAdmin)) throw V4Envelope.Fail(V4Codes.ParamErr, "Initial admin group have to be admin");
        req.App.Db.Write((c, tx) =>
        {
            if (Users.Group(c, s.Id, tx) == null) throw V4Envelope.Fail(V4Codes.DbError, "Failed to update group");
            if (s.PolicyId > 0 && Users.Policy(c, s.PolicyId, tx) == null) throw V4Envelope.Fail(V4Codes.DbError, "Failed to update group");
            c.Exec("UPDATE groups SET name=$n, max_storage=$m, policy_id=$p, updated_at=$now WHERE id=$id", tx,
                ("$n", s.Name), ("$m", s.MaxStorage), ("$p", Math.Max(0, s.PolicyId)), ("$now", GoTime.Now()), ("$id", s.Id));
            V4GroupPerms.Save(c, tx, s.Id, s.Permissions, s.Settings);
        });
        await req.Json(V4Envelope.Ok(Reply(req, s.Id, countUsers: false)));
    }

    /// <summary>DELETE: the three system groups → 40040; a group with users → 40041 with the count as msg.</summary>
    private static Task Delete(Req req)
    {
        req.RequireAdmin();
        var id = V4AdminUsers.PathId(req);
        if (id <= 3) throw V4Envelope.Fail(V4SvcCodes.InvalidActionOnSystemGroup, "");
        req.App.Db.Write((c, tx) =>
        {
            var users = Users.CountInGroup(c, id, tx);
            if (users > 0) throw V4Envelope.Fail(V4SvcCodes.GroupUsedByUser, users.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (c.Exec("DELETE FROM groups WHERE id=$id", tx, ("$id", id)) == 0) throw V4Envelope.Fail(V4Codes.DbError, "Failed to delete group");
            V4GroupPerms.Forget(c, tx, id);
        });
        return req.Json(V4Envelope.Ok());
    }
}

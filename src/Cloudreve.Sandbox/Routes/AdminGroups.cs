using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Admin group routes: POST /admin/group/list, GET /admin/groups, GET /admin/group/{id}.</summary>
internal static partial class AdminGroups
{
    public static void Map(Router r)
    {
        r.Post("/api/v3/admin/group/list", List);
        r.Get("/api/v3/admin/groups", All);
        r.Get("/api/v3/admin/group/:id", Get);
    }

    /// <summary>Group columns a list body may name, mapped to the sandbox's schema.</summary>
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["id"] = "id", ["name"] = "name", ["max_storage"] = "max_storage", ["share_enabled"] = "allow_share",
        ["web_dav_enabled"] = "webdav", ["speed_limit"] = "0", ["created_at"] = "created_at", ["updated_at"] = "updated_at",
        ["policies"] = "(CASE WHEN policy_id=0 THEN '[]' ELSE '[' || policy_id || ']' END)",
    };


    /// <summary>Groups(): conditions (AND) and order_by apply, searches are ignored; statics = users per group; policies = the groups' policies by id.</summary>
    private static async Task List(Req req)
    {
        Admin.RequireAdmin(req);
        var q = await AdminListQuery.ReadAsync(req, col => Columns.TryGetValue(col, out var sql) ? sql : null, applySearches: false);

        var data = req.App.Db.Read(c =>
        {
            var items = new JsonArray();
            var statics = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            var policies = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            long total = 0;
            // An unknown column is an SQL error that 3.8.3 swallows: nothing found.
            if (q.Valid)
            {
                total = (long)(c.Scalar("SELECT COUNT(*) FROM groups" + q.Filter, null, q.Args) ?? 0L);
                var ids = c.Query($"SELECT id FROM groups{q.Filter} ORDER BY {q.Order}{q.Limit}", r => r.GetInt64(0), null, q.Args);
                foreach (var id in ids)
                {
                    var g = Users.Group(c, id)!;
                    items.Add(AdminModels.Group(c, g));
                    statics[id.ToString(CultureInfo.InvariantCulture)] = Users.CountInGroup(c, id);
                    var pid = g.PolicyId.ToString(CultureInfo.InvariantCulture);
                    if (g.PolicyId != 0 && !policies.ContainsKey(pid)) policies[pid] = AdminModels.Policy(Users.Policy(c, g.PolicyId));
                }
            }
            // A Go map: keys in sorted (string) order, also inside statics and policies.
            return new JsonObject
            {
                ["items"] = items,
                ["policies"] = new JsonObject(policies),
                ["statics"] = new JsonObject(statics),
                ["total"] = total,
            };
        });
        await req.Ok(data);
    }

    /// <summary>GroupList(): every group, raw.</summary>
    private static Task All(Req req)
    {
        Admin.RequireAdmin(req);
        var data = req.App.Db.Read(c => GoJson.Array(Users.Groups(c).Select(g => (JsonNode?)AdminModels.Group(c, g))));
        return req.Ok(data);
    }

    private static Task Get(Req req)
    {
        Admin.RequireAdmin(req);
        // uri binding of a uint with binding:"required": not a number → 40001, 0 → "ID cannot be empty".
        if (!ulong.TryParse(req.Param("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var raw) || raw > uint.MaxValue)
            throw Envelope.Fail(Codes.ParamErr, "Parameter error");
        if (raw == 0) throw Envelope.Fail(Codes.ParamErr, "ID cannot be empty");
        var model = req.App.Db.Read(c => Users.Group(c, (long)raw) is { } g ? AdminModels.Group(c, g) : null)
            ?? throw Envelope.Fail(Codes.GroupNotFound, "");
        return req.Ok(model);
    }
}

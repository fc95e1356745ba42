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

    [GeneratedRegex("^\\s*([a-z_]+)(\\s+(asc|desc|ASC|DESC))?\\s*$")]
    private static partial Regex OrderClause();

    /// <summary>Groups(): conditions (AND) and order_by apply, searches are ignored; statics = users per group; policies = the groups' policies by id.</summary>
    private static async Task List(Req req)
    {
        Admin.RequireAdmin(req);
        var body = await req.BodyAsync();
        var page = body.Long("page");
        var pageSize = body.Long("page_size");
        var orderBy = body.Str("order_by");
        var conditions = body.Obj("conditions");
        var searches = body.Obj("searches");
        body.Absorb(conditions);
        body.Absorb(searches);
        body.ThrowIfTypeError();
        if (page < 1) throw Envelope.Fail(Codes.ParamErr, "Page too short");
        if (pageSize < 1) throw Envelope.Fail(Codes.ParamErr, "PageSize too short");

        var where = new List<string>();
        var args = new List<(string, object?)>();
        var valid = true;
        if (body.Raw("conditions") is { ValueKind: System.Text.Json.JsonValueKind.Object } cond)
        {
            foreach (var p in cond.EnumerateObject())
            {
                if (!Columns.TryGetValue(p.Name, out var col)) { valid = false; continue; }
                where.Add($"{col} = $c{args.Count}");
                args.Add(($"$c{args.Count}", p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
            }
        }
        var order = "id";
        if (orderBy.Length > 0)
        {
            var m = OrderClause().Match(orderBy);
            if (!m.Success || !Columns.TryGetValue(m.Groups[1].Value, out var col)) valid = false;
            else order = col + (m.Groups[3].Success ? " " + m.Groups[3].Value.ToUpperInvariant() : "");
        }

        var data = req.App.Db.Read(c =>
        {
            var items = new JsonArray();
            var statics = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            var policies = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            long total = 0;
            // An unknown column is an SQL error that 3.8.3 swallows: nothing found.
            if (valid)
            {
                var filter = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
                total = (long)(c.Scalar("SELECT COUNT(*) FROM groups" + filter, null, args.ToArray()) ?? 0L);
                var ids = c.Query($"SELECT id FROM groups{filter} ORDER BY {order} LIMIT {pageSize} OFFSET {(page - 1) * pageSize}", r => r.GetInt64(0), null, args.ToArray());
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

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Section 5: <c>GET /file?uri=</c>. Folders first, then files; cursor paging by default (next_token while more
/// follow, cap 212/213), or 0-based page numbers with total_items when the sandbox runs with --list-pagination page
/// (cap 220-223). page_size ≤ 0 means 100, above the limit (2000, --page-size-limit) is clamped (cap 215, 216); a
/// garbled next_page_token is code -1 with an empty msg (cap 218); an unknown order_by is ignored (cap 219).
/// </summary>
internal static class V4Listing
{
    public const int DefaultPageSize = 100;
    private static readonly string[] OrderBy = ["name", "size", "updated_at", "created_at"];

    public static void Map(Router r) => r.Get(V4Routes.Prefix + "/file", List);

    private static Task List(Req req)
    {
        // cloudreve://{id}[:{password}]@share/...: browsing a share, anonymously too (reference 11.2).
        if (V4Uri.TryParse(req.Query("uri")) is { FileSystem: V4Uri.Share } shareUri) return V4ShareBrowse.List(req, shareUri);
        var caller = req.RequireCaller();
        var uri = V4Uri.Parse(req.Query("uri"));
        // Search filters in the URI's query make it a recursive search (V4Search).
        if (uri.FileSystem == V4Uri.My && V4Search.Parse(req.Query("uri")) is { } search) return V4Search.List(req, caller, uri, search);
        var app = req.App;
        var pageSize = PageSize(req);
        var orderQuery = req.Query("order_by");
        var orderBy = OrderBy.Contains(orderQuery) ? orderQuery! : null;
        var directionQuery = req.Query("order_direction");
        var desc = directionQuery == "desc";
        var cursor = app.Options.CursorPagination;
        var offset = 0;
        var page = 0;
        if (cursor)
        {
            offset = CursorOffset(req);
        }
        else
        {
            page = Math.Max(0, req.IntQuery("page", 0));
            offset = page * pageSize;
        }

        var isTrash = uri.FileSystem == V4Uri.Trash;
        List<(V4Node Node, JsonObject Json)> entries;
        JsonObject parent;
        JsonObject? policy = null;
        if (isTrash)
        {
            if (!uri.IsRoot) throw V4Envelope.PathNotExist();
            entries = app.Db.Read(c => V4Trash.Entries(c, app, caller.Id));
            parent = V4Json.ZeroFile();
        }
        else
        {
            V4Fs.RequireMy(uri, app, caller);
            (entries, parent, policy) = app.Db.Read(c =>
            {
                var folder = V4Fs.Require(c, caller.Id, uri);
                if (!folder.IsFolder) throw V4Envelope.PathNotExist();
                var segs = V4Fs.Segments(c, folder)!;
                var shared = V4Shared.SharedIds(c, caller.Id);
                var list = V4Fs.Children(c, folder.Id).Select(n =>
                    (n, V4Json.File(app, n, V4Uri.Format(V4Uri.My, segs.Append(n.Name)), shared: shared.Contains((n.IsFolder, n.Id))))).ToList();
                var p = Users.Policy(c, caller.Group.PolicyId);
                return (list, V4Json.File(app, folder, V4Uri.Format(V4Uri.My, segs), withMetadata: false), p == null ? null : V4Json.Policy(app, p));
            });
        }

        var sorted = Sort(entries.Select(e => e.Node).ToList(), orderBy ?? "name", desc);
        var byNode = entries.ToDictionary(e => (e.Node.IsFolder, e.Node.Id), e => e.Json);
        var pageItems = sorted.Skip(offset).Take(pageSize).ToList();
        var files = new JsonArray();
        foreach (var n in pageItems) files.Add(byNode[(n.IsFolder, n.Id)]);

        var pagination = cursor
            ? CursorPagination(pageSize, offset, pageItems.Count, sorted.Count)
            : new JsonObject { ["page"] = page, ["page_size"] = pageSize, ["total_items"] = sorted.Count };

        var capability = isTrash ? V4Json.TrashCapability : V4Json.MyCapability;
        var data = new JsonObject
        {
            ["files"] = files,
            ["parent"] = parent,
            ["pagination"] = pagination,
            ["props"] = Props(app, capability),
            ["context_hint"] = Guid.NewGuid().ToString(),
            ["mixed_type"] = false,
        };
        if (policy != null) data["storage_policy"] = policy;
        var view = new JsonObject { ["page_size"] = pageSize };
        if (orderBy != null)
        {
            view["order"] = orderBy;
            if (directionQuery is "asc" or "desc") view["order_direction"] = directionQuery;
        }
        if (isTrash)
        {
            view["view"] = "list";
            view["columns"] = new JsonArray(new JsonObject { ["type"] = 0 }, new JsonObject { ["type"] = 2 }, new JsonObject { ["type"] = 8 }, new JsonObject { ["type"] = 7 });
        }
        else
        {
            view["view"] = "grid";
            view["thumbnail"] = true;
        }
        data["view"] = view;
        return req.Json(V4Envelope.Ok(data));
    }

    /// <summary>Folders first, then files; each by the key (ordinal for names), ties by id.</summary>
    public static List<V4Node> Sort(List<V4Node> nodes, string orderBy, bool desc)
    {
        IEnumerable<V4Node> Order(IEnumerable<V4Node> items)
        {
            IOrderedEnumerable<V4Node> o = orderBy switch
            {
                "size" => desc ? items.OrderByDescending(n => n.Size) : items.OrderBy(n => n.Size),
                "updated_at" => desc ? items.OrderByDescending(n => n.UpdatedAt) : items.OrderBy(n => n.UpdatedAt),
                "created_at" => desc ? items.OrderByDescending(n => n.CreatedAt) : items.OrderBy(n => n.CreatedAt),
                _ => desc ? items.OrderByDescending(n => n.Name, StringComparer.Ordinal) : items.OrderBy(n => n.Name, StringComparer.Ordinal),
            };
            return desc ? o.ThenByDescending(n => n.Id) : o.ThenBy(n => n.Id);
        }
        return Order(nodes.Where(n => n.IsFolder)).Concat(Order(nodes.Where(n => !n.IsFolder))).ToList();
    }

    /// <summary>page_size: absent or ≤ 0 means <see cref="DefaultPageSize"/>, above --page-size-limit is clamped (cap 215, 216).</summary>
    internal static int PageSize(Req req)
    {
        var pageSize = req.IntQuery("page_size", DefaultPageSize);
        if (pageSize <= 0) pageSize = DefaultPageSize;
        return Math.Min(pageSize, req.App.Options.PageSizeLimit);
    }

    /// <summary>The offset next_page_token names (0 without one); a garbled token is code -1 with an empty msg (cap 218).</summary>
    internal static int CursorOffset(Req req) =>
        req.Query("next_page_token") is { Length: > 0 } token ? DecodeToken(token) ?? throw new V4Exception(V4Codes.Unclassified, "") : 0;

    /// <summary>{page:0, page_size, next_token (while more follow), is_cursor:true} of a page of <paramref name="count"/> items at <paramref name="offset"/>.</summary>
    internal static JsonObject CursorPagination(int pageSize, int offset, int count, int total)
    {
        var pagination = new JsonObject { ["page"] = 0, ["page_size"] = pageSize };
        if (offset + count < total) pagination["next_token"] = EncodeToken(offset + count);
        pagination["is_cursor"] = true;
        return pagination;
    }

    /// <summary>The listing's props: capability, max_page_size, the order options.</summary>
    internal static JsonObject Props(App app, string capability) => new()
    {
        ["capability"] = capability,
        ["max_page_size"] = app.Options.PageSizeLimit,
        ["order_by_options"] = new JsonArray(OrderBy.Select(o => (JsonNode?)o).ToArray()),
        ["order_direction_options"] = new JsonArray("asc", "desc"),
    };

    private static string EncodeToken(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\":{offset}}}"));

    private static int? DecodeToken(string token)
    {
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(token));
            return doc.RootElement.TryGetProperty("offset", out var o) && o.TryGetInt32(out var n) && n >= 0 ? n : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

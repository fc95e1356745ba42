using System.Text.Json;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// AdminListService, the body of POST /admin/user and POST /admin/group: page (1-based, min=1), page_size (min=1,
/// required), order_by, order_direction, conditions (strings). Reference 14.1, cap 34, 140, 141.
/// </summary>
internal sealed record V4AdminList(int Page, int PageSize, string OrderBy, bool Descending, Dictionary<string, string> Conditions)
{
    public static async Task<V4AdminList> ReadAsync(Req req)
    {
        var body = await V4Body.Read(req);
        var page = body.Long("page");
        var pageSize = body.Long("page_size");
        var orderBy = body.Str("order_by");
        var direction = body.Str("order_direction");
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.Raw("conditions") is { } raw)
        {
            if (raw.ValueKind != JsonValueKind.Object) throw V4Envelope.Param("JSON marshall error");
            foreach (var p in raw.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Null) continue;
                if (p.Value.ValueKind != JsonValueKind.String) throw V4Envelope.Param("JSON marshall error");
                conditions[p.Name] = p.Value.GetString() ?? "";
            }
        }
        body.ThrowIfMarshallError();
        // Fields in struct order, rules in tag order.
        if (page < 1) throw V4Envelope.Param("Page too short");
        if (pageSize < 1) throw V4Envelope.Param("PageSize too short");
        return new V4AdminList((int)Math.Min(page, int.MaxValue), (int)Math.Min(pageSize, int.MaxValue), orderBy, direction == "desc", conditions);
    }

    public string? Condition(string key) => Conditions.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    public long Offset => (long)(Page - 1) * PageSize;

    /// <summary>{page: Page-1 (0-based in the reply), page_size, total_items (omitted when 0)}.</summary>
    public System.Text.Json.Nodes.JsonObject PaginationJson(long total)
    {
        var o = new System.Text.Json.Nodes.JsonObject { ["page"] = Page - 1, ["page_size"] = PageSize };
        if (total != 0) o["total_items"] = total;
        return o;
    }
}

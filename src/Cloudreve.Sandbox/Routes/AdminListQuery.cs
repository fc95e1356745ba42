using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloudreve.Sandbox.Routes;

/// <summary>
/// The common admin list body (page, page_size, order_by, conditions, searches) turned into SQL parts,
/// as 3.8.3's AdminListService does: conditions AND-ed, searches OR-ed with LIKE, and an unknown column
/// an SQL error the server swallows (<see cref="Valid"/> false: answer an empty list).
/// </summary>
internal sealed partial class AdminListQuery
{
    private AdminListQuery(long page, long pageSize)
    {
        Page = page;
        PageSize = pageSize;
    }

    public long Page { get; }

    public long PageSize { get; }

    /// <summary>" WHERE ..." or empty.</summary>
    public string Filter { get; private set; } = "";

    public string Order { get; private set; } = "id";

    public (string, object?)[] Args { get; private set; } = [];

    public bool Valid { get; private set; } = true;

    public string Limit => $" LIMIT {PageSize} OFFSET {(Page - 1) * PageSize}";

    /// <summary>Reads the body; <paramref name="column"/> maps a column name of the request to SQL (null = unknown).</summary>
    public static async Task<AdminListQuery> ReadAsync(Req req, Func<string, string?> column, bool applySearches)
    {
        var body = await req.BodyAsync();
        var page = body.Long("page");
        var pageSize = body.Long("page_size");
        var orderBy = body.Str("order_by");
        body.Absorb(body.Obj("conditions"));
        body.Absorb(body.Obj("searches"));
        body.ThrowIfTypeError();
        if (page < 1) throw Envelope.Fail(Codes.ParamErr, "Page too short");
        if (pageSize < 1) throw Envelope.Fail(Codes.ParamErr, "PageSize too short");

        var query = new AdminListQuery(page, pageSize);
        var where = new List<string>();
        var args = new List<(string, object?)>();
        foreach (var (name, value) in StringPairs(body.Raw("conditions")))
        {
            var col = column(name);
            if (col == null) { query.Valid = false; continue; }
            where.Add($"{col} = $c{args.Count}");
            args.Add(($"$c{args.Count}", value));
        }

        if (applySearches)
        {
            var ors = new List<string>();
            foreach (var (name, value) in StringPairs(body.Raw("searches")))
            {
                var col = column(name);
                if (col == null) { query.Valid = false; continue; }
                ors.Add($"{col} LIKE $c{args.Count}");
                args.Add(($"$c{args.Count}", "%" + value + "%"));
            }
            if (ors.Count > 0) where.Add("(" + string.Join(" OR ", ors) + ")");
        }

        if (orderBy.Length > 0)
        {
            var m = OrderClause().Match(orderBy);
            var col = m.Success ? column(m.Groups[1].Value) : null;
            if (col == null) query.Valid = false;
            else query.Order = col + (m.Groups[3].Success ? " " + m.Groups[3].Value.ToUpperInvariant() : "");
        }

        query.Filter = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
        query.Args = args.ToArray();
        return query;
    }

    private static IEnumerable<(string, string)> StringPairs(JsonElement? obj)
    {
        if (obj is not { ValueKind: JsonValueKind.Object } o) yield break;
        foreach (var p in o.EnumerateObject())
            yield return (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText());
    }

    [GeneratedRegex("^\\s*([a-z_]+)(\\s+(asc|desc|ASC|DESC))?\\s*$")]
    private static partial Regex OrderClause();
}

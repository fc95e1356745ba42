using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Paging of the share and WebDAV-account lists: page_size bound from the query (required, 10..100, cap 407, 408, 441)
/// and cursor paging over an ordered list, next_token naming the last item of the page.
/// </summary>
internal static class V4SvcPaging
{
    public static int PageSize(Req req)
    {
        var text = req.Query("page_size");
        if (string.IsNullOrEmpty(text)) throw V4Envelope.Param("PageSize cannot be empty");
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size)) throw V4Envelope.Param("Parameter error");
        if (size == 0) throw V4Envelope.Param("PageSize cannot be empty");
        if (size < 10) throw V4Envelope.Param("PageSize too short");
        if (size > 100) throw V4Envelope.Param("PageSize too long");
        return size;
    }

    /// <summary>
    /// One page of <paramref name="all"/> (already in list order) after the token's item; the next token when more follow.
    /// A token that does not decode is a list failure (50001 with <paramref name="failure"/>); a token whose item was
    /// deleted meanwhile goes on with the first item beyond its id.
    /// </summary>
    public static (List<T> Page, string? Next) Cursor<T>(Req req, List<T> all, Func<T, long> id, int type, int pageSize, string token, string failure,
        bool idDescending = false)
    {
        var start = 0;
        if (token.Length > 0)
        {
            var after = req.App.Ids.Decode(token, type) ?? throw V4Envelope.Fail(V4Codes.DbError, failure);
            var idx = all.FindIndex(x => id(x) == after);
            if (idx < 0)
            {
                // The token's item is gone: go on with the first item beyond its id.
                idx = all.FindIndex(x => idDescending ? id(x) < after : id(x) > after);
                idx = idx < 0 ? all.Count - 1 : idx - 1;
            }
            start = idx + 1;
        }
        var page = all.Skip(start).Take(pageSize).ToList();
        var more = start + pageSize < all.Count;
        return (page, more && page.Count > 0 ? req.App.Ids.Encode(id(page[^1]), type) : null);
    }

    /// <summary>{page:0, page_size, next_token?, is_cursor:true} (cap 29, 32).</summary>
    public static JsonObject CursorJson(int pageSize, string? next)
    {
        var o = new JsonObject { ["page"] = 0, ["page_size"] = pageSize };
        if (next != null) o["next_token"] = next;
        o["is_cursor"] = true;
        return o;
    }
}

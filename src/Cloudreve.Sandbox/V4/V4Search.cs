using System.Text;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The search filters of <c>GET /file?uri=cloudreve://my/folder?name=..</c>, as 4.18 reads and applies them (source:
/// pkg/filemanager/fs/uri.go SearchParameters, manager/operation.go List, inventory/file_utils.go searchQuery,
/// fs/dbfs/navigator.go search). The URI's query (Go net/url: after the first '?', before '#') holds them:
/// <list type="bullet">
/// <item><c>name</c> (repeatable; all must match, any with <c>name_op_or</c> or <c>use_or</c>): "contains", with
/// % and _ literal; a value containing '*' is a SQL LIKE pattern instead ('*' → %, % and _ stay wildcards, wrapped
/// in % unless it already starts or ends with one); a value in double quotes is a plain "contains" of the inner text.
/// <c>case_folding</c> folds case for "contains" (the sandbox, like SQLite, compares ASCII letters case-insensitively
/// anyway).</item>
/// <item><c>type</c>: file or folder (anything else matches nothing).</item>
/// <item><c>category</c> (image, video, audio, document): replaces the whole query with that category's preset
/// (site settings <c>explorer_category_*_query</c>, 4.18 defaults below); another value is code -1.</item>
/// <item><c>size_gte</c>, <c>size_lte</c>: when either is above 0, both apply, a missing one counting as 0.</item>
/// <item><c>created_gte/lte</c>, <c>updated_gte/lte</c>: Unix seconds, inclusive.</item>
/// <item><c>meta_*</c>, <c>exact_meta_*</c>: metadata; the sandbox keeps none, so they match nothing.</item>
/// </list>
/// Without any of them (an empty <c>category</c> alone, say) the route is a plain listing. With them the folder and
/// every folder below it are searched level by level: the matching children of the folder, then of its sub-folders,
/// and so on (folders and files mixed, <c>mixed_type: true</c>), each with its real URI; cursor pages whose token is
/// "{level}|{inner token}". The 4.18 limit on folders searched (65535) is not reached by sandbox trees.
/// </summary>
internal static class V4Search
{
    private static readonly Dictionary<string, string> CategoryPresets = new(StringComparer.Ordinal)
    {
        ["image"] = "type=file&case_folding&use_or&name=*.bmp&name=*.iff&name=*.png&name=*.gif&name=*.jpg&name=*.jpeg&name=*.psd&name=*.svg&name=*.webp&name=*.heif&name=*.heic&name=*.tiff&name=*.avif&name=*.3fr&name=*.ari&name=*.arw&name=*.bay&name=*.braw&name=*.crw&name=*.cr2&name=*.cr3&name=*.cap&name=*.dcs&name=*.dcr&name=*.dng&name=*.drf&name=*.eip&name=*.erf&name=*.fff&name=*.gpr&name=*.iiq&name=*.k25&name=*.kdc&name=*.mdc&name=*.mef&name=*.mos&name=*.mrw&name=*.nef&name=*.nrw&name=*.obm&name=*.orf&name=*.pef&name=*.ptx&name=*.pxn&name=*.r3d&name=*.raf&name=*.raw&name=*.rwl&name=*.rw2&name=*.rwz&name=*.sr2&name=*.srf&name=*.srw&name=*.tif&name=*.x3f",
        ["video"] = "type=file&case_folding&use_or&name=*.mp4&name=*.m3u8&name=*.flv&name=*.avi&name=*.wmv&name=*.mkv&name=*.rm&name=*.rmvb&name=*.mov&name=*.ogv",
        ["audio"] = "type=file&case_folding&use_or&name=*.mp3&name=*.flac&name=*.ape&name=*.wav&name=*.acc&name=*.ogg&name=*.m4a",
        ["document"] = "type=file&case_folding&use_or&name=*.pdf&name=*.doc&name=*.docx&name=*.ppt&name=*.pptx&name=*.xls&name=*.xlsx&name=*.csv&name=*.txt&name=*.md&name=*.pub",
    };

    internal sealed class Filter
    {
        public List<string> Names { get; } = [];
        public bool NameOr { get; set; }
        public bool CaseFolding { get; set; }
        public string Category { get; set; } = "";
        public int? Type { get; set; }
        public bool HasMetadata { get; set; }
        public long SizeGte { get; set; }
        public long SizeLte { get; set; }
        public long? CreatedGte { get; set; }
        public long? CreatedLte { get; set; }
        public long? UpdatedGte { get; set; }
        public long? UpdatedLte { get; set; }
    }

    /// <summary>The search filter of a raw <c>uri</c> value, or null when it asks for none (4.18 SearchParameters).</summary>
    public static Filter? Parse(string? rawUri)
    {
        if (rawUri == null) return null;
        var hash = rawUri.IndexOf('#');
        if (hash >= 0) rawUri = rawUri[..hash];
        var q = rawUri.IndexOf('?');
        if (q < 0) return null;
        var query = ParseQuery(rawUri[(q + 1)..]);
        var f = new Filter();
        var withSearch = false;
        if (query.TryGetValue("name", out var names))
        {
            withSearch = names.Count > 0;
            f.Names.AddRange(names);
        }
        if (query.ContainsKey("name_op_or") || query.ContainsKey("use_or")) f.NameOr = true;
        if (query.ContainsKey("case_folding")) f.CaseFolding = true;
        if (query.TryGetValue("category", out var category))
        {
            f.Category = category[0];
            withSearch = withSearch || f.Category.Length > 0;
        }
        if (query.TryGetValue("type", out var type))
        {
            f.Type = type[0] switch { "file" => 0, "folder" => 1, _ => -1 };
            withSearch = true;
        }
        if (query.Keys.Any(k => k.StartsWith("meta_", StringComparison.Ordinal) || k.StartsWith("exact_meta_", StringComparison.Ordinal)))
        {
            f.HasMetadata = true;
            withSearch = true;
        }
        long? Int(string key) => query.TryGetValue(key, out var v) && long.TryParse(v[0], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        if (Int("size_gte") is { } gte) { f.SizeGte = gte; withSearch = true; }
        if (Int("size_lte") is { } lte) { f.SizeLte = lte; withSearch = true; }
        if (Int("created_gte") is { } cg) { f.CreatedGte = cg; withSearch = true; }
        if (Int("created_lte") is { } cl) { f.CreatedLte = cl; withSearch = true; }
        if (Int("updated_gte") is { } ug) { f.UpdatedGte = ug; withSearch = true; }
        if (Int("updated_lte") is { } ul) { f.UpdatedLte = ul; withSearch = true; }
        return withSearch ? f : null;
    }

    /// <summary>The recursive search below the folder the URI names (the caller's own tree).</summary>
    public static Task List(Req req, V4Caller caller, V4Uri uri, Filter filter)
    {
        if (filter.Category.Length > 0)
        {
            // 4.18 manager.List: a category overwrites the whole query with its preset; an unknown one is a plain error.
            if (!CategoryPresets.TryGetValue(filter.Category, out var preset)) throw new V4Exception(V4Codes.Unclassified, "");
            filter = Parse("?" + preset)!;
        }

        var app = req.App;
        var pageSize = V4Listing.PageSize(req);
        var (startLevel, offset) = Token(req.Query("next_page_token"));
        V4Fs.RequireMy(uri, app, caller);
        var (hits, parent, policy) = app.Db.Read(c =>
        {
            var folder = V4Fs.Require(c, caller.Id, uri);
            if (!folder.IsFolder) throw V4Envelope.PathNotExist();
            var segs = V4Fs.Segments(c, folder)!;
            var shared = V4Shared.SharedIds(c, caller.Id);
            var found = new List<(int Level, JsonObject Json)>();
            var level = new List<(V4Node Node, List<string> Segs)> { (folder, segs) };
            for (var depth = 0; level.Count > 0; depth++)
            {
                var children = level.SelectMany(p => V4Fs.Children(c, p.Node.Id).Select(n => (Node: n, Segs: p.Segs.Append(n.Name).ToList())))
                    .OrderBy(x => x.Node.Name, StringComparer.Ordinal).ThenBy(x => x.Node.IsFolder ? 0 : 1).ThenBy(x => x.Node.Id).ToList();
                found.AddRange(children.Where(x => Matches(filter, x.Node)).Select(x =>
                    (depth, V4Json.File(app, x.Node, V4Uri.Format(V4Uri.My, x.Segs), shared: shared.Contains((x.Node.IsFolder, x.Node.Id))))));
                level = children.Where(x => x.Node.IsFolder).ToList();
            }
            var p = Users.Policy(c, caller.Group.PolicyId);
            return (found, V4Json.File(app, folder, V4Uri.Format(V4Uri.My, segs), withMetadata: false), p == null ? null : V4Json.Policy(app, p));
        });

        // A token names a level and a position: an empty position is the start of that level.
        var start = offset ?? hits.FindIndex(h => h.Level >= startLevel) switch { -1 => hits.Count, var i => i };
        var page = hits.Skip(start).Take(pageSize).ToList();
        var files = new JsonArray();
        foreach (var h in page) files.Add(h.Json);
        var pagination = new JsonObject { ["page"] = 0, ["page_size"] = pageSize };
        var next = start + page.Count;
        if (next < hits.Count) pagination["next_token"] = $"{hits[next].Level}|{EncodeOffset(next)}";
        pagination["is_cursor"] = true;

        var data = new JsonObject
        {
            ["files"] = files,
            ["parent"] = parent,
            ["pagination"] = pagination,
            // While searching 4.18 offers no order options (myNavigator.Capabilities(isSearching)).
            ["props"] = new JsonObject { ["capability"] = V4Json.MyCapability, ["max_page_size"] = app.Options.PageSizeLimit },
            ["context_hint"] = Guid.NewGuid().ToString(),
            ["mixed_type"] = true,
        };
        if (policy != null) data["storage_policy"] = policy;
        data["view"] = new JsonObject { ["page_size"] = pageSize, ["view"] = "grid", ["thumbnail"] = true };
        return req.Json(V4Envelope.Ok(data));
    }

    /// <summary>4.18 searchQuery for one node.</summary>
    internal static bool Matches(Filter f, V4Node n)
    {
        if (f.Names.Count > 0)
        {
            var results = f.Names.Select(name => NameMatches(name, n.Name, f.CaseFolding));
            if (f.NameOr ? !results.Any(r => r) : !results.All(r => r)) return false;
        }
        if (f.Type is { } type && (n.IsFolder ? 1 : 0) != type) return false;
        if (f.HasMetadata) return false;
        if ((f.SizeLte > 0 || f.SizeGte > 0) && (n.Size < f.SizeGte || n.Size > f.SizeLte)) return false;
        var created = Seconds(n.CreatedAt);
        var updated = Seconds(n.UpdatedAt);
        if (f.CreatedLte is { } cl && created > cl || f.CreatedGte is { } cg && created < cg) return false;
        if (f.UpdatedLte is { } ul && updated > ul || f.UpdatedGte is { } ug && updated < ug) return false;
        return true;
    }

    /// <summary>Seconds since the epoch of a stored time (ticks), as a fraction, so "≥ whole second" compares like SQL does.</summary>
    private static double Seconds(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;

    internal static bool NameMatches(string item, string name, bool caseFolding)
    {
        if (item.StartsWith('"') && item.EndsWith('"'))
            return Like(name, "%" + EscapeLike(item.Trim('"')) + "%");
        if (item.Contains('*', StringComparison.Ordinal))
        {
            var pattern = item.Replace("*", "%", StringComparison.Ordinal);
            if (pattern[0] != '%' && pattern[^1] != '%') pattern = "%" + pattern + "%";
            return Like(name, pattern, escape: false);
        }
        // ent ContainsFold on SQLite: LOWER(name) LIKE lower(substring) (SQLite's LOWER folds ASCII only).
        return caseFolding
            ? Like(AsciiLower(name), "%" + EscapeLike(item.ToLowerInvariant()) + "%")
            : Like(name, "%" + EscapeLike(item) + "%");
    }

    private static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string AsciiLower(string s) => string.Create(s.Length, s, (span, src) =>
    {
        for (var i = 0; i < src.Length; i++) span[i] = src[i] is >= 'A' and <= 'Z' ? (char)(src[i] + 32) : src[i];
    });

    /// <summary>SQLite LIKE: % any run, _ any one character, ASCII letters case-insensitive; '\' escapes when <paramref name="escape"/>.</summary>
    internal static bool Like(string text, string pattern, bool escape = true)
    {
        var memo = new Dictionary<(int, int), bool>();
        bool At(int t, int p)
        {
            if (memo.TryGetValue((t, p), out var known)) return known;
            bool result;
            if (p == pattern.Length) result = t == text.Length;
            else if (pattern[p] == '%') result = At(t, p + 1) || t < text.Length && At(t + 1, p);
            else if (t == text.Length) result = false;
            else if (pattern[p] == '_') result = At(t + 1, p + 1);
            else
            {
                var literal = pattern[p];
                var step = 1;
                if (escape && literal == '\\' && p + 1 < pattern.Length) { literal = pattern[p + 1]; step = 2; }
                result = SameAscii(text[t], literal) && At(t + 1, p + step);
            }
            memo[(t, p)] = result;
            return result;
        }
        return At(0, 0);
    }

    private static bool SameAscii(char a, char b) =>
        a == b || a < 128 && b < 128 && char.ToLowerInvariant(a) == char.ToLowerInvariant(b);

    /// <summary>Go url.ParseQuery: '&amp;'-separated pairs, '+' is a space, a pair with ';' or a bad escape is dropped.</summary>
    private static Dictionary<string, List<string>> ParseQuery(string raw)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in raw.Split('&'))
        {
            if (pair.Length == 0 || pair.Contains(';')) continue;
            var eq = pair.IndexOf('=');
            var key = Unescape(eq >= 0 ? pair[..eq] : pair);
            var value = Unescape(eq >= 0 ? pair[(eq + 1)..] : "");
            if (key == null || value == null) continue;
            if (!result.TryGetValue(key, out var list)) result[key] = list = [];
            list.Add(value);
        }
        return result;
    }

    private static string? Unescape(string s)
    {
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                if (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2])) return null;
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (s[i] == '+') bytes.Add((byte)' ');
            else bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>"{level}|{inner}" (navigator parseSearchPageToken); anything else is code -1 with an empty msg.</summary>
    private static (int Level, int? Offset) Token(string? token)
    {
        if (string.IsNullOrEmpty(token)) return (0, null);
        var parts = token.Split('|');
        if (parts.Length != 2 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var level))
            throw new V4Exception(V4Codes.Unclassified, "");
        if (parts[1].Length == 0) return (level, null);
        return (level, DecodeOffset(parts[1]) ?? throw new V4Exception(V4Codes.Unclassified, ""));
    }

    private static string EncodeOffset(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\":{offset}}}"));

    private static int? DecodeOffset(string inner)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(inner));
            var node = JsonNode.Parse(text);
            return node?["offset"]?.GetValue<int>() is int n && n >= 0 ? n : null;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

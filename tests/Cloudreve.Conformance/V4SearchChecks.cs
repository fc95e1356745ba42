using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>
/// Search filters on the listing route (<c>GET /file?uri=cloudreve://my/folder?name=...</c>), as 4.18's source
/// reads and applies them: pkg/filemanager/fs/uri.go SearchParameters, manager/operation.go List (categories),
/// inventory/file_utils.go searchQuery, fs/dbfs/navigator.go search (recursive, level by level, real URIs).
/// Not in the capture set; every check compares sets, never the order within a level.
/// </summary>
public sealed class V4SearchChecks : V4Checks
{
    public V4SearchChecks(V4Target t) : base(t)
    {
    }

    /// <summary>
    /// A tree: Report A.txt (10 B, uploaded), a%b.txt, axb.txt, sub/report_b.md (100 B, uploaded),
    /// sub/deep/photo.jpg, sub/deep/reports/ and sub/deep/other.bin (1000 B, uploaded). Uploads carry the
    /// checks' last_modified (2025-11-24T16:00:00Z); created files are modified now.
    /// </summary>
    private async Task<string> Tree()
    {
        var root = await T.NewFolder("search");
        Expect.Ok(await Main.Create(Uri(root, "sub/deep/reports"), "folder"));
        await V4Uploader.Upload(Main, Uri(root, "Report A.txt"), new byte[10]);
        await V4Uploader.Upload(Main, Uri(root, "sub/report_b.md"), new byte[100]);
        await V4Uploader.Upload(Main, Uri(root, "sub/deep/other.bin"), new byte[1000]);
        foreach (var name in new[] { "a%b.txt", "axb.txt", "sub/deep/photo.jpg" }) Expect.Ok(await Main.Create(Uri(root, name), "file"));
        return root;
    }

    private static string Uri(string folder, string relative) =>
        folder + "/" + string.Join("/", relative.Split('/').Select(System.Uri.EscapeDataString));

    /// <summary>Every hit of a search, following next_token, as paths relative to <paramref name="root"/> (unescaped).</summary>
    private async Task<List<string>> Search(string root, string query, int pageSize = 100)
    {
        var hits = new List<string>();
        string? next = null;
        for (var pages = 0; pages < 50; pages++)
        {
            var r = await Main.List(root + "?" + query, $"&page_size={pageSize}" + (next == null ? "" : "&next_page_token=" + V4Client.Q(next)));
            var d = Expect.Ok(r);
            Expect.Equal(r, true, d.GetProperty("mixed_type").GetBoolean(), "mixed_type of a search");
            Expect.Equal(r, true, d.GetProperty("pagination").GetProperty("is_cursor").GetBoolean(), "pagination.is_cursor");
            foreach (var f in d.GetProperty("files").EnumerateArray()) hits.Add(Relative(r, root, f));
            next = d.GetProperty("pagination").TryGetProperty("next_token", out var t) ? t.GetString() : null;
            if (string.IsNullOrEmpty(next)) return hits;
        }
        throw new InvalidOperationException("the search did not end within 50 pages");
    }

    private static string Relative(Reply r, string root, JsonElement file)
    {
        var path = System.Uri.UnescapeDataString(file.GetProperty("path").GetString()!);
        var prefix = System.Uri.UnescapeDataString(root) + "/";
        Expect.That(r, path.StartsWith(prefix, StringComparison.Ordinal), $"a hit below {prefix} with its real URI, got {path}");
        var relative = path[prefix.Length..];
        Expect.That(r, relative.EndsWith(file.GetProperty("name").GetString()!, StringComparison.Ordinal), "the URI ends with the name");
        return (file.GetProperty("type").GetInt32() == 1 ? "dir:" : "") + relative;
    }

    private static void Same(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var e = expected.OrderBy(x => x, StringComparer.Ordinal).ToArray();
        var a = actual.OrderBy(x => x, StringComparer.Ordinal).ToArray();
        if (!e.SequenceEqual(a)) throw new Xunit.Sdk.XunitException($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", a)}]");
    }

    [V4Check]
    public async Task Search_name_is_a_case_folded_contains_over_the_whole_subtree_with_real_uris()
    {
        var root = await Tree();
        Same(["Report A.txt", "sub/report_b.md", "dir:sub/deep/reports"], await Search(root, "name=REPORT&case_folding"), "name=REPORT&case_folding");
        var r = await Main.List(root + "?name=report");
        Expect.Equal(r, System.Uri.UnescapeDataString(root), System.Uri.UnescapeDataString(Expect.Ok(r).GetProperty("parent").GetProperty("path").GetString()!), "parent.path is the searched folder");
    }

    [V4Check]
    public async Task Search_type_selects_files_or_folders()
    {
        var root = await Tree();
        Same(["Report A.txt", "sub/report_b.md"], await Search(root, "name=report&type=file"), "type=file");
        Same(["dir:sub", "dir:sub/deep", "dir:sub/deep/reports"], await Search(root, "type=folder"), "type=folder");
    }

    [V4Check]
    public async Task Search_name_without_a_star_takes_percent_and_underscore_literally_with_a_star_it_is_like()
    {
        var root = await Tree();
        Same(["a%b.txt"], await Search(root, "name=" + System.Uri.EscapeDataString("a%b")), "name=a%b");
        Same([], await Search(root, "name=a_b"), "name=a_b");
        Same(["a%b.txt", "axb.txt"], await Search(root, "name=" + System.Uri.EscapeDataString("*a_b*")), "name=*a_b* (LIKE)");
        Same(["Report A.txt", "a%b.txt", "axb.txt"], await Search(root, "name=" + System.Uri.EscapeDataString("*.txt")), "name=*.txt");
        // Not starting or ending with a wildcard: wrapped in % (so "a*b" is LIKE '%a%b%').
        Same(["a%b.txt", "axb.txt"], await Search(root, "name=" + System.Uri.EscapeDataString("a*b")), "name=a*b");
    }

    [V4Check]
    public async Task Search_names_are_all_required_unless_name_op_or()
    {
        var root = await Tree();
        Same(["sub/report_b.md"], await Search(root, "name=report&name=.md"), "two names, AND");
        Same(["Report A.txt", "a%b.txt", "axb.txt", "sub/report_b.md"], await Search(root, "name=.txt&name=.md&name_op_or"), "two names, name_op_or");
        Same(["Report A.txt", "a%b.txt", "axb.txt", "sub/report_b.md"], await Search(root, "name=.txt&name=.md&use_or"), "two names, use_or");
    }

    [V4Check]
    public async Task Search_size_bounds_apply_together_and_a_missing_one_counts_as_zero()
    {
        var root = await Tree();
        Same(["sub/report_b.md"], await Search(root, "size_gte=50&size_lte=500"), "50 <= size <= 500");
        Same([], await Search(root, "size_gte=50"), "size_gte alone (size_lte counts as 0)");
        Same(["Report A.txt", "sub/report_b.md"], await Search(root, "size_gte=10&size_lte=100&type=file"), "inclusive bounds");
    }

    [V4Check]
    public async Task Search_updated_bounds_are_unix_seconds_inclusive()
    {
        var root = await Tree();
        var uploaded = V4Uploader.LastModified / 1000;
        Same(["Report A.txt", "sub/report_b.md", "sub/deep/other.bin"], await Search(root, $"type=file&updated_lte={uploaded}"), "updated_lte = the uploads' time");
        Same(["a%b.txt", "axb.txt", "sub/deep/photo.jpg"], await Search(root, $"type=file&updated_gte={uploaded + 1}"), "updated_gte after the uploads");
    }

    [V4Check]
    public async Task Search_category_replaces_the_whole_query_with_its_preset()
    {
        var root = await Tree();
        Same(["Report A.txt", "a%b.txt", "axb.txt", "sub/report_b.md"], await Search(root, "category=document&name=nothing-has-this"), "category=document with a name");
        Same(["sub/deep/photo.jpg"], await Search(root, "category=image"), "category=image");
        V4Expect.Error(await Main.List(root + "?category=nonsense"), -1, "");
    }

    [V4Check]
    public async Task Search_without_a_filter_is_a_plain_listing_and_an_empty_name_searches_everything()
    {
        var root = await Tree();
        var plain = Expect.Ok(await Main.List(root + "?category="));
        Same(["Report A.txt", "a%b.txt", "axb.txt", "sub"], V4Expect.Names(plain), "category= alone lists the folder");
        Same(["Report A.txt", "a%b.txt", "axb.txt", "dir:sub", "sub/report_b.md", "dir:sub/deep", "dir:sub/deep/reports", "sub/deep/other.bin", "sub/deep/photo.jpg"],
            await Search(root, "name="), "name= (every name contains the empty string) below the folder, the folder itself left out");
    }

    [V4Check]
    public async Task Search_pages_carry_a_level_token_and_return_every_hit_once()
    {
        var root = await Tree();
        var r = await Main.List(root + "?name=", "&page_size=2");
        var token = Expect.Ok(r).GetProperty("pagination").GetProperty("next_token").GetString();
        Expect.That(r, token != null && token.Contains('|'), $"a next_token of the form level|inner, got {token}");
        var paged = await Search(root, "name=", pageSize: 2);
        Expect.That(r, paged.Distinct().Count() == paged.Count, "no hit twice");
        Same(await Search(root, "name="), paged, "pages of 2 against one page");
        V4Expect.Error(await Main.List(root + "?name=", "&next_page_token=garbled"), -1, "");
    }
}

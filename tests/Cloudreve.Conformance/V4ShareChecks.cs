using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 11: share links (create, list, info, edit, delete, batch delete, /s/ short links).</summary>
public sealed partial class V4ShareChecks : V4Checks
{
    public V4ShareChecks(V4Target t) : base(t)
    {
    }

    [GeneratedRegex("^https?://[^/]+(/.*)?/s/([A-Za-z0-9]+)(/([A-Za-z0-9]+))?$")]
    private static partial Regex ShareUrl();

    /// <summary>A fresh empty file below the work folder; its URI.</summary>
    private async Task<string> NewFile(string name)
    {
        var uri = T.NewUri(name);
        Expect.Ok(await Main.Create(uri, "file"));
        return uri;
    }

    /// <summary>PUT /share; the share id and the password segment of the returned URL ("" for a public share).</summary>
    private async Task<(string Id, string Password, string Url)> Share(object body)
    {
        var r = await Main.Put("/share", body);
        var url = Expect.Ok(r).GetString() ?? "";
        var m = ShareUrl().Match(url);
        Expect.That(r, m.Success, "data = the share URL {site}/s/{id}[/{password}]");
        return (m.Groups[2].Value, m.Groups[4].Value, url);
    }

    private async Task DeleteShare(string id) => await Main.Delete("/share/" + id);

    /// <summary>The caller's share with that id in GET /share (all pages).</summary>
    private async Task<JsonElement?> Listed(string id)
    {
        string? next = null;
        do
        {
            var r = await Main.Get("/share?page_size=100" + (next == null ? "" : "&next_page_token=" + Uri.EscapeDataString(next)));
            var d = Expect.Ok(r);
            foreach (var s in d.GetProperty("shares").EnumerateArray())
            {
                if (s.GetProperty("id").GetString() == id) return s.Clone();
            }
            next = d.GetProperty("pagination").TryGetProperty("next_token", out var t) ? t.GetString() : null;
        }
        while (next != null);
        return null;
    }

    [V4Check]
    public async Task Cap27_share_create_answers_the_public_share_url()
    {
        var r = await Main.Put("/share", new { uri = await NewFile("pub.txt") });
        var url = Expect.Ok(r).GetString() ?? "";
        var m = ShareUrl().Match(url);
        Expect.That(r, m.Success && m.Groups[4].Value.Length == 0, "data = {site}/s/{id} without a password segment");
        await DeleteShare(m.Groups[2].Value);
    }

    [V4Check]
    public async Task Cap401_private_without_password_gets_an_8_character_password()
    {
        var r = await Main.Put("/share", new { uri = await T.NewFolder("priv"), is_private = true });
        var url = Expect.Ok(r).GetString() ?? "";
        var m = ShareUrl().Match(url);
        Expect.That(r, m.Success && Regex.IsMatch(m.Groups[4].Value, "^[a-z0-9]{8}$"), "a URL ending in /s/{id}/{8 lowercase letters or digits}");
        await DeleteShare(m.Groups[2].Value);
    }

    [V4Check]
    public async Task Cap28_private_with_password_keeps_it_in_the_url()
    {
        var r = await Main.Put("/share", new { uri = await T.NewFolder("pw"), is_private = true, password = "abc123", downloads = 5, expire = 86400 });
        var url = Expect.Ok(r).GetString() ?? "";
        Expect.That(r, url.EndsWith("/abc123", StringComparison.Ordinal), "the URL ending in /abc123");
        var id = ShareUrl().Match(url).Groups[2].Value;
        try
        {
            var s = await Listed(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/v4/share: expected share {id}");
            var list = await Main.Get("/share?page_size=10");
            // cap 29: limits, password and is_private for the owner.
            Expect.Equal(list, 5, s.GetProperty("remain_downloads").GetInt32(), "remain_downloads");
            Expect.That(list, s.TryGetProperty("expires", out _), "expires on a share with expire");
            Expect.Equal(list, true, s.GetProperty("password_protected").GetBoolean(), "password_protected");
            Expect.Equal(list, true, s.GetProperty("is_private").GetBoolean(), "is_private");
            Expect.Equal(list, "abc123", s.GetProperty("password").GetString(), "password");
            Expect.Equal(list, 1, s.GetProperty("source_type").GetInt32(), "source_type of a folder");
            Expect.Equal(list, url, s.GetProperty("url").GetString(), "url");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap402_password_that_is_not_letters_and_digits_is_40001()
    {
        var r = await Main.Put("/share", new { uri = await NewFile("alnum.txt"), is_private = true, password = "a-b" });
        V4Expect.Error(r, 40001, "Invalid parameters.", correlation: false);
    }

    [V4Check]
    public async Task Cap403_password_without_is_private_is_ignored()
    {
        var (id, password, _) = await Share(new { uri = await NewFile("nopriv.txt"), password = "abc123" });
        try
        {
            var list = await Main.Get("/share?page_size=10");
            var s = await Listed(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/v4/share: expected share {id}");
            Expect.Equal(list, "", password, "password segment of the URL");
            Expect.That(list, !s.TryGetProperty("password_protected", out _) && !s.TryGetProperty("password", out _), "a public share (no password_protected, no password)");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap404_downloads_without_expire_is_accepted()
    {
        var (id, _, _) = await Share(new { uri = await NewFile("dl.txt"), downloads = 1 });
        try
        {
            var list = await Main.Get("/share?page_size=10");
            var s = await Listed(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/v4/share: expected share {id}");
            Expect.Equal(list, 1, s.GetProperty("remain_downloads").GetInt32(), "remain_downloads");
            Expect.That(list, !s.TryGetProperty("expires", out _), "no expires");
            Expect.Equal(list, 0, s.GetProperty("source_type").GetInt32(), "source_type of a file");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap405_sharing_a_missing_file_is_40016()
    {
        V4Expect.Error(await Main.Put("/share", new { uri = T.NewUri("missing.txt") }), 40016, "src file not found");
    }

    [V4Check]
    public async Task Cap407_Cap408_share_list_page_size_is_required_and_at_least_10()
    {
        V4Expect.Error(await Main.Get("/share?page_size=5"), 40001, "PageSize too short", correlation: false);
        V4Expect.Error(await Main.Get("/share"), 40001, "PageSize cannot be empty", correlation: false);
    }

    [V4Check]
    public async Task Cap29_share_list_has_the_documented_shape()
    {
        var (id, _, url) = await Share(new { uri = await NewFile("shape.txt") });
        try
        {
            var r = await Main.Get("/share?page_size=10");
            var d = Expect.Ok(r);
            Expect.Keys(r, d, "shares", "pagination");
            var p = d.GetProperty("pagination");
            Expect.Equal(r, 0, p.GetProperty("page").GetInt32(), "pagination.page");
            Expect.Equal(r, 10, p.GetProperty("page_size").GetInt32(), "pagination.page_size");
            Expect.Equal(r, true, p.GetProperty("is_cursor").GetBoolean(), "pagination.is_cursor");
            var s = await Listed(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/v4/share: expected share {id}");
            Expect.Keys(r, s, "id", "name", "visited", "unlocked", "source_type", "owner", "created_at", "expired", "url", "size");
            Expect.Equal(r, true, s.GetProperty("unlocked").GetBoolean(), "unlocked");
            Expect.Equal(r, false, s.GetProperty("expired").GetBoolean(), "expired");
            Expect.Equal(r, url, s.GetProperty("url").GetString(), "url");
            Expect.That(r, s.GetProperty("name").GetString()!.StartsWith("shape.txt", StringComparison.Ordinal), "name = the file name");
            Expect.Keys(r, s.GetProperty("owner"), "id", "email", "nickname", "created_at");
            Expect.Equal(r, Main.User.GetProperty("id").GetString(), s.GetProperty("owner").GetProperty("id").GetString(), "owner.id");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap30_Cap409_Cap410_Cap411_share_info_anonymously_with_and_without_the_password()
    {
        var (id, password, _) = await Share(new { uri = await T.NewFolder("info"), is_private = true });
        try
        {
            var anon = T.Anonymous();
            var r = await anon.Get("/share/info/" + id);
            var d = Expect.Ok(r);
            Expect.Equal(r, false, d.GetProperty("unlocked").GetBoolean(), "unlocked without the password");
            Expect.Equal(r, true, d.GetProperty("password_protected").GetBoolean(), "password_protected");
            Expect.That(r, !d.TryGetProperty("password", out _), "no password while locked");
            Expect.That(r, d.GetProperty("url").GetString()!.EndsWith("/s/" + id, StringComparison.Ordinal), "the url without the password while locked");
            Expect.Keys(r, d.GetProperty("owner"), "id", "nickname", "created_at");

            r = await anon.Get($"/share/info/{id}?password={password}");
            d = Expect.Ok(r);
            Expect.Equal(r, true, d.GetProperty("unlocked").GetBoolean(), "unlocked with the password");
            Expect.Equal(r, password, d.GetProperty("password").GetString(), "password");
            Expect.That(r, !d.TryGetProperty("is_private", out _), "no is_private for a visitor");

            r = await anon.Get($"/share/info/{id}?password=wrong1");
            Expect.Equal(r, false, Expect.Ok(r).GetProperty("unlocked").GetBoolean(), "unlocked with a wrong password");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap412_share_info_of_a_garbage_id_is_40001()
    {
        V4Expect.Error(await T.Anonymous().Get("/share/info/not-an-id"), 40001, "Failed to parse object ID");
    }

    [V4Check]
    public async Task Cap416_Cap417_edit_keeps_the_password_and_changes_the_limits()
    {
        var folder = await T.NewFolder("edit");
        var (id, password, _) = await Share(new { uri = folder, is_private = true });
        try
        {
            var r = await Main.Post("/share/" + id, new { uri = folder, is_private = true, password = "newpw1", downloads = 3, expire = 3600 });
            var url = Expect.Ok(r).GetString() ?? "";
            Expect.That(r, url.EndsWith($"/s/{id}/{password}", StringComparison.Ordinal), "the URL with the old password");
            var anon = T.Anonymous();
            r = await anon.Get($"/share/info/{id}?password=newpw1");
            Expect.Equal(r, false, Expect.Ok(r).GetProperty("unlocked").GetBoolean(), "unlocked with the edited password");
            r = await anon.Get($"/share/info/{id}?password={password}");
            Expect.Equal(r, true, Expect.Ok(r).GetProperty("unlocked").GetBoolean(), "unlocked with the old password");
            var s = await Listed(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/v4/share: expected share {id}");
            Expect.Equal(r, 3, s.GetProperty("remain_downloads").GetInt32(), "remain_downloads after the edit");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap418_edit_with_a_partial_body_is_40001()
    {
        var (id, _, _) = await Share(new { uri = await NewFile("partial.txt") });
        try
        {
            V4Expect.Error(await Main.Post("/share/" + id, new { downloads = 5 }), 40001, "Uri cannot be empty", correlation: false);
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap419_Cap420_delete_then_delete_again_is_404()
    {
        var (id, _, _) = await Share(new { uri = await NewFile("del.txt") });
        Expect.Ok(await Main.Delete("/share/" + id));
        V4Expect.Error(await Main.Delete("/share/" + id), 404, "share not found");
        Expect.That(await Main.Get("/share?page_size=10"), await Listed(id) == null, "the share gone from the list");
    }

    [V4Check]
    public async Task Cap421_batch_delete_with_an_unparsable_id_answers_two_objects_and_deletes_nothing()
    {
        var (id, _, _) = await Share(new { uri = await NewFile("batch-bad.txt") });
        try
        {
            var r = await Main.Delete("/share", new { ids = new[] { id, "not-an-id" } });
            Expect.Status(r, 200);
            Expect.That(r, r.Text.StartsWith("{\"code\":-1,", StringComparison.Ordinal) && r.Text.EndsWith("}{\"code\":0,\"msg\":\"\"}", StringComparison.Ordinal),
                "two JSON objects back to back, code -1 then code 0");
            Expect.That(r, await Listed(id) != null, "the valid share still listed");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap424_Cap425_batch_delete_removes_every_listed_share()
    {
        var (a, _, _) = await Share(new { uri = await NewFile("batch-a.txt") });
        var (b, _, _) = await Share(new { uri = await NewFile("batch-b.txt") });
        var r = await Main.Delete("/share", new { ids = new[] { a, b } });
        Expect.Ok(r);
        Expect.That(r, await Listed(a) == null && await Listed(b) == null, "both shares gone from the list");
    }

    [V4Check]
    public async Task Cap60_Cap422_short_links_redirect_to_the_web_ui()
    {
        var (id, password, _) = await Share(new { uri = await T.NewFolder("short"), is_private = true });
        try
        {
            var anon = T.Anonymous();
            var r = await anon.Get(new Uri(T.BaseUri, "s/" + id).ToString());
            Expect.Status(r, 302);
            Expect.Equal(r, $"/home?path=cloudreve%3A%2F%2F{id}%40share", r.Header("Location"), "Location");
            r = await anon.Get(new Uri(T.BaseUri, $"s/{id}/{password}").ToString());
            Expect.Status(r, 302);
            Expect.Equal(r, $"/home?path=cloudreve%3A%2F%2F{id}%3A{password}%40share", r.Header("Location"), "Location");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap413_Cap414_anonymous_browsing_needs_the_password()
    {
        var folder = await T.NewFolder("browse");
        Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/p1", "folder"));
        var (id, password, _) = await Share(new { uri = folder, is_private = true });
        try
        {
            var anon = T.Anonymous();
            var root = $"cloudreve://{id}:{password}@share/";
            var r = await anon.List(root);
            var d = Expect.Ok(r);
            var names = V4Expect.Names(d);
            Expect.That(r, names.Count == 2 && names[0] == "p1" && names[1] == "a b.txt", "the folder p1, then the file a b.txt");
            var file = d.GetProperty("files")[1];
            Expect.Equal(r, root + "a%20b.txt", file.GetProperty("path").GetString(), "path of an entry seen through the share");
            Expect.That(r, !file.TryGetProperty("owned", out _), "no owned flag for a visitor");
            Expect.Equal(r, root, d.GetProperty("parent").GetProperty("path").GetString(), "parent.path");
            V4Expect.Error(await anon.List($"cloudreve://{id}@share/"), 40069, "Incorrect share password");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap415_download_urls_through_a_share_need_no_token()
    {
        var folder = await T.NewFolder("share-dl");
        Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        var (id, password, _) = await Share(new { uri = folder, is_private = true });
        try
        {
            var r = await T.Anonymous().Post("/file/url", new { uris = new[] { $"cloudreve://{id}:{password}@share/a%20b.txt" }, download = true });
            var url = Expect.Ok(r).GetProperty("urls")[0].GetProperty("url").GetString()!;
            Expect.That(r, Regex.IsMatch(url, "^https?://[^/]+/api/v4/file/content/[A-Za-z0-9]+/0/a%20b\\.txt\\?download=true&sign=[A-Za-z0-9_-]+%3D%3A[0-9]+$"),
                "an absolute content URL with download=true and a sign");
        }
        finally
        {
            await DeleteShare(id);
        }
    }

    [V4Check]
    public async Task Cap29_Cap406_share_list_pages_with_next_token()
    {
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < 11; i++) ids.Add((await Share(new { uri = await NewFile($"page{i}.txt") })).Id);
            var seen = new List<string>();
            string? next = null;
            var pages = 0;
            Reply r;
            do
            {
                r = await Main.Get("/share?page_size=10" + (next == null ? "" : "&next_page_token=" + Uri.EscapeDataString(next)));
                var d = Expect.Ok(r);
                var page = d.GetProperty("shares").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
                Expect.That(r, page.Count <= 10, "at most page_size shares per page");
                seen.AddRange(page);
                next = d.GetProperty("pagination").TryGetProperty("next_token", out var t) ? t.GetString() : null;
                pages++;
            }
            while (next != null && pages < 1000);
            Expect.That(r, pages >= 2, "more than one page for more than 10 shares");
            Expect.That(r, seen.Distinct().Count() == seen.Count, "no share twice");
            Expect.That(r, ids.All(seen.Contains), "every created share on some page");
        }
        finally
        {
            if (ids.Count > 0) await Main.Delete("/share", new { ids });
        }
    }

    [V4Check]
    public async Task Cap436_extended_info_lists_the_shares_of_a_file()
    {
        var file = await NewFile("ext-share.txt");
        var (id, _, url) = await Share(new { uri = file });
        try
        {
            var r = await Main.Info(file, "&extended=true");
            var d = Expect.Ok(r);
            Expect.Equal(r, true, d.GetProperty("shared").GetBoolean(), "shared");
            var ext = d.GetProperty("extended_info");
            Expect.That(r, ext.TryGetProperty("shares", out var shares) && shares.GetArrayLength() == 1, "extended_info.shares with one share");
            var s = shares[0];
            Expect.Equal(r, id, s.GetProperty("id").GetString(), "shares[0].id");
            Expect.Equal(r, url, s.GetProperty("url").GetString(), "shares[0].url");
            Expect.HasKeys(r, s.GetProperty("owner").GetProperty("group"), "id", "name");
        }
        finally
        {
            await DeleteShare(id);
        }
    }
}

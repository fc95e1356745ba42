namespace Cloudreve.Conformance;

/// <summary>v4 reference sections 4, 5, 7: URIs, listing and paging, create.</summary>
public sealed class V4ListingChecks : V4Checks
{
    public V4ListingChecks(V4Target t) : base(t)
    {
    }

    [V4Check]
    public async Task Cap09_root_listing_has_the_documented_shape()
    {
        var r = await Main.List("cloudreve://my/");
        var d = Expect.Ok(r);
        Expect.HasKeys(r, d, "files", "parent", "pagination", "props", "context_hint", "mixed_type", "storage_policy", "view");
        var parent = d.GetProperty("parent");
        Expect.Keys(r, parent, "type", "id", "name", "created_at", "updated_at", "size", "metadata", "path", "capability", "owned", "primary_entity");
        Expect.Equal(r, 1, parent.GetProperty("type").GetInt32(), "parent.type");
        Expect.Equal(r, "", parent.GetProperty("name").GetString(), "parent.name");
        Expect.Equal(r, "cloudreve://my/", parent.GetProperty("path").GetString(), "parent.path");
        var p = d.GetProperty("pagination");
        Expect.Equal(r, 0, p.GetProperty("page").GetInt32(), "pagination.page");
        Expect.Equal(r, 100, p.GetProperty("page_size").GetInt32(), "pagination.page_size");
        Expect.Equal(r, true, p.GetProperty("is_cursor").GetBoolean(), "pagination.is_cursor");
        Expect.Equal(r, 2000, d.GetProperty("props").GetProperty("max_page_size").GetInt32(), "props.max_page_size");
        Expect.HasKeys(r, d.GetProperty("storage_policy"), "id", "name", "type", "max_size");
        Expect.That(r, V4Expect.Names(d).Contains(T.WorkName), "the work folder in the root listing");
    }

    [V4Check]
    public async Task Cap10_create_folder_answers_the_file_object()
    {
        var uri = T.NewUri("created");
        var r = await Main.Create(uri, "folder");
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "type", "id", "name", "created_at", "updated_at", "size", "metadata", "path", "capability", "owned", "primary_entity");
        Expect.Equal(r, 1, d.GetProperty("type").GetInt32(), "type");
        Expect.Equal(r, uri, d.GetProperty("path").GetString(), "path");
        Expect.Equal(r, System.Text.Json.JsonValueKind.Null, d.GetProperty("metadata").ValueKind, "metadata");
        var listing = Expect.Ok(await Main.List(T.WorkUri));
        Expect.That(r, V4Expect.Names(listing).Contains(uri[(uri.LastIndexOf('/') + 1)..]), "the new folder in the listing");
    }

    [V4Check]
    public async Task Cap11_create_again_with_err_on_conflict_is_40004()
    {
        var uri = await T.NewFolder("conflict");
        V4Expect.Error(await Main.Create(uri, "folder", errOnConflict: true), 40004, "Object existed");
    }

    [V4Check]
    public async Task Cap56_listing_a_missing_folder_is_40016()
    {
        V4Expect.Error(await Main.List(T.WorkUri + "/does-not-exist"), 40016, "Path not exist");
    }

    [V4Check]
    public async Task Cap55_listing_a_malformed_uri_is_40001_unknown_uri()
    {
        V4Expect.Error(await Main.Get("/file?uri=notauri"), 40001, "unknown uri");
    }

    /// <summary>A folder with folders d0, d1 and files f0..f6 (created in that order).</summary>
    private async Task<string> Many()
    {
        var folder = await T.NewFolder("many");
        foreach (var d in new[] { "d1", "d0" }) Expect.Ok(await Main.Create(folder + "/" + d, "folder"));
        for (var i = 6; i >= 0; i--) Expect.Ok(await Main.Create($"{folder}/f{i}.txt", "file"));
        return folder;
    }

    [V4Check]
    public async Task Cap212_213_cursor_paging_returns_every_item_once_and_the_last_page_has_no_next_token()
    {
        var folder = await Many();
        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var r = await Main.List(folder, "&page_size=4" + (next == null ? "" : "&next_page_token=" + Uri.EscapeDataString(next)));
            var d = Expect.Ok(r);
            var p = d.GetProperty("pagination");
            Expect.Equal(r, 0, p.GetProperty("page").GetInt32(), "pagination.page");
            Expect.Equal(r, 4, p.GetProperty("page_size").GetInt32(), "pagination.page_size");
            Expect.Equal(r, true, p.GetProperty("is_cursor").GetBoolean(), "pagination.is_cursor");
            seen.AddRange(V4Expect.Names(d));
            next = p.TryGetProperty("next_token", out var t) ? t.GetString() : null;
            pages++;
            Expect.That(r, pages <= 3, "at most 3 pages for 9 items");
        }
        while (next != null);
        // folders first, then files, each by name (section 5.1)
        var expected = new[] { "d0", "d1", "f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt", "f6.txt" };
        if (!seen.SequenceEqual(expected)) throw new Xunit.Sdk.XunitException($"GET /file?uri={folder}: expected [{string.Join(", ", expected)}]; got [{string.Join(", ", seen)}]");
        Expect.That(await Main.List(folder), pages == 3, "3 pages (4/4/1)");
    }

    [V4Check]
    public async Task Cap214_order_by_name_desc_and_the_view_echoes_the_order()
    {
        var folder = await Many();
        var r = await Main.List(folder, "&order_by=name&order_direction=desc");
        var d = Expect.Ok(r);
        var names = V4Expect.Names(d);
        Expect.Equal(r, "d1,d0,f6.txt,f5.txt,f4.txt,f3.txt,f2.txt,f1.txt,f0.txt", string.Join(',', names), "order");
        Expect.Equal(r, "name", d.GetProperty("view").GetProperty("order").GetString(), "view.order");
        Expect.Equal(r, "desc", d.GetProperty("view").GetProperty("order_direction").GetString(), "view.order_direction");
    }

    [V4Check]
    public async Task Cap215_216_page_size_above_2000_is_clamped_and_0_means_100()
    {
        var r = await Main.List(T.WorkUri, "&page_size=2001");
        Expect.Equal(r, 2000, Expect.Ok(r).GetProperty("pagination").GetProperty("page_size").GetInt32(), "clamped page_size");
        var z = await Main.List(T.WorkUri, "&page_size=0");
        Expect.Equal(z, 100, Expect.Ok(z).GetProperty("pagination").GetProperty("page_size").GetInt32(), "page_size for 0");
        var n = await Main.List(T.WorkUri, "&page_size=-5");
        Expect.Equal(n, 100, Expect.Ok(n).GetProperty("pagination").GetProperty("page_size").GetInt32(), "page_size for -5");
    }

    [V4Check]
    public async Task Cap217_page_is_ignored_in_cursor_mode()
    {
        var folder = await Many();
        var first = V4Expect.Names(Expect.Ok(await Main.List(folder, "&page_size=4")));
        var r = await Main.List(folder, "&page_size=4&page=1");
        Expect.Equal(r, string.Join(',', first), string.Join(',', V4Expect.Names(Expect.Ok(r))), "names with page=1");
    }

    [V4Check]
    public async Task Cap218_a_garbled_next_page_token_is_code_minus_1_with_an_empty_msg()
    {
        V4Expect.Error(await Main.List(T.WorkUri, "&next_page_token=garbage"), -1, "");
    }

    [V4Check]
    public async Task Cap219_an_unknown_order_by_is_ignored()
    {
        var folder = await Many();
        var r = await Main.List(folder, "&order_by=bogus");
        Expect.Equal(r, "d0,d1,f0.txt,f1.txt,f2.txt,f3.txt,f4.txt,f5.txt,f6.txt", string.Join(',', V4Expect.Names(Expect.Ok(r))), "default order");
    }

    [V4Check]
    public async Task Cap12_listing_entries_carry_metadata_objects_and_the_parent_null()
    {
        var folder = await Many();
        var r = await Main.List(folder);
        var d = Expect.Ok(r);
        Expect.Equal(r, System.Text.Json.JsonValueKind.Null, d.GetProperty("parent").GetProperty("metadata").ValueKind, "parent.metadata");
        foreach (var f in d.GetProperty("files").EnumerateArray())
        {
            Expect.Equal(r, System.Text.Json.JsonValueKind.Object, f.GetProperty("metadata").ValueKind, f.GetProperty("name").GetString() + ".metadata");
            Expect.Equal(r, f.GetProperty("name").GetString()!.StartsWith('d') ? 1 : 0, f.GetProperty("type").GetInt32(), "type");
            Expect.Equal(r, true, f.GetProperty("owned").GetBoolean(), "owned");
        }
    }

    [V4SandboxCheck]
    public async Task Cap220_to_223_page_mode_numbers_pages_from_0_with_total_items()
    {
        // A sandbox of its own with use_cursor_pagination off (an admin setting on a real server).
        await using var host = await Cloudreve.Sandbox.Hosting.SandboxHost.StartAsync(new Cloudreve.Sandbox.Hosting.SandboxOptions
        {
            ServerVersion = Cloudreve.Sandbox.Hosting.ServerVersions.V4,
            AdminPassword = "page-mode-admin",
            CursorPagination = false,
        });
        using var c = new V4Client(host.BaseUri);
        await c.Login(host.AdminEmail, "page-mode-admin", null);
        for (var i = 0; i < 5; i++) Expect.Ok(await c.Create($"cloudreve://my/p/f{i}.txt", "file"));
        var r0 = await c.List("cloudreve://my/p", "&page_size=2");
        var p0 = Expect.Ok(r0).GetProperty("pagination");
        Expect.Keys(r0, p0, "page", "page_size", "total_items");
        Expect.Equal(r0, 5, p0.GetProperty("total_items").GetInt32(), "total_items");
        Expect.Equal(r0, "f0.txt,f1.txt", string.Join(',', V4Expect.Names(r0.Data)), "page 0");
        var r2 = await c.List("cloudreve://my/p", "&page_size=2&page=2");
        Expect.Equal(r2, "f4.txt", string.Join(',', V4Expect.Names(Expect.Ok(r2))), "page 2");
        Expect.Equal(r2, 2, r2.Data.GetProperty("pagination").GetProperty("page").GetInt32(), "pagination.page");
        var r3 = await c.List("cloudreve://my/p", "&page_size=2&page=3");
        Expect.Equal(r3, 0, V4Expect.Names(Expect.Ok(r3)).Count, "a page past the end is empty");
    }

    [V4SandboxCheck]
    public async Task Page_size_limit_option_clamps_like_the_2000_maximum()
    {
        await using var host = await Cloudreve.Sandbox.Hosting.SandboxHost.StartAsync(new Cloudreve.Sandbox.Hosting.SandboxOptions
        {
            ServerVersion = Cloudreve.Sandbox.Hosting.ServerVersions.V4,
            AdminPassword = "page-limit-admin",
            PageSizeLimit = 3,
        });
        using var c = new V4Client(host.BaseUri);
        await c.Login(host.AdminEmail, "page-limit-admin", null);
        for (var i = 0; i < 4; i++) Expect.Ok(await c.Create($"cloudreve://my/p/f{i}.txt", "file"));
        var r = await c.List("cloudreve://my/p", "&page_size=10");
        var d = Expect.Ok(r);
        Expect.Equal(r, 3, d.GetProperty("pagination").GetProperty("page_size").GetInt32(), "page_size");
        Expect.Equal(r, 3, d.GetProperty("props").GetProperty("max_page_size").GetInt32(), "props.max_page_size");
        Expect.Equal(r, 3, V4Expect.Names(d).Count, "items on page 1");
        Expect.That(r, d.GetProperty("pagination").TryGetProperty("next_token", out _), "a next_token");
    }
}

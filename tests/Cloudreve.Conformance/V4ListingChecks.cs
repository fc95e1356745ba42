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
}

using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 8: delete to the trash, permanent delete, trash listing, restore, empty trash.</summary>
public sealed class V4TrashChecks : V4Checks
{
    public V4TrashChecks(V4Target t) : base(t)
    {
    }

    /// <summary>The trash entry whose sys:restore_uri is the given URI.</summary>
    private async Task<JsonElement?> TrashEntry(string restoreUri)
    {
        foreach (var e in await ListAll("cloudreve://trash/", 2000))
        {
            if (e.GetProperty("metadata").TryGetProperty("sys:restore_uri", out var r) && r.GetString() == restoreUri) return e;
        }
        return null;
    }

    [V4Check]
    public async Task Cap280_to_283_delete_moves_to_the_trash_with_restore_metadata()
    {
        var folder = await T.NewFolder("trash");
        var file = folder + "/a%23b.txt";
        Expect.Ok(await Main.Create(file, "file"));
        var r = await Main.Delete("/file", new { uris = new[] { file } });
        Expect.Ok(r);
        Expect.Keys(r, r.Json, "code", "msg");
        // cap 283: the original URI is gone
        V4Expect.Error(await Main.Info(file), 40016, "Path not exist");
        // cap 281: the trash lists it under cloudreve://trash/<uuid>
        var entry = await TrashEntry(file) ?? throw new Xunit.Sdk.XunitException($"no trash entry with sys:restore_uri {file}");
        Expect.Equal(r, "a#b.txt", entry.GetProperty("name").GetString(), "trash entry name");
        var path = entry.GetProperty("path").GetString()!;
        Expect.That(r, path.StartsWith("cloudreve://trash/", StringComparison.Ordinal) && Guid.TryParse(path["cloudreve://trash/".Length..], out _), "a cloudreve://trash/<uuid> path");
        Expect.Equal(r, "AMIK", entry.GetProperty("capability").GetString(), "capability");
        Expect.That(r, long.TryParse(entry.GetProperty("metadata").GetProperty("sys:expected_collect_time").GetString(), out var collect)
            && collect > DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "sys:expected_collect_time in the future (Unix seconds as a string)");
        // cap 282: info on the trash URI works
        var info = await Main.Info(path);
        Expect.Equal(info, "a#b.txt", Expect.Ok(info).GetProperty("name").GetString(), "name");
        // clean up for good
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { path }, skip_soft_delete = true }));
    }

    [V4Check]
    public async Task Cap281_trash_listing_has_a_zero_parent_and_trash_props()
    {
        var r = await Main.List("cloudreve://trash/");
        var d = Expect.Ok(r);
        Expect.Keys(r, d.GetProperty("parent"), "type", "id", "name", "created_at", "updated_at", "size", "metadata");
        Expect.Equal(r, "", d.GetProperty("parent").GetProperty("id").GetString(), "parent.id");
        Expect.Equal(r, "AMIK", d.GetProperty("props").GetProperty("capability").GetString(), "props.capability");
        Expect.That(r, !d.TryGetProperty("storage_policy", out _), "no storage_policy");
        Expect.Equal(r, "list", d.GetProperty("view").GetProperty("view").GetString(), "view.view");
    }

    [V4Check]
    public async Task Cap284_to_286_restore_puts_the_item_back_and_the_original_uri_is_refused()
    {
        var folder = await T.NewFolder("restore");
        var file = folder + "/back.txt";
        Expect.Ok(await Main.Create(file, "file"));
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { file } }));
        var entry = (await TrashEntry(file))!.Value;
        // cap 284: the original URI is not a trash URI
        V4Expect.Aggregated(await Main.Post("/file/restore", new { uris = new[] { file } }), file, 403);
        // cap 285, 286
        var r = await Main.Post("/file/restore", new { uris = new[] { entry.GetProperty("path").GetString() } });
        Expect.Ok(r);
        Expect.Equal(r, entry.GetProperty("id").GetString(), Expect.Ok(await Main.Info(file)).GetProperty("id").GetString(), "id after restore");
        Expect.That(r, await TrashEntry(file) == null, "the entry left the trash");
    }

    [V4Check]
    public async Task Cap287_to_289_restore_onto_a_retaken_name_is_40081_inner_40004_and_stays_in_the_trash()
    {
        var folder = await T.NewFolder("retaken");
        var sub = folder + "/p1%20renamed";
        Expect.Ok(await Main.Create(sub, "folder"));
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { sub } }));
        Expect.Ok(await Main.Create(sub, "folder")); // cap 287: the name is free again
        var trashUri = (await TrashEntry(sub))!.Value.GetProperty("path").GetString()!;
        var r = await Main.Post("/file/restore", new { uris = new[] { trashUri } });
        var inner = V4Expect.Aggregated(r, trashUri, 40004);
        Expect.Equal(r, "Object existed", inner.GetProperty("msg").GetString(), "inner msg");
        Expect.That(r, await TrashEntry(sub) != null, "the item stays in the trash (cap 289)");
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { trashUri }, skip_soft_delete = true }));
    }

    [V4Check]
    public async Task Cap290_skip_soft_delete_deletes_for_good()
    {
        var folder = await T.NewFolder("permanent");
        var file = folder + "/gone.txt";
        Expect.Ok(await Main.Create(file, "file"));
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { file }, skip_soft_delete = true }));
        V4Expect.Error(await Main.Info(file), 40016);
        Expect.That(await Main.List(folder), await TrashEntry(file) == null, "nothing in the trash");
    }

    [V4Check]
    public async Task Cap291_deleting_a_trash_item_without_skip_soft_delete_is_40081_inner_403()
    {
        var folder = await T.NewFolder("trash-delete");
        var file = folder + "/x.txt";
        Expect.Ok(await Main.Create(file, "file"));
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { file } }));
        var trashUri = (await TrashEntry(file))!.Value.GetProperty("path").GetString()!;
        var r = await Main.Delete("/file", new { uris = new[] { trashUri } });
        V4Expect.Aggregated(r, trashUri, 403);
        Expect.That(r, await TrashEntry(file) != null, "still in the trash");
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { trashUri }, skip_soft_delete = true })); // cap 44, 484
        Expect.That(r, await TrashEntry(file) == null, "gone after skip_soft_delete");
    }

    [V4Check]
    public async Task Cap293_deleting_a_missing_item_is_40081_inner_40016_and_the_others_are_deleted()
    {
        var folder = await T.NewFolder("missing");
        var present = folder + "/present.txt";
        var missing = folder + "/missing.txt";
        Expect.Ok(await Main.Create(present, "file"));
        var r = await Main.Delete("/file", new { uris = new[] { missing, present }, skip_soft_delete = true });
        var inner = V4Expect.Aggregated(r, missing, 40016);
        Expect.Equal(r, "Path not exist", inner.GetProperty("msg").GetString(), "inner msg");
        Expect.Equal(r, r.Json.GetProperty("correlation_id").GetString(), inner.GetProperty("correlation_id").GetString(), "shared correlation_id");
        Expect.That(r, !r.Json.GetProperty("aggregated_error").TryGetProperty(present, out _), "no entry for the deleted item");
        V4Expect.Error(await Main.Info(present), 40016);
    }

    [V4Check]
    public async Task Cap294_deleting_the_root_is_40081_inner_403_keyed_without_slash()
    {
        var r = await Main.Delete("/file", new { uris = new[] { "cloudreve://my/" } });
        V4Expect.Aggregated(r, "cloudreve://my", 403);
        Expect.Ok(await Main.List("cloudreve://my/"));
    }

    [V4Check]
    public async Task Cap473_more_than_3000_uris_is_40074()
    {
        var uris = Enumerable.Range(0, 3001).Select(i => $"{T.WorkUri}/x{i}").ToArray();
        V4Expect.Error(await Main.Delete("/file", new { uris }), 40074, "Maximum allowed batch size: 3000");
    }

    [V4SandboxCheck]
    public async Task Cap296_297_empty_trash_removes_every_entry()
    {
        // Empties the whole trash of the account, so only against the sandbox.
        var folder = await T.NewFolder("empty");
        Expect.Ok(await Main.Create(folder + "/one.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/two", "folder"));
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { folder + "/one.txt", folder + "/two" } }));
        Expect.That(await Main.List("cloudreve://trash/"), (await ListAll("cloudreve://trash/")).Count >= 2, "two entries before");
        var r = await Main.Delete("/file/trash");
        Expect.Ok(r);
        Expect.Equal(r, 0, (await ListAll("cloudreve://trash/")).Count, "entries after");
    }
}

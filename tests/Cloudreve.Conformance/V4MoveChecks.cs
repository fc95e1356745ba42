namespace Cloudreve.Conformance;

/// <summary>v4 reference section 9: move, copy, rename.</summary>
public sealed class V4MoveChecks : V4Checks
{
    public V4MoveChecks(V4Target t) : base(t)
    {
    }

    private async Task<(string Folder, string Dst)> Setup(string name)
    {
        var folder = await T.NewFolder(name);
        var dst = folder + "/dst";
        Expect.Ok(await Main.Create(dst, "folder"));
        return (folder, dst);
    }

    [V4Check]
    public async Task Cap251_252_move_files_from_different_folders_in_one_call()
    {
        var (folder, dst) = await Setup("move");
        Expect.Ok(await Main.Create(folder + "/a.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/sub/b.txt", "file"));
        var r = await Main.Post("/file/move", new { uris = new[] { folder + "/a.txt", folder + "/sub/b.txt" }, dst });
        Expect.Ok(r);
        var names = V4Expect.Names(Expect.Ok(await Main.List(dst)));
        Expect.That(r, names.Contains("a.txt") && names.Contains("b.txt"), "both files in dst");
        V4Expect.Error(await Main.Info(folder + "/a.txt"), 40016);
        V4Expect.Error(await Main.Info(folder + "/sub/b.txt"), 40016);
    }

    [V4Check]
    public async Task Cap253_254_266_copy_keeps_the_source_and_copies_folder_content()
    {
        var (folder, dst) = await Setup("copy");
        Expect.Ok(await Main.Create(folder + "/tree/inner/leaf.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/c.txt", "file"));
        var r = await Main.Post("/file/move", new { uris = new[] { folder + "/c.txt", folder + "/tree" }, dst, copy = true });
        Expect.Ok(r);
        Expect.Ok(await Main.Info(folder + "/c.txt"));
        Expect.Ok(await Main.Info(dst + "/c.txt"));
        Expect.Ok(await Main.Info(dst + "/tree/inner/leaf.txt"));
        Expect.Ok(await Main.Info(folder + "/tree/inner/leaf.txt"));
        Expect.That(r, Expect.Ok(await Main.Info(dst + "/c.txt")).GetProperty("id").GetString() != Expect.Ok(await Main.Info(folder + "/c.txt")).GetProperty("id").GetString(), "a copy is a new object");
        // cap 254: copying again onto the same names
        V4Expect.Error(await Main.Post("/file/move", new { uris = new[] { folder + "/c.txt" }, dst, copy = true }), 40004, "Object existed");
    }

    [V4Check]
    public async Task Cap255_to_257_one_conflict_fails_the_whole_batch_and_moves_nothing()
    {
        var (folder, dst) = await Setup("atomic");
        Expect.Ok(await Main.Create(folder + "/free.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/taken.txt", "file"));
        Expect.Ok(await Main.Create(dst + "/taken.txt", "file"));
        var r = await Main.Post("/file/move", new { uris = new[] { folder + "/free.txt", folder + "/taken.txt" }, dst });
        V4Expect.Error(r, 40004, "Object existed");
        Expect.Ok(await Main.Info(folder + "/free.txt"));
        V4Expect.Error(await Main.Info(dst + "/free.txt"), 40016);
    }

    [V4Check]
    public async Task Cap258_259_260_folder_into_itself_or_a_descendant_is_40081_inner_403()
    {
        var (folder, _) = await Setup("self");
        var p1 = folder + "/p1";
        Expect.Ok(await Main.Create(p1 + "/p2", "folder"));
        var r = await Main.Post("/file/move", new { uris = new[] { p1 }, dst = p1 + "/p2" });
        V4Expect.Aggregated(r, p1, 403);
        Expect.Equal(r, "Not supported action: cannot move or copy folder to itself or its descendant", r.Json.GetProperty("msg").GetString(), "msg");
        V4Expect.Aggregated(await Main.Post("/file/move", new { uris = new[] { p1 }, dst = p1 }), p1, 403);
        V4Expect.Aggregated(await Main.Post("/file/move", new { uris = new[] { p1 }, dst = p1 + "/p2", copy = true }), p1, 403);
        Expect.Ok(await Main.Info(p1 + "/p2"));
    }

    [V4Check]
    public async Task Cap261_move_into_the_current_parent_is_40073_with_its_own_lock()
    {
        var (folder, _) = await Setup("same-parent");
        var file = folder + "/100%25.txt";
        Expect.Ok(await Main.Create(file, "file"));
        var r = await Main.Post("/file/move", new { uris = new[] { file }, dst = folder });
        V4Expect.Error(r, 40073, "Lock conflict");
        var lockEntry = r.Data.EnumerateArray().Single();
        Expect.Equal(r, file, lockEntry.GetProperty("path").GetString(), "data[0].path");
        Expect.Equal(r, "moveCopy", lockEntry.GetProperty("owner").GetProperty("application").GetProperty("type").GetString(), "data[0].owner.application.type");
        // cap 267 ran right after: the lock is gone
        Expect.Ok(await Main.Post("/file/rename", new { uri = file, new_name = "hundred %.txt" }));
    }

    [V4Check]
    public async Task Cap262_copy_into_the_current_parent_is_40004()
    {
        var (folder, _) = await Setup("copy-same");
        Expect.Ok(await Main.Create(folder + "/c.txt", "file"));
        V4Expect.Error(await Main.Post("/file/move", new { uris = new[] { folder + "/c.txt" }, dst = folder, copy = true }), 40004, "Object existed");
    }

    [V4Check]
    public async Task Cap263_264_265_missing_dst_file_dst_and_missing_source()
    {
        var (folder, dst) = await Setup("errors");
        Expect.Ok(await Main.Create(folder + "/f.txt", "file"));
        V4Expect.Error(await Main.Post("/file/move", new { uris = new[] { folder + "/f.txt" }, dst = folder + "/nowhere" }), 40016, "Path not exist");
        V4Expect.Error(await Main.Post("/file/move", new { uris = new[] { folder + "/dst" }, dst = folder + "/f.txt" }), 403, "Not supported action");
        var r = await Main.Post("/file/move", new { uris = new[] { folder + "/missing.txt" }, dst });
        Expect.Equal(r, "Path not exist", V4Expect.Aggregated(r, folder + "/missing.txt", 40016).GetProperty("msg").GetString(), "inner msg");
    }

    [V4Check]
    public async Task Cap267_272_rename_answers_the_object_with_its_new_escaped_path()
    {
        var (folder, _) = await Setup("rename");
        Expect.Ok(await Main.Create(folder + "/old.txt", "file"));
        var r = await Main.Post("/file/rename", new { uri = folder + "/old.txt", new_name = "hundred %.txt" });
        var d = Expect.Ok(r);
        Expect.Equal(r, "hundred %.txt", d.GetProperty("name").GetString(), "name");
        Expect.Equal(r, folder + "/hundred%20%25.txt", d.GetProperty("path").GetString(), "path");
        var f = await Main.Post("/file/rename", new { uri = folder + "/dst", new_name = "dst renamed" });
        Expect.Equal(f, folder + "/dst%20renamed", Expect.Ok(f).GetProperty("path").GetString(), "folder path");
    }

    [V4Check]
    public async Task Cap268_to_275_rename_conflict_illegal_empty_same_case_and_root()
    {
        var (folder, _) = await Setup("rename-rules");
        var a = folder + "/a.txt";
        Expect.Ok(await Main.Create(a, "file"));
        Expect.Ok(await Main.Create(folder + "/b.txt", "file"));
        V4Expect.Error(await Main.Post("/file/rename", new { uri = a, new_name = "b.txt" }), 40004, "Object existed"); // 268
        V4Expect.Error(await Main.Post("/file/rename", new { uri = a, new_name = "x:y.txt" }), 40052, "Invalid object name"); // 269
        V4Expect.Error(await Main.Post("/file/rename", new { uri = a, new_name = ".." }), 40052, "Invalid object name"); // 275
        V4Expect.Error(await Main.Post("/file/rename", new { uri = a, new_name = "" }), 40001, "NewName cannot be empty", correlation: false); // 274
        Expect.Ok(await Main.Post("/file/rename", new { uri = a, new_name = "a.txt" })); // 270
        var r = await Main.Post("/file/rename", new { uri = a, new_name = "A.txt" }); // 271
        Expect.Equal(r, "A.txt", Expect.Ok(r).GetProperty("name").GetString(), "case-only rename");
        V4Expect.Error(await Main.Post("/file/rename", new { uri = "cloudreve://my/", new_name = "x" }), 403, "Not supported action"); // 273
    }
}

using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference sections 6 and 7: file info and create.</summary>
public sealed class V4InfoChecks : V4Checks
{
    public V4InfoChecks(V4Target t) : base(t)
    {
    }

    [V4Check]
    public async Task Cap16_203_info_by_uri_and_by_id_answer_the_same_object()
    {
        var folder = await T.NewFolder("info");
        var created = Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        var byUri = await Main.Info(folder + "/a%20b.txt");
        var d = Expect.Ok(byUri);
        Expect.Keys(byUri, d, "type", "id", "name", "created_at", "updated_at", "size", "metadata", "path", "capability", "owned", "primary_entity");
        Expect.Equal(byUri, JsonValueKind.Object, d.GetProperty("metadata").ValueKind, "metadata");
        Expect.Equal(byUri, created.GetProperty("id").GetString(), d.GetProperty("id").GetString(), "id");
        var byId = await Main.Get("/file/info?id=" + Uri.EscapeDataString(d.GetProperty("id").GetString()!));
        Expect.Equal(byId, folder + "/a%20b.txt", Expect.Ok(byId).GetProperty("path").GetString(), "path by id");
    }

    [V4Check]
    public async Task Cap232_info_on_the_root_is_403_not_supported()
    {
        V4Expect.Error(await Main.Info("cloudreve://my/"), 403, "Not supported action");
    }

    [V4Check]
    public async Task Cap230_extended_info_has_policy_and_storage_used()
    {
        var folder = await T.NewFolder("extended");
        Expect.Ok(await Main.Create(folder + "/e.txt", "file"));
        var r = await Main.Info(folder + "/e.txt", "&extended=true");
        var ext = Expect.Ok(r).GetProperty("extended_info");
        Expect.HasKeys(r, ext, "storage_policy", "storage_used");
        Expect.HasKeys(r, ext.GetProperty("storage_policy"), "id", "name", "type", "max_size");
        Expect.Equal(r, 0L, ext.GetProperty("storage_used").GetInt64(), "storage_used of an empty file");
        Expect.That(r, !Expect.Ok(await Main.Info(folder + "/e.txt")).TryGetProperty("extended_info", out _), "no extended_info without extended=true");
    }

    [V4Check]
    public async Task Cap231_folder_summary_counts_recursively()
    {
        var folder = await T.NewFolder("summary");
        Expect.Ok(await Main.Create(folder + "/a.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/sub/b.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/sub/deeper/c.txt", "file"));
        var r = await Main.Info(folder, "&folder_summary=true");
        var s = Expect.Ok(r).GetProperty("folder_summary");
        Expect.Keys(r, s, "size", "files", "folders", "completed", "calculated_at");
        Expect.Equal(r, 3L, s.GetProperty("files").GetInt64(), "files");
        Expect.Equal(r, 2L, s.GetProperty("folders").GetInt64(), "folders");
        Expect.Equal(r, true, s.GetProperty("completed").GetBoolean(), "completed");
    }

    [V4SecondUserCheck]
    public async Task Cap474_an_ordinary_user_asking_for_another_users_file_by_id_is_40082()
    {
        var other = await T.LoginSecondAsync();
        var id = Expect.Ok(await Main.Info(T.WorkUri)).GetProperty("id").GetString()!;
        V4Expect.Error(await other.Get("/file/info?id=" + Uri.EscapeDataString(id)), 40082, "Only owner or administrator can perform this action");
    }

    [V4Check]
    public async Task Cap233_to_237_create_parents_idempotence_and_type_clash()
    {
        var folder = await T.NewFolder("create");
        var r = await Main.Create(folder + "/p1/p2/p3", "folder"); // cap 233
        Expect.Equal(r, folder + "/p1/p2/p3", Expect.Ok(r).GetProperty("path").GetString(), "path");
        Expect.Ok(await Main.Info(folder + "/p1/p2"));
        var file = Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        var again = await Main.Create(folder + "/a%20b.txt", "file"); // cap 234
        Expect.Equal(again, file.GetProperty("id").GetString(), Expect.Ok(again).GetProperty("id").GetString(), "the existing object");
        V4Expect.Error(await Main.Create(folder + "/a%20b.txt", "file", errOnConflict: true), 40004, "Object existed"); // cap 235
        V4Expect.Error(await Main.Create(folder + "/a%20b.txt", "folder"), 40004, "Object existed"); // cap 236
        V4Expect.Error(await Main.Create(folder + "/p1", "file"), 40004, "Object existed"); // cap 237
    }

    [V4Check]
    public async Task Cap238_239_243_244_create_under_a_file_bad_type_root_and_trash()
    {
        var folder = await T.NewFolder("create-errors");
        Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        V4Expect.Error(await Main.Create(folder + "/a%20b.txt/child.txt", "file"), 403, "Not supported action"); // cap 238
        V4Expect.Error(await Main.Create(folder + "/x", "dir"), 40001, "Invalid parameters.", correlation: false); // cap 239
        var root = await Main.Create("cloudreve://my/", "folder"); // cap 243
        var d = Expect.Ok(root);
        Expect.Equal(root, "cloudreve://my/", d.GetProperty("path").GetString(), "path");
        Expect.Equal(root, "", d.GetProperty("name").GetString(), "name");
        V4Expect.Error(await Main.Create("cloudreve://trash/x", "folder"), 403, "Not supported action"); // cap 244
    }
}

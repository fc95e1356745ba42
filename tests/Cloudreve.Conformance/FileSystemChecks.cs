using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>Sections 4.3, 4.4, 6: listing, folders, delete, move, copy, rename, properties, names and paths.</summary>
public sealed class FileSystemChecks : Checks
{
    public FileSystemChecks(Target t) : base(t)
    {
    }

    private static readonly string[] ObjectKeys = ["id", "name", "path", "thumb", "size", "type", "date", "create_date", "source_enabled"];

    [Check]
    public async Task GET_directory_lists_parent_objects_and_policy()
    {
        var folder = await T.NewFolder("list");
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/sub" }));
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/f.txt" }));
        var r = await Main.Get("/directory" + folder);
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "parent", "objects", "policy");
        Expect.Keys(r, d.GetProperty("policy"), "id", "name", "type", "max_size", "file_type");
        var objects = d.GetProperty("objects").EnumerateArray().ToList();
        Expect.Equal(r, 2, objects.Count, "number of objects");
        Expect.Keys(r, objects[0], ObjectKeys);
        Expect.Equal(r, "dir", objects[0].GetProperty("type").GetString(), "objects[0].type (folders first)");
        Expect.Equal(r, "file", objects[1].GetProperty("type").GetString(), "objects[1].type");
        Expect.Equal(r, folder, objects[1].GetProperty("path").GetString(), "objects[1].path");
    }

    [Check]
    public async Task GET_directory_of_a_missing_or_non_normalised_path_answers_40016()
    {
        var folder = await T.NewFolder("missing");
        Expect.Code(await Main.Get("/directory" + folder + "/nope"), 40016, "Path not exist");
        Expect.Code(await Main.Get("/directory" + folder + "/"), 40016, "Path not exist");
        Expect.Code(await Main.Send(HttpMethod.Get, "/api/v3/directory" + folder.Replace("/", "//", StringComparison.Ordinal)), 40016);
    }

    [Check]
    public async Task PUT_directory_is_idempotent_cleans_the_path_and_validates()
    {
        var folder = await T.NewFolder("mkdir");
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/a//b/./c/../d/" }));
        Expect.Ok(await Main.Get("/directory" + folder + "/a/b/d"));
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/a" }));
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/trail " }));
        Expect.Ok(await Main.Get("/directory" + folder + "/trail"));
        Expect.Code(await Main.Put("/directory", new { path = "relative" }), 40053, "Root protected");
        Expect.Code(await Main.Put("/directory", new { path = "" }), 40001, "Path cannot be empty");
        Expect.Code(await Main.Put("/directory", new { path = folder + "/x:y" }), 40052, "Invalid object name");
        Expect.Code(await Main.Put("/directory", new { path = folder + "/" + new string('n', 256) }), 40052);
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/file" }));
        Expect.Code(await Main.Put("/directory", new { path = folder + "/file" }), 40004, "Object existed");
        Expect.Code(await Main.Put("/directory", "{not json"), 40001, "Parameter error");
    }

    [Check]
    public async Task POST_file_create_conflicts_and_name_rules()
    {
        var folder = await T.NewFolder("create");
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/new/a.txt" }));
        Expect.Code(await Main.Post("/file/create", new { path = folder + "/new/a.txt" }), 40004, "Object existed");
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/d1" }));
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/d1.txt" }));
        Expect.Code(await Main.Post("/file/create", new { path = folder + "/bad|name.txt" }), 40052);
        Expect.Code(await Main.Post("/file/create", new { path = "" }), 40001, "Path cannot be empty");
    }

    [Check]
    public async Task Rename_move_copy_delete_with_the_documented_codes()
    {
        var folder = await T.NewFolder("objects");
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/src/inner" }));
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/dst" }));
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/src/a.txt" }));
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/src/b.txt" }));
        var a = await IdOf(folder + "/src", "a.txt");
        var b = await IdOf(folder + "/src", "b.txt");
        var inner = await IdOf(folder + "/src", "inner");

        Expect.Code(await Main.Post("/object/rename", new { action = "rename", src = new { items = new[] { a }, dirs = Array.Empty<string>() }, new_name = "b.txt" }), 40004, "Object existed");
        Expect.Ok(await Main.Post("/object/rename", new { action = "rename", src = new { items = new[] { a }, dirs = Array.Empty<string>() }, new_name = "a.txt" }));
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { a, b } }, new_name = "z.txt" }), 40001, "You can only copy one object at the same time");
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { a } }, new_name = "" }), 40001, "NewName cannot be empty");
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { a } }, new_name = new string('x', 256) }), 40001, "NewName too long");
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { a } }, new_name = "trail " }), 40052, "Invalid object name");
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { "XXXX" } }, new_name = "q.txt" }), 40016, "Path not exist");
        Expect.Ok(await Main.Post("/object/rename", new { src = new { items = new[] { a } }, new_name = "a2.txt" }));

        Expect.Code(await Main.Patch("/object", new { action = "move", src_dir = folder + "/src", src = new { items = new[] { a }, dirs = Array.Empty<string>() }, dst = folder + "/nope" }), 40016, "Path not exist");
        Expect.Code(await Main.Patch("/object", new { src_dir = folder + "/src", src = new { dirs = new[] { inner } }, dst = folder + "/src/inner" }), 40004);
        Expect.Ok(await Main.Patch("/object", new { src_dir = folder + "/src", src = new { items = new[] { a }, dirs = new[] { inner } }, dst = folder + "/dst" }));
        await IdOf(folder + "/dst", "a2.txt");
        await IdOf(folder + "/dst", "inner");

        Expect.Code(await Main.Post("/object/copy", new { src_dir = folder + "/src", src = new { items = new[] { b }, dirs = new[] { inner } }, dst = folder + "/dst" }), 40001, "You can only copy one object at the same time");
        Expect.Ok(await Main.Post("/object/copy", new { src_dir = folder + "/src", src = new { items = new[] { b } }, dst = folder + "/dst" }));
        Expect.Code(await Main.Post("/object/copy", new { src_dir = folder + "/src", src = new { items = new[] { b } }, dst = folder + "/dst" }), 40016, "Object not exist");
        Expect.Code(await Main.Post("/object/copy", new { src_dir = folder + "/src", src = new { items = new[] { b } } }), 40001, "Dst cannot be empty");

        Expect.Ok(await Main.Delete("/object", new { items = new[] { b, "XXXX" }, dirs = Array.Empty<string>() }));
        Expect.Ok(await Main.Delete("/object", new { items = Array.Empty<string>(), dirs = Array.Empty<string>() }));
        Expect.Code(await Main.Send(HttpMethod.Delete, "/api/v3/object"), 40001, "Parameter error");
        var r = await Main.Get("/directory" + folder + "/src");
        Expect.Equal(r, 0, Expect.Ok(r).GetProperty("objects").GetArrayLength(), "objects left in src");
    }

    [Check]
    public async Task GET_object_property_of_files_and_folders()
    {
        var folder = await T.NewFolder("props");
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/p.txt" }));
        var file = await IdOf(folder, "p.txt");
        var r = await Main.Get($"/object/property/{file}?trace_root=true&is_folder=false");
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "created_at", "updated_at", "policy", "size", "child_folder_num", "child_file_num", "path", "query_date");
        Expect.Equal(r, folder, d.GetProperty("path").GetString(), "path");
        var parent = folder[..folder.LastIndexOf('/')];
        var dir = await IdOf(parent.Length == 0 ? "/" : parent, folder[(folder.LastIndexOf('/') + 1)..]);
        r = await Main.Get($"/object/property/{dir}?trace_root=false&is_folder=true");
        Expect.Equal(r, 1, Expect.Ok(r).GetProperty("child_file_num").GetInt32(), "child_file_num");
        Expect.Code(await Main.Get("/object/property/XXXX?trace_root=false&is_folder=false"), 404);
        Expect.Code(await Main.Get($"/object/property/{file}?trace_root=false&is_folder=true"), 404);
    }

    [Check]
    public async Task GET_file_search_by_keyword_type_and_path()
    {
        var folder = await T.NewFolder("search");
        var word = "kw" + Guid.NewGuid().ToString("N")[..8];
        Expect.Ok(await Main.Post("/file/create", new { path = $"{folder}/{word}.txt" }));
        Expect.Ok(await Main.Put("/directory", new { path = $"{folder}/{word}-dir" }));
        var r = await Main.Get($"/file/search/keywords/{word.ToUpperInvariant()}");
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "objects", "parent");
        Expect.Equal(r, 1, d.GetProperty("objects").GetArrayLength(), "number of files found (folders never)");
        Expect.Equal(r, "/", d.GetProperty("objects")[0].GetProperty("path").GetString(), "path of a search result");
        r = await Main.Get($"/file/search/doc/internal?path={Uri.EscapeDataString(folder)}");
        Expect.Equal(r, 1, Expect.Ok(r).GetProperty("objects").GetArrayLength(), "doc files in the folder");
        Expect.Code(await Main.Get("/file/search/nosuchtype/x"), 40001, "Unknown search type");
        Expect.Code(await Main.Get("/file/search/tag/XXXX"), 404);
        Expect.Code(await Main.Get($"/file/search/keywords/x?path={Uri.EscapeDataString(folder + "/nope")}"), 40016);
    }
}

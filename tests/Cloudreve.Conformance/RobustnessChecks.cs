using System.Text;

namespace Cloudreve.Conformance;

/// <summary>Hostile input gets the documented codes and never takes the server down.</summary>
public sealed class RobustnessChecks : Checks
{
    public RobustnessChecks(Target t) : base(t)
    {
    }

    private static readonly (string Method, string Path)[] JsonRoutes =
    [
        ("PUT", "/directory"), ("POST", "/file/create"), ("PUT", "/file/upload"), ("DELETE", "/object"), ("PATCH", "/object"),
        ("POST", "/object/copy"), ("POST", "/object/rename"), ("POST", "/share"), ("POST", "/webdav/accounts"), ("PATCH", "/webdav/accounts"),
        ("POST", "/file/source"), ("POST", "/user/session"),
    ];

    private Task<Reply> Raw(string method, string path, string body) =>
        Main.Send(new HttpMethod(method), "/api/v3" + path, new StringContent(body, Encoding.UTF8, "application/json"));

    [Check]
    public async Task Malformed_JSON_answers_40001_Parameter_error_on_every_JSON_route()
    {
        foreach (var (method, path) in JsonRoutes)
        {
            foreach (var body in new[] { "{", "{\"path\":", "not json", "[1,2", "\u0000" })
                Expect.Code(await Raw(method, path, body), 40001, "Parameter error");
        }
        Expect.Ok(await Main.Get("/site/ping"));
    }

    [Check]
    public async Task Wrong_JSON_types_answer_40001_JSON_marshall_error()
    {
        Expect.Code(await Raw("PUT", "/directory", "{\"path\":5}"), 40001, "JSON marshall error");
        Expect.Code(await Raw("POST", "/file/create", "{\"path\":[\"/a\"]}"), 40001, "JSON marshall error");
        Expect.Code(await Raw("PUT", "/file/upload", "{\"path\":\"/\",\"size\":-1,\"name\":\"a\",\"policy_id\":\"x\"}"), 40001, "JSON marshall error");
        Expect.Code(await Raw("DELETE", "/object", "{\"items\":\"abc\"}"), 40001, "JSON marshall error");
        Expect.Code(await Raw("POST", "/object/rename", "{\"src\":[],\"new_name\":\"x\"}"), 40001, "JSON marshall error");
        Expect.Code(await Raw("POST", "/share", "{\"id\":\"x\",\"downloads\":\"5\"}"), 40001, "JSON marshall error");
        Expect.Code(await Raw("POST", "/user/session", "[]"), 40001, "JSON marshall error");
        Expect.Ok(await Main.Get("/site/ping"));
    }

    [Check]
    public async Task Unknown_and_foreign_ids_answer_documented_codes()
    {
        Expect.Code(await Main.Put("/file/download/XXXX"), 40001, "Failed to parse object ID");
        Expect.Code(await Main.Get("/file/content/XXXX"), 40001, "Failed to parse object ID");
        Expect.Code(await Main.Get("/file/preview/0"), 40001, "Failed to parse object ID");
        Expect.Code(await Main.Get("/object/property/%E2%80%AE?is_folder=true"), 404);
        Expect.Code(await Main.Delete("/file/upload/not-a-session"), 40011);
        Expect.Code(await Main.Send(HttpMethod.Post, "/api/v3/file/upload/not-a-session/abc", new ByteArrayContent([1])), 40001, "Parameter error");
        Expect.Code(await Main.Get("/share/info/" + new string('A', 500)), 40058);
        Expect.Ok(await Main.Delete("/webdav/accounts/999999999"));
        Expect.Ok(await Main.Get("/site/ping"));
    }

    [Check]
    public async Task Hostile_names_get_40052_or_are_stored_verbatim()
    {
        var folder = await T.NewFolder("names");
        var pid = (await Policy()).GetProperty("id").GetString();
        foreach (var bad in new[] { "a/b", "a\\b", "q?", "s*", "l<", "g>", "p|", "c:", "d\"", "trail ", new string('x', 300), new string('文', 100) })
        {
            Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = bad, policy_id = pid }), 40052);
            Expect.Code(await Main.Put("/directory", new { path = folder + "/" + bad.Replace("/", "\\", StringComparison.Ordinal).TrimEnd(' ') + (bad.EndsWith(' ') ? "\\" : "") }), 40052);
        }
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/plain.txt" }));
        var id = await IdOf(folder, "plain.txt");
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { id } }, new_name = "a/b" }), 40052);
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { id } }, new_name = new string('x', 300) }), 40001, "NewName too long");
        Expect.Code(await Main.Post("/object/rename", new { src = new { items = new[] { id } }, new_name = new string('文', 84) + ".txt" }), 40052);
        var control = "ctl\u0001\t.txt";
        Expect.Ok(await Main.Post("/object/rename", new { src = new { items = new[] { id } }, new_name = control }));
        await IdOf(folder, control);
        Expect.Ok(await Main.Post("/object/rename", new { src = new { items = new[] { id } }, new_name = ".." }));
        await IdOf(folder, "..");
        Expect.Ok(await Main.Put("/directory", new { path = folder + "/../" + folder[(folder.LastIndexOf('/') + 1)..] + "/x" }));
        Expect.Ok(await Main.Get("/directory" + folder + "/x"));
        // path.Clean makes it "/", whose base name "/" is not a legal folder name.
        Expect.Code(await Main.Put("/directory", new { path = new string('/', 3) + "..//.." }), 40052);
        Expect.Code(await Main.Get("/directory" + folder + "/%2E%2E%2F%2E%2E"), 40016);
        Expect.Ok(await Main.Get("/site/ping"));
    }
}

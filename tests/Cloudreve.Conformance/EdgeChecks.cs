using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>Documented quirks: preview headers, server panics, manifest, cancel-all, other users' objects.</summary>
public sealed class EdgeChecks : Checks
{
    public EdgeChecks(Target t) : base(t)
    {
    }

    [Check]
    public async Task GET_manifest_json_is_a_web_app_manifest()
    {
        using var anon = new ApiClient(T.BaseUri);
        var r = await anon.Send(HttpMethod.Get, "/manifest.json");
        Expect.Status(r, 200);
        Expect.HasKeys(r, r.Json, "background_color", "display", "icons", "name", "short_name", "start_url", "theme_color");
    }

    [LocalPolicyCheck]
    public async Task GET_file_preview_serves_the_bytes_inline_with_a_sandbox_CSP()
    {
        var folder = await T.NewFolder("preview");
        var id = await Uploader.Upload(T, Main, folder, "p.txt", Encoding.UTF8.GetBytes("preview"));
        var r = await Main.Get($"/file/preview/{id}");
        Expect.Status(r, 200);
        Expect.Equal(r, "preview", r.Text, "body");
        Expect.Equal(r, "sandbox", r.Header("Content-Security-Policy"), "Content-Security-Policy");
        Expect.Equal(r, "", r.Header("Content-Disposition"), "Content-Disposition");
        using var anon = new ApiClient(T.BaseUri);
        Expect.Code(await anon.Get($"/file/preview/{id}"), 401);
    }

    [Check]
    public async Task GET_object_property_of_a_deleted_file_panics_with_an_empty_HTTP_500()
    {
        var folder = await T.NewFolder("panic");
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/gone.txt" }));
        var id = await IdOf(folder, "gone.txt");
        Expect.Ok(await Main.Delete("/object", new { items = new[] { id }, dirs = Array.Empty<string>() }));
        var r = await Main.Get($"/object/property/{id}?trace_root=false&is_folder=false");
        Expect.Status(r, 500);
        Expect.Equal(r, 0, r.Bytes.Length, "body length");
        Expect.Ok(await Main.Get("/site/ping"));
    }

    [SandboxCheck]
    public async Task DELETE_file_upload_cancels_every_session_of_the_user()
    {
        var folder = await T.NewFolder("cancel-all");
        var a = await Uploader.Session(T, Main, folder, "a.bin", 3);
        await Uploader.Session(T, Main, folder, "b.bin", 3);
        Expect.Ok(await Main.Delete("/file/upload"));
        Expect.Code(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{a.GetProperty("sessionID").GetString()}/0", new ByteArrayContent([1, 2, 3])), 40011);
        await Uploader.Session(T, Main, folder, "a.bin", 3);
    }

    [SandboxCheck]
    public async Task Other_users_objects_sessions_and_shares_are_not_found()
    {
        var folder = await T.NewFolder("foreign");
        var id = await Uploader.Upload(T, Main, folder, "mine.txt", Encoding.UTF8.GetBytes("mine"));
        var share = Expect.Ok(await Main.Post("/share", new { id, is_dir = false, downloads = -1, expire = 0 })).GetString()!.Split('/')[^1];
        var session = await Uploader.Session(T, Main, folder, "pending.bin", 3);
        var sid = session.GetProperty("sessionID").GetString();

        using var other = new ApiClient(T.BaseUri);
        await other.Login(Target.SecondEmail, Target.SecondPassword, null);
        Expect.Code(await other.Put($"/file/download/{id}"), 40016, "Object not exist");
        Expect.Code(await other.Get($"/file/content/{id}"), 40016);
        Expect.Code(await other.Send(HttpMethod.Put, $"/api/v3/file/update/{id}", new ByteArrayContent([1])), 40044);
        var panic = await other.Get($"/object/property/{id}?trace_root=false&is_folder=false");
        Expect.Status(panic, 500);
        Expect.Code(await other.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/0", new ByteArrayContent([1, 2, 3])), 40011);
        Expect.Code(await other.Delete($"/file/upload/{sid}"), 40011);
        Expect.Code(await other.Delete($"/share/{share}"), 40058);
        Expect.Code(await other.Patch($"/share/{share}", new { prop = "password", value = "x" }), 40058);
        Expect.Code(await other.Post("/share", new { id, is_dir = false }), 404);
        Expect.Ok(await other.Delete("/object", new { items = new[] { id }, dirs = Array.Empty<string>() }));
        await IdOf(folder, "mine.txt");
        var visit = await other.Put($"/share/download/{share}");
        Expect.That(visit, Expect.Ok(visit).GetString()!.StartsWith("/api/v3/file/download/", StringComparison.Ordinal), "a download URL for a share visitor");
    }
}

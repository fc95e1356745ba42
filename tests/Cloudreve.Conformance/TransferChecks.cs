using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Cloudreve.Conformance;

/// <summary>Sections 4.5, 4.6, 4.11, 5: upload sessions, chunks, cancel, callbacks, downloads, content, update, source links.</summary>
public sealed class TransferChecks : Checks
{
    public TransferChecks(Target t) : base(t)
    {
    }

    [Check]
    public async Task PUT_file_upload_validates_in_the_documented_order()
    {
        var folder = await T.NewFolder("session");
        var policy = await Policy();
        var pid = policy.GetProperty("id").GetString();
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, policy_id = pid }), 40001, "Name cannot be empty");
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = "a.txt" }), 40001, "PolicyID cannot be empty");
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = "a.txt", policy_id = "XXXX" }), 40035, "");
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = "trail.txt ", policy_id = pid }), 40052, "Invalid object name");
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = new string('n', 252) + ".txt", policy_id = pid }), 40052);
        Expect.Code(await Main.Put("/file/upload", new { path = "relative", size = 1, name = "a.txt", policy_id = pid }), 40053);
        var huge = 1L << 50;
        var r = await Main.Put("/file/upload", new { path = folder, size = huge, name = "huge.txt", policy_id = pid });
        Expect.Code(r, policy.GetProperty("max_size").GetInt64() > 0 ? 40049 : 40051);
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = "a.txt", policy_id = pid, last_modified = "x" }), 40001, "JSON marshall error");

        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/exists.txt" }));
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = "exists.txt", policy_id = pid }), 40004, "Object existed");
        var s = await Uploader.Session(T, Main, folder, "pending.txt", 10);
        Expect.Code(await Main.Put("/file/upload", new { path = folder, size = 1, name = "pending.txt", policy_id = pid }), 40054, "Upload session existed");
        Expect.Code(await Main.Post("/file/create", new { path = folder + "/pending.txt" }), 40054);
        var listing = await Main.Get("/directory" + folder);
        Expect.Equal(listing, 1, Expect.Ok(listing).GetProperty("objects").GetArrayLength(), "listed objects (placeholders are hidden)");

        var sid = s.GetProperty("sessionID").GetString();
        Expect.Ok(await Main.Delete($"/file/upload/{sid}"));
        Expect.Code(await Main.Delete($"/file/upload/{sid}"), 40011);
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/pending.txt" }));
    }

    [Check]
    public async Task Upload_round_trip_keeps_bytes_size_and_last_modified()
    {
        var folder = await T.NewFolder("roundtrip");
        var data = RandomNumberGenerator.GetBytes(2500);
        var id = await Uploader.Upload(T, Main, folder, "data.bin", data);
        var r = await Main.Get("/directory" + folder);
        var o = Expect.Ok(r).GetProperty("objects")[0];
        Expect.Equal(r, 2500L, o.GetProperty("size").GetInt64(), "size");
        Expect.Equal(r, "2023-11-14T22:13:20Z", o.GetProperty("date").GetString(), "date (= last_modified)");

        var url = await Main.Put($"/file/download/{id}");
        var link = Expect.Ok(url).GetString()!;
        using var anon = new ApiClient(T.BaseUri, cookies: false);
        var get = await anon.Send(HttpMethod.Get, link);
        Expect.Status(get, 200);
        Expect.That(get, get.Bytes.SequenceEqual(data), "the uploaded bytes");
        var ranged = await anon.Send(HttpMethod.Get, link, configure: m => m.Headers.Range = new RangeHeaderValue(100, 199));
        Expect.Status(ranged, 206);
        Expect.That(ranged, ranged.Bytes.SequenceEqual(data[100..200]), "bytes 100-199");
        Expect.Equal(ranged, "bytes 100-199/2500", ranged.Header("Content-Range"), "Content-Range");
        var unsatisfiable = await anon.Send(HttpMethod.Get, link, configure: m => m.Headers.Range = new RangeHeaderValue(5000, null));
        Expect.Status(unsatisfiable, 416);

        var content = await Main.Get($"/file/content/{id}");
        Expect.That(content, content.Bytes.SequenceEqual(data), "the file bytes");
        Expect.Equal(content, "no-cache", content.Header("Cache-Control"), "Cache-Control");
    }

    [LocalPolicyCheck]
    public async Task Local_chunks_enforce_order_length_and_session()
    {
        var folder = await T.NewFolder("chunks");
        Expect.Code(await Main.Send(HttpMethod.Post, "/api/v3/file/upload/00000000-0000-0000-0000-000000000000/0", new ByteArrayContent([1])), 40011);
        var s = await Uploader.Session(T, Main, folder, "c.bin", 3);
        var sid = s.GetProperty("sessionID").GetString();
        var chunk = s.GetProperty("chunkSize").GetInt64();
        Expect.Code(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/-1", new ByteArrayContent([1, 2, 3])), 40001, "Index too short");
        Expect.Code(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/0", new ByteArrayContent([1, 2])), 40013, "Invalid Content-Length (expected: 3)");
        var chunked = new StreamContent(new MemoryStream([1, 2, 3]));
        Expect.Code(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/0", chunked, m => m.Headers.TransferEncodingChunked = true), 40013);
        Expect.Code(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/1", new ByteArrayContent([1, 2, 3])), 40012);
        Expect.Ok(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/0", new ByteArrayContent([1, 2, 3])));
        Expect.Code(await Main.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/0", new ByteArrayContent([1, 2, 3])), 40011);
        Expect.That(await Main.Get("/directory/"), chunk > 0, "a chunk size");
    }

    [Check]
    public async Task Callbacks_for_unknown_sessions_answer_HTTP_401_with_40011()
    {
        using var anon = new ApiClient(T.BaseUri, cookies: false);
        Expect.Code(await anon.Get("/callback/s3/00000000-0000-0000-0000-000000000000"), 40011, "上传会话不存在或已过期", http: 401);
        Expect.Code(await anon.Post("/callback/onedrive/finish/00000000-0000-0000-0000-000000000000", "{}"), 40011, "上传会话不存在或已过期", http: 401);
    }

    [Check]
    public async Task Download_urls_and_their_errors()
    {
        var folder = await T.NewFolder("download");
        var id = await Uploader.Upload(T, Main, folder, "f a#b%c+d&e'f[g]h.txt", Encoding.UTF8.GetBytes("hello"));
        Expect.Code(await Main.Put($"/file/download/{await IdOf(T.WorkFolder, folder[(folder.LastIndexOf('/') + 1)..])}"), 40001, "Failed to parse object ID");
        var link = Expect.Ok(await Main.Put($"/file/download/{id}")).GetString()!;
        using var anon = new ApiClient(T.BaseUri, cookies: false);
        var get = await anon.Send(HttpMethod.Get, link);
        Expect.Equal(get, "hello", get.Text, "body");
        if (TargetEnvironment.PolicyType != "local") return;
        Expect.Equal(get, "attachment; filename=\"f%20a%23b%25c+d&e%27f%5Bg%5Dh.txt\"", get.Header("Content-Disposition"), "Content-Disposition");
        Expect.Equal(get, "public, max-age=86400", get.Header("Cache-Control"), "Cache-Control");
        Expect.That(get, link.StartsWith("/api/v3/file/download/", StringComparison.Ordinal), "a relative /api/v3/file/download/ URL");
        var again = await anon.Send(HttpMethod.Get, link);
        Expect.Equal(again, "hello", again.Text, "body of a second GET");
        var sign = link[(link.IndexOf("sign=", StringComparison.Ordinal) + 5)..];
        Expect.Code(await anon.Send(HttpMethod.Get, link.Replace(sign, "AAAA" + sign[4..], StringComparison.Ordinal)), 40071, "invalid sign");
        Expect.Code(await anon.Send(HttpMethod.Get, link[..link.IndexOf('?')]), 403, "expire timestamp is missing");
    }

    [Check]
    public async Task PUT_file_update_replaces_content_and_needs_a_content_length()
    {
        var folder = await T.NewFolder("update");
        Expect.Ok(await Main.Post("/file/create", new { path = folder + "/u.txt" }));
        var id = await IdOf(folder, "u.txt");
        Expect.Ok(await Main.Send(HttpMethod.Put, $"/api/v3/file/update/{id}", new ByteArrayContent(Encoding.UTF8.GetBytes("new content"))));
        var content = await Main.Get($"/file/content/{id}");
        Expect.Equal(content, "new content", content.Text, "content after update");
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("x")));
        Expect.Code(await Main.Send(HttpMethod.Put, $"/api/v3/file/update/{id}", chunked, m => m.Headers.TransferEncodingChunked = true), 40001, "Invalid content-length value");
        Expect.Code(await Main.Send(HttpMethod.Put, "/api/v3/file/update/XXXX", new ByteArrayContent([1])), 40001, "Failed to parse object ID");
    }

    [LocalPolicyCheck]
    public async Task Source_links_redirect_to_a_signed_get()
    {
        var folder = await T.NewFolder("source");
        var id = await Uploader.Upload(T, Main, folder, "s.txt", Encoding.UTF8.GetBytes("source"));
        var r = await Main.Post("/file/source", new { items = new[] { id, "XXXX" } });
        var arr = Expect.Ok(r);
        Expect.Equal(r, 1, arr.GetArrayLength(), "number of links");
        Expect.Keys(r, arr[0], "url", "name", "parent");
        var url = arr[0].GetProperty("url").GetString()!;
        using var anon = new ApiClient(T.BaseUri, cookies: false);
        var path = new Uri(url).PathAndQuery;
        var redirect = await anon.Send(HttpMethod.Get, path);
        Expect.Status(redirect, 302);
        var location = redirect.Headers.Location!.OriginalString;
        Expect.That(redirect, location.StartsWith("/api/v3/file/get/", StringComparison.Ordinal), "Location /api/v3/file/get/...");
        var content = await anon.Send(HttpMethod.Get, location);
        Expect.Equal(content, "source", content.Text, "body");
        Expect.Code(await anon.Send(HttpMethod.Get, path.Replace("/s.txt", "/t.txt", StringComparison.Ordinal)), 40044);
        Expect.Code(await Main.Post("/file/source", new { items = new[] { "XXXX" } }), 40044);
    }
}

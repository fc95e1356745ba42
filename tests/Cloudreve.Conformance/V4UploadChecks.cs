using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 10: upload sessions, local chunks, overwrite as a new version, cancel, expiry.</summary>
public sealed class V4UploadChecks : V4Checks
{
    public V4UploadChecks(V4Target t) : base(t)
    {
    }

    private static string Sid(JsonElement s) => s.GetProperty("session_id").GetString()!;

    [V4LocalPolicyCheck]
    public async Task Cap300_309_two_chunks_out_of_order_finish_with_the_last_missing_chunk()
    {
        var folder = await T.NewFolder("upload");
        var chunk = (int)await V4Uploader.ChunkSize(Main, folder);
        var uri = folder + "/big%20two.bin";
        var data = RandomNumberGenerator.GetBytes(chunk + 100);
        var put = await Main.Put("/file/upload", new { uri, size = data.Length, last_modified = V4Uploader.LastModified, mime_type = "application/octet-stream" });
        var s = Expect.Ok(put);
        // cap 300: the local session reply.
        Expect.Keys(put, s, "session_id", "upload_id", "chunk_size", "expires", "storage_policy", "uri", "callback_secret");
        Expect.Equal(put, "", s.GetProperty("upload_id").GetString(), "upload_id");
        Expect.Equal(put, uri, s.GetProperty("uri").GetString(), "uri");
        Expect.Equal(put, "local", s.GetProperty("storage_policy").GetProperty("type").GetString(), "storage_policy.type");
        Expect.Keys(put, s.GetProperty("storage_policy"), "id", "name", "type", "max_size");
        Expect.Equal(put, 32, s.GetProperty("callback_secret").GetString()!.Length, "callback_secret length");
        Expect.That(put, s.GetProperty("expires").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "expires (unix seconds) in the future");
        Expect.That(put, Guid.TryParse(Sid(s), out _), "a UUID session_id");
        var sid = Sid(s);

        var first = await V4Uploader.Chunk(Main, sid, 1, data, chunk, 100); // cap 301: chunk 1 first
        Expect.Ok(first);
        Expect.Equal(first, "{\"code\":0,\"msg\":\"\"}", first.Text, "body");

        // cap 302: the placeholder is listed with size 0 and sys:upload_session_id.
        var info = await Main.Info(uri);
        var pending = Expect.Ok(info);
        Expect.Equal(info, 0L, pending.GetProperty("size").GetInt64(), "size while uploading");
        Expect.Equal(info, sid, pending.GetProperty("metadata").GetProperty("sys:upload_session_id").GetString(), "metadata.sys:upload_session_id");
        var entry = await Entry(folder, "big two.bin");
        Expect.Equal(info, sid, entry.GetProperty("metadata").GetProperty("sys:upload_session_id").GetString(), "listed sys:upload_session_id");

        V4Expect.Error(await Main.Put("/file/upload", new { uri, size = 5 }), 40004, "Object existed"); // cap 303
        V4Expect.Error(await Main.Create(uri, "file"), 40004, "Object existed"); // cap 304
        V4Expect.Error(await V4Uploader.Chunk(Main, sid, 0, data, 0, 1000 == chunk ? 999 : 1000), 40013, $"Invalid Content-Length (expected: {chunk})"); // cap 305
        V4Expect.Error(await V4Uploader.Chunk(Main, sid, 2, data, chunk, 100), 40012, "Chunk offset cannot be greater than file size"); // cap 306
        Expect.Ok(await V4Uploader.Chunk(Main, sid, 0, data, 0, chunk)); // cap 307: the last missing chunk
        V4Expect.Error(await V4Uploader.Chunk(Main, sid, 0, data, 0, chunk), 40011, ""); // cap 308

        var after = await Main.Info(uri);
        var done = Expect.Ok(after); // cap 309
        Expect.Equal(after, (long)data.Length, done.GetProperty("size").GetInt64(), "size");
        Expect.Equal(after, V4Uploader.LastModifiedText, done.GetProperty("updated_at").GetString(), "updated_at (= last_modified)");
        Expect.Equal(after, JsonValueKind.Object, done.GetProperty("metadata").ValueKind, "metadata kind");
        Expect.That(after, !done.GetProperty("metadata").EnumerateObject().Any(), "empty metadata after completion");
        Expect.Equal(after, pending.GetProperty("id").GetString(), done.GetProperty("id").GetString(), "id (the placeholder becomes the file)");

        using var anon = T.Anonymous();
        var get = await anon.Send(HttpMethod.Get, await V4Uploader.Url(Main, uri)); // cap 386
        Expect.Status(get, 200);
        Expect.That(get, get.Bytes.SequenceEqual(data), "the uploaded bytes (chunks sent out of order)");
    }

    [V4LocalPolicyCheck]
    public async Task Cap310_312_a_zero_byte_file_is_one_empty_chunk_0()
    {
        var folder = await T.NewFolder("empty");
        var uri = folder + "/empty.bin";
        var s = await V4Uploader.Session(Main, uri, 0);
        Expect.Ok(await V4Uploader.Chunk(Main, Sid(s), 0, [], 0, 0)); // cap 311
        var r = await Main.Info(uri);
        var d = Expect.Ok(r); // cap 312
        Expect.Equal(r, 0L, d.GetProperty("size").GetInt64(), "size");
        Expect.That(r, !d.GetProperty("metadata").TryGetProperty("sys:upload_session_id", out _), "no pending upload");
        V4Expect.Error(await V4Uploader.Chunk(Main, Sid(s), 0, [], 0, 0), 40011, "");
    }

    [V4LocalPolicyCheck]
    public async Task Cap315_341_337_content_length_rules_and_resent_chunks()
    {
        var folder = await T.NewFolder("lengths");
        var small = folder + "/small.bin";
        var s = await V4Uploader.Session(Main, small, 11);
        var data = Encoding.ASCII.GetBytes("HELLO WORLD!");
        V4Expect.Error(await V4Uploader.Chunk(Main, Sid(s), 0, data, 0, 12), 40013, "Invalid Content-Length (expected: 11)"); // cap 315
        var chunked = new StreamContent(new MemoryStream(data, 0, 11));
        var te = await Main.Send(HttpMethod.Post, $"/file/upload/{Sid(s)}/0", chunked, m => m.Headers.TransferEncodingChunked = true);
        V4Expect.Error(te, 40013, "Invalid Content-Length (expected: 11)"); // cap 341
        Expect.Ok(await V4Uploader.Chunk(Main, Sid(s), 0, data, 0, 11)); // cap 316
        var got = await T.Anonymous().Send(HttpMethod.Get, await V4Uploader.Url(Main, small));
        Expect.Equal(got, "HELLO WORLD", got.Text, "content");

        var chunk = (int)s.GetProperty("chunk_size").GetInt64();
        var resend = folder + "/resend.bin";
        var r = await V4Uploader.Session(Main, resend, chunk + 5); // cap 336
        var bytes = RandomNumberGenerator.GetBytes(chunk + 5);
        Expect.Ok(await V4Uploader.Chunk(Main, Sid(r), 1, bytes, chunk, 5)); // cap 337
        Expect.Ok(await V4Uploader.Chunk(Main, Sid(r), 1, bytes, chunk, 5)); // cap 338: resending before completion is fine
        var pending = Expect.Ok(await Main.Info(resend));
        Expect.That(await Main.Info(resend), pending.GetProperty("metadata").TryGetProperty("sys:upload_session_id", out _), "still pending after a resent chunk");
        Expect.Ok(await Main.Delete("/file/upload", new { id = Sid(r), uri = resend })); // cap 339
    }

    [V4LocalPolicyCheck]
    public async Task Cap317_320_overwrite_needs_entity_type_version_and_keeps_the_id()
    {
        var folder = await T.NewFolder("version");
        var uri = folder + "/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC.bin";
        await V4Uploader.Upload(Main, uri, Encoding.ASCII.GetBytes("HELLO WORLD")); // cap 313, 316
        var before = Expect.Ok(await Main.Info(uri));
        V4Expect.Error(await Main.Put("/file/upload", new { uri, size = 5 }), 40004, "Object existed"); // cap 317
        var put = await Main.Put("/file/upload", new { uri, size = 5, entity_type = "version" }); // cap 318
        var s = Expect.Ok(put);
        Expect.Ok(await V4Uploader.Chunk(Main, Sid(s), 0, Encoding.ASCII.GetBytes("HELLO"), 0, 5)); // cap 319
        var r = await Main.Info(uri, "&extended=true");
        var after = Expect.Ok(r); // cap 320
        Expect.Equal(r, before.GetProperty("id").GetString(), after.GetProperty("id").GetString(), "id (kept)");
        Expect.Equal(r, 5L, after.GetProperty("size").GetInt64(), "size of the new version");
        Expect.That(r, after.GetProperty("primary_entity").GetString() != before.GetProperty("primary_entity").GetString(), "a new primary_entity");
        var get = await T.Anonymous().Send(HttpMethod.Get, await V4Uploader.Url(Main, uri));
        Expect.Equal(get, "HELLO", get.Text, "content of the new version");
        Expect.Equal(get, "\"" + after.GetProperty("primary_entity").GetString() + "\"", get.Header("ETag"), "ETag (= primary_entity)");
    }

    [V4Check]
    public async Task Cap321_327_session_validation()
    {
        var folder = await T.NewFolder("validate");
        V4Expect.Error(await Main.Put("/file/upload", new { uri = folder + "/x.bin", size = 5, entity_type = "overwrite" }), 40001, "Invalid parameters.", correlation: false); // cap 321
        V4Expect.Error(await Main.Put("/file/upload", new { uri = folder + "/x.bin", size = 3, policy_id = "zzzz" }), 40001, "unknown policy id"); // cap 324
        V4Expect.Error(await Main.Put("/file/upload", new { uri = folder + "/a%3Ab.bin", size = 3 }), 40052, "Invalid object name"); // cap 325
        V4Expect.Error(await Main.Put("/file/upload", new { uri = folder + "/huge.bin", size = 1L << 52 }), 40051, "Insufficient capacity"); // cap 323

        var sub = folder + "/dst";
        Expect.Ok(await Main.Create(sub, "folder"));
        V4Expect.Error(await Main.Put("/file/upload", new { uri = sub, size = 3 }), 40004, "Object existed"); // cap 326

        var deep = folder + "/p1/p2/x.bin"; // cap 322: parents are created with the session
        var d = await V4Uploader.Session(Main, deep, 3);
        var listing = Expect.Ok(await Main.List(folder + "/p1"));
        Expect.That(await Main.List(folder + "/p1"), V4Expect.Names(listing).Contains("p2"), "folder p2 created with the session");
        Expect.Ok(await Main.Delete("/file/upload", new { id = Sid(d), uri = deep }));

        var nosize = folder + "/nosize.bin";
        var put = await Main.Put("/file/upload", new { uri = nosize }); // cap 327: size defaults to 0
        var s = Expect.Ok(put);
        V4Expect.Error(await Main.Delete("/file/upload", new { id = Sid(s), uri = folder + "/other.bin" }), 40016, "Path not exist"); // cap 330
        Expect.Ok(await Main.Delete("/file/upload", new { id = Sid(s), uri = nosize })); // cap 331
        V4Expect.Error(await Main.Info(nosize), 40016, "Path not exist"); // cap 332
        V4Expect.Error(await V4Uploader.Chunk(Main, Sid(s), 0, [], 0, 0), 40011, ""); // cap 333
        V4Expect.Error(await Main.Delete("/file/upload", new { id = "00000000-0000-0000-0000-000000000000", uri = nosize }), 40016, "Path not exist"); // cap 335
    }

    [V4Check]
    public async Task Cap43_upload_routes_need_a_token()
    {
        var anon = T.Anonymous();
        V4Expect.Error(await anon.Put("/file/upload", new { uri = T.WorkUri + "/a.bin", size = 1 }), 401, "Login required");
        V4Expect.Error(await anon.Send(HttpMethod.Post, "/file/upload/00000000-0000-0000-0000-000000000000/0", V4Uploader.Bytes([1], 0, 1)), 401, "Login required");
    }

    [V4SandboxCheck]
    public async Task Cap346_350_an_expired_session_keeps_blocking_its_name_until_cancelled()
    {
        // A sandbox of its own: /_sandbox/uploads/expire ends every open session of the server (the real server was
        // given a 5 s upload_session_timeout for these captures).
        var (host, c) = await V4Uploader.StartSandbox();
        await using var _ = host;
        using var __ = c;
        var uri = "cloudreve://my/v4probe/expire.bin";
        var s = await V4Uploader.Session(c, uri, 10); // cap 344
        using var control = new ApiClient(host.BaseUri, cookies: false);
        var expired = await control.Send(HttpMethod.Post, "/_sandbox/uploads/expire");
        Expect.Equal(expired, 1, expired.Json.GetProperty("expired").GetInt32(), "expired sessions");
        V4Expect.Error(await V4Uploader.Chunk(c, Sid(s), 0, new byte[10], 0, 10), 40011, ""); // cap 346
        var info = await c.Info(uri);
        Expect.Equal(info, Sid(s), Expect.Ok(info).GetProperty("metadata").GetProperty("sys:upload_session_id").GetString(), "the placeholder stays"); // cap 347
        V4Expect.Error(await c.Put("/file/upload", new { uri, size = 10 }), 40004, "Object existed"); // cap 348
        Expect.Ok(await c.Delete("/file/upload", new { id = Sid(s), uri })); // cap 349
        V4Expect.Error(await c.Info(uri), 40016, "Path not exist"); // cap 350
        Expect.Ok(await c.Put("/file/upload", new { uri, size = 10 }));
    }
}

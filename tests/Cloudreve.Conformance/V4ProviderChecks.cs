using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference 10.4: the s3 and onedrive policies (sandboxes of their own with those policies).</summary>
public sealed class V4ProviderChecks : V4Checks
{
    public V4ProviderChecks(V4Target t) : base(t)
    {
    }

    [V4SandboxCheck]
    public async Task Cap557_569_s3_parts_in_any_order_complete_then_callback()
    {
        var (host, c) = await V4Uploader.StartSandbox(o => o.PolicyType = "s3");
        await using var _ = host;
        using var __ = c;
        var uri = "cloudreve://my/v4probe/three%20chunks.bin";
        var data = RandomNumberGenerator.GetBytes(2500);
        var put = await c.Put("/file/upload", new { uri, size = data.Length, last_modified = V4Uploader.LastModified, mime_type = "application/octet-stream" });
        var s = Expect.Ok(put); // cap 557
        Expect.Keys(put, s, "session_id", "upload_id", "chunk_size", "expires", "upload_urls", "completeURL", "storage_policy", "uri", "callback_secret");
        var uploadId = s.GetProperty("upload_id").GetString()!;
        Expect.That(put, uploadId.Length > 0, "an S3 upload_id");
        Expect.Equal(put, "s3", s.GetProperty("storage_policy").GetProperty("type").GetString(), "storage_policy.type");
        var parts = s.GetProperty("upload_urls").EnumerateArray().Select(u => u.GetString()!).ToList();
        Expect.Equal(put, 3, parts.Count, "one pre-signed URL per chunk");
        for (var i = 0; i < 3; i++)
        {
            Expect.That(put, parts[i].Contains("X-Amz-SignedHeaders=content-length%3Bhost", StringComparison.Ordinal), $"upload_urls[{i}] signs content-length;host");
            Expect.That(put, parts[i].Contains($"partNumber={i + 1}&", StringComparison.Ordinal) && parts[i].Contains("uploadId=" + uploadId, StringComparison.Ordinal), $"upload_urls[{i}] names part {i + 1} of the upload");
            Expect.That(put, !parts[i].StartsWith(host.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), $"upload_urls[{i}] on the storage origin, not the API origin");
        }
        var complete = s.GetProperty("completeURL").GetString()!;
        Expect.That(put, complete.Contains("uploadId=" + uploadId, StringComparison.Ordinal) && complete.Contains("X-Amz-SignedHeaders=host&", StringComparison.Ordinal), "completeURL for the upload, signing host");
        var sid = s.GetProperty("session_id").GetString()!;
        var secret = s.GetProperty("callback_secret").GetString()!;

        V4Expect.Error(await V4Uploader.Chunk(c, sid, 0, data, 0, 1000), 40006, ""); // cap 558
        using var storage = new ApiClient(host.BaseUri, cookies: false);
        var tags = new string[3];
        foreach (var i in new[] { 1, 2, 0 }) // cap 559: part 2 first
        {
            var r = await storage.Send(HttpMethod.Put, parts[i], V4Uploader.Bytes(data, i * 1000, Math.Min(1000, data.Length - i * 1000)));
            Expect.Status(r, 200);
            tags[i] = r.Header("ETag");
            Expect.That(r, tags[i].StartsWith('"') && tags[i].EndsWith('"'), "a quoted ETag");
        }
        var early = await c.Get($"/callback/s3/{sid}/{secret}"); // cap 563
        Expect.Code(early, -1, "", http: 400);
        var done = await storage.Send(HttpMethod.Post, complete, V4Uploader.CompleteXml(tags)); // cap 565
        Expect.Status(done, 200);
        Expect.That(done, done.Text.Contains("<CompleteMultipartUploadResult", StringComparison.Ordinal), "a CompleteMultipartUploadResult");
        var wrong = await c.Get($"/callback/s3/{sid}/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"); // cap 566
        Expect.Code(wrong, 40020, "Invalid callback secret", http: 401);
        Expect.Ok(await c.Get($"/callback/s3/{sid}/{secret}")); // cap 567
        Expect.Code(await c.Get($"/callback/s3/{sid}/{secret}"), 40011, "Upload session does not exist or expired", http: 401); // cap 568

        var listing = await c.List("cloudreve://my/v4probe"); // cap 569
        var entry = Expect.Ok(listing).GetProperty("files")[0];
        Expect.Equal(listing, 2500L, entry.GetProperty("size").GetInt64(), "size");
        Expect.That(listing, !entry.GetProperty("metadata").EnumerateObject().Any(), "empty metadata");
        Expect.Equal(listing, V4Uploader.LastModifiedText, entry.GetProperty("updated_at").GetString(), "updated_at (= last_modified)");

        var url = await V4Uploader.Url(c, uri); // cap 570
        Expect.That(listing, !url.StartsWith(host.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && url.Contains("response-content-disposition=", StringComparison.Ordinal),
            "a pre-signed GET on the storage origin with response-content-disposition");
        var get = await storage.Send(HttpMethod.Get, url); // cap 571
        Expect.That(get, get.Bytes.SequenceEqual(data), "the bytes");
        Expect.Equal(get, "attachment; filename=\"three%20chunks.bin\"; filename*=UTF-8''three%20chunks.bin", get.Header("Content-Disposition"), "Content-Disposition");
        var range = await storage.Send(HttpMethod.Get, url, configure: m => m.Headers.Range = new RangeHeaderValue(990, 1009)); // cap 572
        Expect.Status(range, 206);
        Expect.That(range, range.Bytes.SequenceEqual(data[990..1010]), "bytes 990-1009");
        var inline = await V4Uploader.Url(c, uri, download: false); // cap 575
        Expect.That(listing, !inline.Contains("response-content-disposition", StringComparison.Ordinal), "no response-content-disposition inline");
    }

    [V4SandboxCheck]
    public async Task Cap576_587_s3_overwrite_and_cancel()
    {
        var (host, c) = await V4Uploader.StartSandbox(o => o.PolicyType = "s3");
        await using var _ = host;
        using var __ = c;
        var uri = "cloudreve://my/v4probe/v.bin";
        await V4Uploader.Upload(c, uri, Encoding.ASCII.GetBytes("first content"));
        V4Expect.Error(await c.Put("/file/upload", new { uri, size = 3 }), 40004, "Object existed");
        var before = Expect.Ok(await c.Info(uri));
        await V4Uploader.Upload(c, uri, Encoding.ASCII.GetBytes("new"), entityType: "version"); // cap 576-579
        var after = Expect.Ok(await c.Info(uri)); // cap 580
        Expect.Equal(await c.Info(uri), before.GetProperty("id").GetString(), after.GetProperty("id").GetString(), "id (kept)");
        using var storage = new ApiClient(host.BaseUri, cookies: false);
        var get = await storage.Send(HttpMethod.Get, await V4Uploader.Url(c, uri)); // cap 581, 582
        Expect.Equal(get, "new", get.Text, "content of the new version");

        var cancel = "cloudreve://my/v4probe/cancel%20me.bin";
        var s = await V4Uploader.Session(c, cancel, 1500); // cap 583
        var part = await storage.Send(HttpMethod.Put, s.GetProperty("upload_urls")[0].GetString()!, V4Uploader.Bytes(new byte[1000], 0, 1000)); // cap 584
        Expect.Status(part, 200);
        var sid = s.GetProperty("session_id").GetString()!;
        Expect.Ok(await c.Delete("/file/upload", new { id = sid, uri = cancel })); // cap 585
        var listing = await c.List("cloudreve://my/v4probe"); // cap 586
        Expect.That(listing, !V4Expect.Names(Expect.Ok(listing)).Contains("cancel me.bin"), "the placeholder is gone");
        Expect.Code(await c.Get($"/callback/s3/{sid}/{s.GetProperty("callback_secret").GetString()}"), 40011, "Upload session does not exist or expired", http: 401); // cap 587
    }

    [V4SandboxCheck]
    public async Task Onedrive_session_has_one_upload_url_and_finishes_with_the_callback_10_4_3()
    {
        var (host, c) = await V4Uploader.StartSandbox(o => o.PolicyType = "onedrive");
        await using var _ = host;
        using var __ = c;
        var uri = "cloudreve://my/od/o.bin";
        var data = RandomNumberGenerator.GetBytes(2500);
        var put = await c.Put("/file/upload", new { uri, size = data.Length });
        var s = Expect.Ok(put);
        Expect.Keys(put, s, "session_id", "upload_id", "chunk_size", "expires", "upload_urls", "storage_policy", "uri", "callback_secret");
        Expect.Equal(put, 1, s.GetProperty("upload_urls").GetArrayLength(), "one upload URL");
        Expect.Equal(put, "onedrive", s.GetProperty("storage_policy").GetProperty("type").GetString(), "storage_policy.type");
        var sid = s.GetProperty("session_id").GetString()!;
        V4Expect.Error(await V4Uploader.Chunk(c, sid, 0, data, 0, 1000), 40006, "");
        Expect.Code(await c.Post($"/callback/onedrive/{sid}/wrong-secret", "{}"), 40020, "Invalid callback secret", http: 401);
        await V4Uploader.SendAll(c, s, data);
        Expect.Code(await c.Post($"/callback/onedrive/{sid}/{s.GetProperty("callback_secret").GetString()}", "{}"), 40011, "Upload session does not exist or expired", http: 401);
        using var storage = new ApiClient(host.BaseUri, cookies: false);
        var get = await storage.Send(HttpMethod.Get, await V4Uploader.Url(c, uri), configure: m => m.Headers.Range = new RangeHeaderValue(0, 9));
        Expect.Status(get, 206);
        Expect.That(get, get.Bytes.SequenceEqual(data[..10]), "the first 10 bytes");
    }
}

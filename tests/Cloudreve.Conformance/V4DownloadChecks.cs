using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 12: POST /file/url and the signed content URLs.</summary>
public sealed class V4DownloadChecks : V4Checks
{
    public V4DownloadChecks(V4Target t) : base(t)
    {
    }

    private async Task<(string Folder, string Big, string Unicode, string Empty, byte[] BigData)> ThreeFiles()
    {
        var folder = await T.NewFolder("download");
        var big = folder + "/big%20two.bin";
        var data = RandomNumberGenerator.GetBytes(2100);
        await V4Uploader.Upload(Main, big, data);
        var unicode = folder + "/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC.bin";
        await V4Uploader.Upload(Main, unicode, Encoding.ASCII.GetBytes("HELLO"));
        var empty = folder + "/a%20b.txt";
        Expect.Ok(await Main.Create(empty, "file"));
        return (folder, big, unicode, empty, data);
    }

    private static string Sign(string url) => url[(url.IndexOf("sign=", StringComparison.Ordinal) + 5)..];

    [V4Check]
    public async Task Cap360_file_url_gives_absolute_signed_urls_in_order()
    {
        var (_, big, unicode, empty, _) = await ThreeFiles();
        var r = await Main.Post("/file/url", new { uris = new[] { big, unicode, empty }, download = true });
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "urls", "expires");
        var urls = d.GetProperty("urls").EnumerateArray().Select(u => u.GetProperty("url").GetString()!).ToList();
        Expect.Equal(r, 3, urls.Count, "number of urls");
        string[] names = ["big%20two.bin", "%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC.bin", "a%20b.txt"];
        for (var i = 0; i < 3; i++)
        {
            Expect.That(r, Uri.TryCreate(urls[i], UriKind.Absolute, out var u), $"an absolute url[{i}]");
            Expect.That(r, u!.AbsolutePath.StartsWith("/api/v4/file/content/", StringComparison.Ordinal), $"url[{i}] under /api/v4/file/content/");
            Expect.That(r, urls[i].Contains("/0/" + names[i] + "?download=true&sign=", StringComparison.Ordinal), $"url[{i}] ending in /0/{names[i]}?download=true&sign=...");
            // In the sandbox the site URL is the origin it listens on (a real server uses its siteURL setting, cap 17).
            if (!TargetEnvironment.IsReal) Expect.Equal(r, T.BaseUri.GetLeftPart(UriPartial.Authority), u.GetLeftPart(UriPartial.Authority), $"origin of url[{i}]");
        }
        Expect.That(r, DateTime.TryParse(d.GetProperty("expires").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var exp)
            && exp > DateTime.UtcNow.AddMinutes(1), "expires (RFC 3339) in the future");
        var again = await Main.Post("/file/url", new { uris = new[] { big }, download = true });
        Expect.Equal(again, urls[0], Expect.Ok(again).GetProperty("urls")[0].GetProperty("url").GetString(), "the cached url (12.1, cap 375)");
    }

    [V4Check]
    public async Task Cap361_365_content_headers_ranges_and_the_empty_entity()
    {
        var (_, big, unicode, empty, data) = await ThreeFiles();
        var anon = T.Anonymous();
        var entity = Expect.Ok(await Main.Info(big)).GetProperty("primary_entity").GetString();
        var url = await V4Uploader.Url(Main, big);
        var full = await anon.Send(HttpMethod.Get, url);
        Expect.Status(full, 200);
        Expect.That(full, full.Bytes.SequenceEqual(data), "the bytes");
        Expect.Equal(full, "bytes", full.Header("Accept-Ranges"), "Accept-Ranges");
        Expect.Equal(full, "public, max-age=86400", full.Header("Cache-Control"), "Cache-Control");
        Expect.Equal(full, "sandbox", full.Header("Content-Security-Policy"), "Content-Security-Policy");
        Expect.Equal(full, $"\"{entity}\"", full.Header("ETag"), "ETag");
        Expect.Equal(full, "attachment; filename=\"big two.bin\"", full.Header("Content-Disposition"), "Content-Disposition");

        var range = await anon.Send(HttpMethod.Get, url, configure: m => m.Headers.Range = new RangeHeaderValue(0, 9)); // cap 361
        Expect.Status(range, 206);
        Expect.Equal(range, $"bytes 0-9/{data.Length}", range.Header("Content-Range"), "Content-Range");
        Expect.That(range, range.Bytes.SequenceEqual(data[..10]), "bytes 0-9");
        var suffix = await anon.Send(HttpMethod.Get, url, configure: m => m.Headers.Range = new RangeHeaderValue(null, 100)); // cap 362
        Expect.Status(suffix, 206);
        Expect.That(suffix, suffix.Bytes.SequenceEqual(data[^100..]), "the last 100 bytes");
        var beyond = await anon.Send(HttpMethod.Get, url, configure: m => m.Headers.Range = new RangeHeaderValue(99999999, null)); // cap 363
        Expect.Status(beyond, 416);
        Expect.Equal(beyond, $"bytes */{data.Length}", beyond.Header("Content-Range"), "Content-Range");
        Expect.That(beyond, beyond.Header("Content-Type").StartsWith("text/plain", StringComparison.Ordinal), "a plain-text 416 body");

        var uni = await anon.Send(HttpMethod.Get, await V4Uploader.Url(Main, unicode)); // cap 364
        Expect.Equal(uni, "HELLO", uni.Text, "body");
        Expect.Equal(uni, "attachment; filename=\"___ _.bin\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E+%C3%BC.bin", uni.Header("Content-Disposition"), "Content-Disposition");

        var emptyEntity = Expect.Ok(await Main.Info(empty)).GetProperty("primary_entity").GetString();
        var e = await anon.Send(HttpMethod.Get, await V4Uploader.Url(Main, empty)); // cap 365
        Expect.Status(e, 200);
        Expect.Equal(e, 0, e.Bytes.Length, "body length");
        Expect.Equal(e, $"\"{emptyEntity}\"", e.Header("ETag"), "ETag (the shared empty entity)");
        Expect.Equal(e, "attachment; filename=\"a b.txt\"", e.Header("Content-Disposition"), "Content-Disposition");
    }

    [V4Check]
    public async Task Cap366_367_without_download_the_url_and_answer_are_inline()
    {
        var (_, _, unicode, _, _) = await ThreeFiles();
        var attachment = await V4Uploader.Url(Main, unicode);
        var inline = await V4Uploader.Url(Main, unicode, download: false);
        var r = await Main.Post("/file/url", new { uris = new[] { unicode } });
        Expect.That(r, !inline.Contains("download=true", StringComparison.Ordinal), "no download=true in the inline url");
        Expect.Equal(r, Sign(attachment), Sign(inline), "sign (the same for both forms, cap 366)");
        var get = await T.Anonymous().Send(HttpMethod.Get, inline); // cap 367
        Expect.Equal(get, "HELLO", get.Text, "body");
        Expect.Equal(get, "", get.Header("Content-Disposition"), "Content-Disposition (none)");
        Expect.Equal(get, "public, max-age=86400", get.Header("Cache-Control"), "Cache-Control");
    }

    [V4Check]
    public async Task Cap368_370_tampered_expired_and_missing_signs()
    {
        var (_, _, unicode, _, _) = await ThreeFiles();
        var url = await V4Uploader.Url(Main, unicode);
        var anon = T.Anonymous();
        var sign = Sign(url);
        V4Expect.Error(await anon.Send(HttpMethod.Get, url.Replace("sign=" + sign, "sign=AAAA" + sign[4..], StringComparison.Ordinal)), 40071, "invalid sign"); // cap 368
        var expiry = long.Parse(sign[(sign.LastIndexOf("%3A", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture);
        var past = url.Replace("%3A" + expiry.ToString(CultureInfo.InvariantCulture), "%3A" + (expiry - 7200).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        V4Expect.Error(await anon.Send(HttpMethod.Get, past), 40005, "signature expired"); // cap 369
        V4Expect.Error(await anon.Send(HttpMethod.Get, url[..url.IndexOf("&sign=", StringComparison.Ordinal)]), 403, "expire timestamp is missing"); // cap 370
    }

    [V4Check]
    public async Task Cap371_redirect_answers_302_to_the_url()
    {
        var folder = await T.NewFolder("redirect");
        var uri = folder + "/a%2Bb.txt";
        await V4Uploader.Upload(Main, uri, Encoding.ASCII.GetBytes("plus"));
        var r = await Main.Post("/file/url", new { uris = new[] { uri }, download = true, redirect = true });
        Expect.Status(r, 302);
        var location = r.Headers.Location?.OriginalString ?? "";
        Expect.That(r, location.Contains("/api/v4/file/content/", StringComparison.Ordinal) && location.Contains("/0/a+b.txt?download=true&sign=", StringComparison.Ordinal),
            "Location .../api/v4/file/content/{entity}/0/a+b.txt?download=true&sign=...");
        Expect.Equal(r, 0, r.Bytes.Length, "body length");
        var get = await T.Anonymous().Send(HttpMethod.Get, location);
        Expect.Equal(get, "plus", get.Text, "body at Location");
    }

    [V4Check]
    public async Task Cap372_375_missing_files_folders_and_skip_error()
    {
        var (folder, _, unicode, _, _) = await ThreeFiles();
        var missing = folder + "/missing.txt";
        var r = await Main.Post("/file/url", new { uris = new[] { missing }, download = true });
        V4Expect.Aggregated(r, missing, 40016); // cap 372
        Expect.Equal(r, "failed to get target file: failed to walk into \"missing.txt\": Path not exist: ent: file not found", r.Json.GetProperty("msg").GetString(), "msg");
        var sub = folder + "/dst";
        Expect.Ok(await Main.Create(sub, "folder"));
        var f = await Main.Post("/file/url", new { uris = new[] { sub }, download = true });
        var inner = V4Expect.Aggregated(f, sub, 40077); // cap 373
        Expect.Equal(f, "Entity not exist", inner.GetProperty("msg").GetString(), "inner msg");
        var skip = await Main.Post("/file/url", new { uris = new[] { missing, unicode }, download = true, skip_error = true }); // cap 375
        var urls = Expect.Ok(skip).GetProperty("urls");
        Expect.Equal(skip, 2, urls.GetArrayLength(), "number of urls (order kept)");
        Expect.Equal(skip, "", urls[0].GetProperty("url").GetString(), "url of the missing file");
        Expect.That(skip, urls[1].GetProperty("url").GetString()!.Contains("/api/v4/file/content/", StringComparison.Ordinal), "url of the existing file");
    }

    [V4Check]
    public async Task Cap380_383_names_in_urls_and_content_disposition()
    {
        var folder = await T.NewFolder("names");
        var odd = folder + "/%C3%BC%2B%26'%3B%20x.txt"; // "ü+&'; x.txt" (cap 380)
        var apostrophe = folder + "/it's.txt";
        Expect.Ok(await Main.Create(odd, "file"));
        Expect.Ok(await Main.Create(apostrophe, "file"));
        var r = await Main.Post("/file/url", new { uris = new[] { odd, apostrophe }, download = true }); // cap 381
        var urls = Expect.Ok(r).GetProperty("urls");
        var oddUrl = urls[0].GetProperty("url").GetString()!;
        var aposUrl = urls[1].GetProperty("url").GetString()!;
        Expect.That(r, oddUrl.Contains("/0/%C3%BC+&%27%3B%20x.txt?", StringComparison.Ordinal), "the name path-escaped as %C3%BC+&%27%3B%20x.txt");
        Expect.That(r, aposUrl.Contains("/0/it%27s.txt?", StringComparison.Ordinal), "the name path-escaped as it%27s.txt");
        var anon = T.Anonymous();
        var a = await anon.Send(HttpMethod.Get, oddUrl); // cap 382
        Expect.Equal(a, "attachment; filename=\"_+&'; x.txt\"; filename*=UTF-8''%C3%BC%2B%26%27%3B+x.txt", a.Header("Content-Disposition"), "Content-Disposition");
        var b = await anon.Send(HttpMethod.Get, aposUrl); // cap 383
        Expect.Equal(b, "attachment; filename=\"it's.txt\"", b.Header("Content-Disposition"), "Content-Disposition");
    }

    [V4Check]
    public async Task Cap550_556_no_url_in_the_trash_and_the_cached_url_works_after_restore()
    {
        var folder = await T.NewFolder("trash");
        var uri = folder + "/t.bin";
        await V4Uploader.Upload(Main, uri, Encoding.ASCII.GetBytes("trashed"));
        var before = await V4Uploader.Url(Main, uri);
        Expect.Ok(await Main.Delete("/file", new { uris = new[] { uri } })); // cap 550
        var entry = (await ListAll("cloudreve://trash/")).FirstOrDefault(e =>
            e.GetProperty("metadata").TryGetProperty("sys:restore_uri", out var ru) && ru.GetString() == uri); // cap 551
        var listing = await Main.List("cloudreve://trash/");
        Expect.That(listing, entry.ValueKind == JsonValueKind.Object, $"a trash entry whose sys:restore_uri is {uri}");
        var trashUri = entry.GetProperty("path").GetString()!;
        var r = await Main.Post("/file/url", new { uris = new[] { trashUri }, download = true });
        var inner = V4Expect.Aggregated(r, trashUri, 403); // cap 552
        Expect.Equal(r, "Not supported action", inner.GetProperty("msg").GetString(), "inner msg");
        Expect.Ok(await Main.Post("/file/restore", new { uris = new[] { trashUri } })); // cap 553
        var again = await V4Uploader.Url(Main, uri); // cap 555
        Expect.Equal(listing, before, again, "the cached url after the restore");
        var get = await T.Anonymous().Send(HttpMethod.Get, again); // cap 556
        Expect.Equal(get, "trashed", get.Text, "body");
    }

    [V4SandboxCheck]
    public async Task Sandbox_downloads_expire_revokes_every_url_and_the_next_call_signs_afresh()
    {
        var (host, c) = await V4Uploader.StartSandbox();
        await using var _ = host;
        using var __ = c;
        var uri = "cloudreve://my/d/x.bin";
        await V4Uploader.Upload(c, uri, Encoding.ASCII.GetBytes("bytes"));
        var first = await V4Uploader.Url(c, uri);
        using var anon = new ApiClient(host.BaseUri, cookies: false);
        var before = await anon.Send(HttpMethod.Get, first);
        Expect.Equal(before, "bytes", before.Text, "body before");
        var expire = await anon.Send(HttpMethod.Post, "/_sandbox/downloads/expire");
        Expect.Keys(expire, expire.Json, "expired");
        V4Expect.Error(await anon.Send(HttpMethod.Get, first), 40005, "signature expired");
        var second = await V4Uploader.Url(c, uri);
        var r = await anon.Send(HttpMethod.Get, second);
        Expect.That(r, second != first, "a new url after the expiry");
        Expect.Equal(r, "bytes", r.Text, "body with the new url");
    }
}

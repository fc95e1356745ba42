using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Conformance;

/// <summary>Checks that need sandboxes of their own (other storage policies, options) or the sandbox's control routes.</summary>
public sealed class SandboxChecks : Checks
{
    public SandboxChecks(Target t) : base(t)
    {
    }

    private static async Task<(SandboxHost Host, ApiClient Client)> Start(Action<SandboxOptions> configure)
    {
        var o = new SandboxOptions { AdminPassword = Target.SandboxAdminPassword, ChunkSize = 1000 };
        configure(o);
        var host = await SandboxHost.StartAsync(o);
        var c = new ApiClient(host.BaseUri);
        await c.Login(host.AdminEmail, Target.SandboxAdminPassword, null);
        return (host, c);
    }

    [SandboxCheck]
    public async Task Control_routes_faults_requests_and_session_expiry()
    {
        using var c = new ApiClient(T.BaseUri);
        var faults = await c.Send(HttpMethod.Get, "/_sandbox/faults");
        Expect.Keys(faults, faults.Json, "chunkFailureRate", "dropConnectionRate", "downloadFailureRate", "lostAnswerRate", "latencyMs", "downloadUrlTtlSeconds");
        var set = await c.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"latencyMs\":1}", Encoding.UTF8, "application/json"));
        Expect.Equal(set, 1, set.Json.GetProperty("latencyMs").GetInt32(), "latencyMs");
        Expect.Status(await c.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"chunkFailureRate\":2}", Encoding.UTF8, "application/json")), 400);
        await c.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"latencyMs\":0}", Encoding.UTF8, "application/json"));
        var requests = await c.Send(HttpMethod.Get, "/_sandbox/requests");
        Expect.Keys(requests, requests.Json, "count", "dropped", "requests");

        using var victim = await T.LoginAsync();
        Expect.Ok(await victim.Get("/user/me"));
        var expired = await c.Send(HttpMethod.Post, "/_sandbox/sessions/expire");
        Expect.That(expired, expired.Json.GetProperty("expired").GetInt32() >= 1, "at least one session logged out");
        Expect.Code(await victim.Get("/user/me"), 401);
        await T.Relogin();
    }

    [SandboxCheck]
    public async Task Control_routes_expire_downloads_and_uploads()
    {
        // A sandbox of its own: these routes expire every URL and session of the server.
        var (host, c) = await Start(_ => { });
        await using var _ = host;
        using var __ = c;
        var downloads = await c.Send(HttpMethod.Post, "/_sandbox/downloads/expire");
        Expect.Keys(downloads, downloads.Json, "expired");
        var uploads = await c.Send(HttpMethod.Post, "/_sandbox/uploads/expire");
        Expect.Keys(uploads, uploads.Json, "expired");
        Expect.Equal(uploads, 0, uploads.Json.GetProperty("expired").GetInt32(), "expired");
    }

    [SandboxCheck]
    public async Task Download_failure_fault_answers_500_on_every_content_get()
    {
        var (host, c) = await Start(o => o.OneTimeDownload = true);
        await using var _ = host;
        using var __ = c;
        Expect.Status(await c.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"downloadFailureRate\":1.5}", Encoding.UTF8, "application/json")), 400);
        var data = Encoding.UTF8.GetBytes("fault bytes");
        var id = await Uploader.Upload(T, c, "/", "f.txt", data);
        var source = Expect.Ok(await c.Post("/file/source", new { items = new[] { id } }))[0].GetProperty("url").GetString()!;
        using var anon = new ApiClient(host.BaseUri, cookies: false);
        var follow = await anon.Send(HttpMethod.Get, new Uri(source).PathAndQuery);
        Expect.Status(follow, 302);
        var signedGet = follow.Headers.Location!.OriginalString;
        var link = Expect.Ok(await c.Put($"/file/download/{id}")).GetString()!;

        var set = await c.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"downloadFailureRate\":1}", Encoding.UTF8, "application/json"));
        Expect.Equal(set, 1.0, set.Json.GetProperty("downloadFailureRate").GetDouble(), "downloadFailureRate");
        foreach (var (client, path) in new[] { (anon, link), (anon, signedGet), (c, $"/api/v3/file/content/{id}"), (c, $"/api/v3/file/preview/{id}") })
        {
            var failed = await client.Send(HttpMethod.Get, path);
            Expect.Status(failed, 500);
            Expect.That(failed, failed.ContentHeaders.ContentDisposition == null && !failed.Bytes.SequenceEqual(data), "no file bytes and no attachment header");
        }

        // The API itself is unaffected; the 500 came after the one-time URL was used up.
        Expect.Ok(await c.Get("/directory/"));
        await c.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"downloadFailureRate\":0}", Encoding.UTF8, "application/json"));
        Expect.Code(await anon.Send(HttpMethod.Get, link), 404, "Download session not exist");
        var fresh = await anon.Send(HttpMethod.Get, Expect.Ok(await c.Put($"/file/download/{id}")).GetString()!);
        Expect.That(fresh, fresh.Bytes.SequenceEqual(data), "the file from a fresh URL");
        var again = await anon.Send(HttpMethod.Get, signedGet);
        Expect.That(again, again.Bytes.SequenceEqual(data), "the source link once the fault is off");
    }

    [SandboxCheck]
    public async Task Download_failure_fault_answers_500_on_provider_download_urls()
    {
        foreach (var policy in new[] { "s3", "onedrive" })
        {
            var (host, c) = await Start(o => o.PolicyType = policy);
            await using var _ = host;
            using var __ = c;
            var data = RandomNumberGenerator.GetBytes(2500);
            var cred = await Uploader.Session(T, c, "/p", "p.bin", data.Length);
            await Uploader.SendAll(c, policy, cred, data);
            var id = await IdIn(c, "/p", "p.bin");
            var url = Expect.Ok(await c.Put($"/file/download/{id}")).GetString()!;
            using var storage = new ApiClient(c.BaseUri, cookies: false);
            host.Faults = host.Faults with { DownloadFailureRate = 1 };
            Expect.Status(await storage.Send(HttpMethod.Get, url), 500);
            host.Faults = host.Faults with { DownloadFailureRate = 0 };
            var ok = await storage.Send(HttpMethod.Get, url);
            Expect.That(ok, ok.Bytes.SequenceEqual(data), $"{policy}: the same URL works once the fault is off");
        }
    }

    [SandboxCheck]
    public async Task OneDrive_policy_upload_session_fragments_callback_download()
    {
        var (host, c) = await Start(o => o.PolicyType = "onedrive");
        await using var _ = host;
        using var __ = c;
        var data = RandomNumberGenerator.GetBytes(2500);
        var cred = await Uploader.Session(T, c, "/od", "o.bin", data.Length);
        Expect.Keys(await c.Get("/directory/"), cred, "sessionID", "chunkSize", "expires", "uploadURLs");
        using var storage = new ApiClient(c.BaseUri, cookies: false);
        var url = cred.GetProperty("uploadURLs")[0].GetString()!;
        var overlap = new ByteArrayContent(data, 1000, 500);
        overlap.Headers.ContentRange = new ContentRangeHeaderValue(1000, 1499, data.Length);
        Expect.Status(await storage.Send(HttpMethod.Put, url, overlap), 416);
        await Uploader.SendAll(c, "onedrive", cred, data);
        var sid = cred.GetProperty("sessionID").GetString();
        Expect.Code(await c.Post("/callback/onedrive/finish/" + sid, "{}"), 40011, http: 401);
        var id = await IdIn(c, "/od", "o.bin");
        var link = Expect.Ok(await c.Put($"/file/download/{id}")).GetString()!;
        var get = await storage.Send(HttpMethod.Get, link, configure: m => m.Headers.Range = new RangeHeaderValue(0, 9));
        Expect.Status(get, 206);
        Expect.That(get, get.Bytes.SequenceEqual(data[..10]), "the first 10 bytes");
    }

    [SandboxCheck]
    public async Task S3_policy_presigned_parts_complete_callback_download()
    {
        var (host, c) = await Start(o => o.PolicyType = "s3");
        await using var _ = host;
        using var __ = c;
        var data = RandomNumberGenerator.GetBytes(2500);
        var cred = await Uploader.Session(T, c, "/s3", "s.bin", data.Length);
        var r = await c.Get("/directory/");
        Expect.Keys(r, cred, "sessionID", "chunkSize", "expires", "uploadURLs", "uploadID", "completeURL");
        Expect.Equal(r, 3, cred.GetProperty("uploadURLs").GetArrayLength(), "one URL per part");
        using var storage = new ApiClient(c.BaseUri, cookies: false);
        var bad = await storage.Send(HttpMethod.Post, cred.GetProperty("completeURL").GetString()!,
            new StringContent("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"x\"</ETag></Part></CompleteMultipartUpload>", Encoding.UTF8, "application/xml"));
        Expect.Status(bad, 400);
        Expect.That(bad, bad.Text.Contains("<Code>InvalidPart</Code>", StringComparison.Ordinal), "an S3 InvalidPart error");
        await Uploader.SendAll(c, "s3", cred, data);
        Expect.Code(await c.Get("/callback/s3/" + cred.GetProperty("sessionID").GetString()), 40011, http: 401);
        var id = await IdIn(c, "/s3", "s.bin");
        var get = await storage.Send(HttpMethod.Get, Expect.Ok(await c.Put($"/file/download/{id}")).GetString()!);
        Expect.That(get, get.Bytes.SequenceEqual(data), "the uploaded bytes");
    }

    [SandboxCheck]
    public async Task Policy_limits_quota_and_one_time_download_from_options()
    {
        var (host, c) = await Start(o =>
        {
            o.PolicyFileTypes = ["txt"];
            o.PolicyMaxSize = 100;
            o.OneTimeDownload = true;
            o.Users.Add(new SandboxUser("small@conformance.local", "small-pass-1"));
            o.UserMaxStorage = 50;
        });
        await using var _ = host;
        using var __ = c;
        var pid = Expect.Ok(await c.Get("/directory/")).GetProperty("policy").GetProperty("id").GetString();
        Expect.Code(await c.Put("/file/upload", new { path = "/", size = 101, name = "a.txt", policy_id = pid }), 40049, "File is too large");
        Expect.Code(await c.Put("/file/upload", new { path = "/", size = 1, name = "a.bin", policy_id = pid }), 40050, "File type not allowed");
        using var small = new ApiClient(host.BaseUri);
        await small.Login("small@conformance.local", "small-pass-1", null);
        Expect.Code(await small.Put("/file/upload", new { path = "/", size = 51, name = "a.txt", policy_id = pid }), 40051, "Insufficient capacity");

        var id = await Uploader.Upload(T, small, "/", "once.txt", Encoding.UTF8.GetBytes("once"));
        var link = Expect.Ok(await small.Put($"/file/download/{id}")).GetString()!;
        using var anon = new ApiClient(host.BaseUri, cookies: false);
        var first = await anon.Send(HttpMethod.Get, link);
        Expect.Equal(first, "once", first.Text, "first download");
        Expect.Code(await anon.Send(HttpMethod.Get, link), 404, "Download session not exist");
    }

    private static async Task<string> IdIn(ApiClient c, string folder, string name)
    {
        var r = await c.Get("/directory" + folder);
        return Expect.Ok(r).GetProperty("objects").EnumerateArray().First(o => o.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }
}

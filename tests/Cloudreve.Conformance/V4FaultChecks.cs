using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>The sandbox's fault injection and request log on the 4.18 transfer routes (sandboxes of their own; not Cloudreve behaviour).</summary>
public sealed class V4FaultChecks : V4Checks
{
    public V4FaultChecks(V4Target t) : base(t)
    {
    }

    private static Task<Reply> SetFaults(ApiClient control, string json) =>
        control.Send(HttpMethod.Post, "/_sandbox/faults", new StringContent(json, Encoding.UTF8, "application/json"));

    [V4SandboxCheck]
    public async Task Chunk_failures_and_dropped_downloads_apply_to_the_v4_routes()
    {
        var (host, c) = await V4Uploader.StartSandbox();
        await using var _ = host;
        using var __ = c;
        using var control = new ApiClient(host.BaseUri, cookies: false);
        var uri = "cloudreve://my/f/x.bin";
        var data = RandomNumberGenerator.GetBytes(1500);
        var s = await V4Uploader.Session(c, uri, data.Length);
        var sid = s.GetProperty("session_id").GetString()!;

        Expect.Status(await SetFaults(control, "{\"chunkFailureRate\":1}"), 200);
        var failed = await V4Uploader.Chunk(c, sid, 0, data, 0, 1000);
        Expect.Status(failed, 500);
        Expect.Status(await SetFaults(control, "{\"chunkFailureRate\":0}"), 200);
        await V4Uploader.SendAll(c, s, data); // the failed chunk is simply sent again
        var url = await V4Uploader.Url(c, uri);

        Expect.Status(await SetFaults(control, "{\"dropConnectionRate\":1}"), 200);
        using var anon = new ApiClient(host.BaseUri, cookies: false);
        var dropped = false;
        try
        {
            var r = await anon.Send(HttpMethod.Get, url);
            dropped = r.Bytes.Length < data.Length;
        }
        catch (HttpRequestException)
        {
            dropped = true;
        }
        catch (IOException)
        {
            dropped = true;
        }
        Xunit.Assert.True(dropped, $"GET {new Uri(url).AbsolutePath}: expected the connection to drop half-way (dropConnectionRate 1)");
        Expect.Status(await SetFaults(control, "{\"dropConnectionRate\":0}"), 200);
        var ok = await anon.Send(HttpMethod.Get, url, configure: m => m.Headers.Range = new RangeHeaderValue(750, null));
        Expect.Status(ok, 206);
        Expect.That(ok, ok.Bytes.SequenceEqual(data[750..]), "the rest of the file (resume with Range)");
    }

    [V4SandboxCheck]
    public async Task Request_log_shows_s3_parts_on_the_provider_origin_without_a_token()
    {
        var (host, c) = await V4Uploader.StartSandbox(o => o.PolicyType = "s3");
        await using var _ = host;
        using var __ = c;
        using var control = new ApiClient(host.BaseUri, cookies: false);
        Expect.Status(await control.Send(HttpMethod.Delete, "/_sandbox/requests"), 200);
        await V4Uploader.Upload(c, "cloudreve://my/log/p.bin", RandomNumberGenerator.GetBytes(1200));
        var log = await control.Send(HttpMethod.Get, "/_sandbox/requests");
        var entries = log.Json.GetProperty("requests").EnumerateArray().ToList();
        var parts = entries.Where(e => e.GetProperty("method").GetString() == "PUT" && e.GetProperty("origin").GetString() == "provider").ToList();
        Expect.Equal(log, 2, parts.Count, "part PUTs logged on the provider origin");
        foreach (var p in parts)
        {
            var headers = p.GetProperty("headers");
            Expect.That(log, !headers.EnumerateObject().Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)), "no Authorization header on a part PUT");
        }
        Expect.That(log, entries.Any(e => e.GetProperty("path").GetString()!.StartsWith("/api/v4/callback/s3/", StringComparison.Ordinal)), "the callback in the log");
    }
}

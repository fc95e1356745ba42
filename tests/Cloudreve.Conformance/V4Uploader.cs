using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit.Sdk;

namespace Cloudreve.Conformance;

/// <summary>A v4 check of the local policy's own chunk route (skipped on a real server whose account uses another policy type).</summary>
public sealed class V4LocalPolicyCheckAttribute : V4CheckAttribute
{
    public V4LocalPolicyCheckAttribute()
    {
        if (Skip == null && V4Uploader.PolicyType != "local") Skip = $"The account's storage policy is '{V4Uploader.PolicyType}', not local.";
    }
}

/// <summary>Uploads the way reference section 10.4.4 describes for the session's storage policy type (local, s3, onedrive).</summary>
public static class V4Uploader
{
    private static readonly Lazy<string> Probe = new(() =>
    {
        if (!TargetEnvironment.IsReal) return "local";
        try
        {
            using var c = new V4Client(new Uri(TargetEnvironment.Uri!.TrimEnd('/') + "/"));
            c.Login(TargetEnvironment.User ?? "", TargetEnvironment.Password ?? "", TargetEnvironment.Totp).GetAwaiter().GetResult();
            var r = c.List("cloudreve://my/").GetAwaiter().GetResult();
            c.SignOut().GetAwaiter().GetResult();
            return r.Data.GetProperty("storage_policy").GetProperty("type").GetString() ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    });

    /// <summary>The storage policy type of the main account's root (the 4.18 sandbox's main account uses local).</summary>
    public static string PolicyType => Probe.Value;

    /// <summary>The last_modified the checks send (Unix ms), and the updated_at it becomes (cap 300, 309).</summary>
    public const long LastModified = 1764000000000;
    public const string LastModifiedText = "2025-11-24T16:00:00Z";

    /// <summary>PUT /file/upload; returns the session (data).</summary>
    public static async Task<JsonElement> Session(V4Client c, string uri, long size, string? entityType = null)
    {
        var r = entityType == null
            ? await c.Put("/file/upload", new { uri, size, last_modified = LastModified, mime_type = "application/octet-stream" })
            : await c.Put("/file/upload", new { uri, size, last_modified = LastModified, mime_type = "application/octet-stream", entity_type = entityType });
        return Expect.Ok(r).Clone();
    }

    /// <summary>The chunk size the server gives a session (a probe session, cancelled again).</summary>
    public static async Task<long> ChunkSize(V4Client c, string folderUri)
    {
        var uri = folderUri + "/chunk-probe-" + Guid.NewGuid().ToString("N")[..6];
        var s = await Session(c, uri, 1);
        Expect.Ok(await c.Delete("/file/upload", new { id = s.GetProperty("session_id").GetString(), uri }));
        return s.GetProperty("chunk_size").GetInt64();
    }

    public static ByteArrayContent Bytes(byte[] data, int start, int length)
    {
        var content = new ByteArrayContent(data, start, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>POST /file/upload/{session_id}/{index} with raw bytes and an exact Content-Length (10.2).</summary>
    public static Task<Reply> Chunk(V4Client c, string sessionId, long index, byte[] data, int start, int length) =>
        c.Send(HttpMethod.Post, $"/file/upload/{sessionId}/{index}", Bytes(data, start, length));

    /// <summary>A whole upload (session, chunks or parts, completion); the file is complete afterwards.</summary>
    public static async Task Upload(V4Client c, string uri, byte[] data, string? entityType = null)
    {
        var s = await Session(c, uri, data.Length, entityType);
        await SendAll(c, s, data);
    }

    /// <summary>Sends every chunk of a session the way its storage_policy.type asks for (10.4.4).</summary>
    public static async Task SendAll(V4Client c, JsonElement s, byte[] data)
    {
        var sid = s.GetProperty("session_id").GetString()!;
        var chunk = s.GetProperty("chunk_size").GetInt64();
        var type = s.GetProperty("storage_policy").GetProperty("type").GetString();
        var count = data.Length == 0 || chunk == 0 ? 1 : (int)((data.Length + chunk - 1) / chunk);
        using var storage = new ApiClient(c.BaseUri, cookies: false); // never the Cloudreve token (10.4)
        var tags = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var start = (int)(i * chunk);
            var length = chunk == 0 ? data.Length : (int)Math.Min(chunk, data.Length - start);
            switch (type)
            {
                case "local":
                {
                    var r = await Chunk(c, sid, i, data, start, length);
                    Expect.Ok(r);
                    break;
                }
                case "s3":
                {
                    var r = await storage.Send(HttpMethod.Put, s.GetProperty("upload_urls")[i].GetString()!, Bytes(data, start, length));
                    Expect.Status(r, 200);
                    Expect.That(r, r.Header("ETag").Length > 0, "an ETag header");
                    tags.Add(r.Header("ETag"));
                    break;
                }
                case "onedrive":
                {
                    var content = Bytes(data, start, length);
                    content.Headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, data.Length);
                    var r = await storage.Send(HttpMethod.Put, s.GetProperty("upload_urls")[0].GetString()!, content);
                    Expect.That(r, r.Status is HttpStatusCode.Accepted or HttpStatusCode.Created or HttpStatusCode.OK, "HTTP 202 (more expected) or 200/201 (complete)");
                    break;
                }
                default:
                    throw new XunitException($"The v4 conformance uploader does not handle the policy type '{type}'.");
            }
        }
        var secret = s.GetProperty("callback_secret").GetString();
        switch (type)
        {
            case "s3":
            {
                Expect.Status(await storage.Send(HttpMethod.Post, s.GetProperty("completeURL").GetString()!, CompleteXml(tags)), 200);
                Expect.Ok(await c.Get($"/callback/s3/{sid}/{secret}"));
                break;
            }
            case "onedrive":
                Expect.Ok(await c.Post($"/callback/onedrive/{sid}/{secret}", "{}"));
                break;
        }
    }

    /// <summary>The CompleteMultipartUpload document the web client builds: parts ascending, ETags with their quotes (10.4.2).</summary>
    public static StringContent CompleteXml(IReadOnlyList<string> etags)
    {
        var xml = new StringBuilder("<CompleteMultipartUpload>");
        for (var i = 0; i < etags.Count; i++) xml.Append($"<Part><PartNumber>{i + 1}</PartNumber><ETag>{etags[i]}</ETag></Part>");
        xml.Append("</CompleteMultipartUpload>");
        return new StringContent(xml.ToString(), Encoding.UTF8, "application/octet-stream");
    }

    /// <summary>POST /file/url for one URI; returns the URL.</summary>
    public static async Task<string> Url(V4Client c, string uri, bool download = true)
    {
        var r = await c.Post("/file/url", new { uris = new[] { uri }, download });
        return Expect.Ok(r).GetProperty("urls")[0].GetProperty("url").GetString()!;
    }

    /// <summary>A 4.18.0 sandbox of its own (other storage policies, control routes that touch every session), logged in as admin.</summary>
    public static async Task<(SandboxHost Host, V4Client Client)> StartSandbox(Action<SandboxOptions>? configure = null)
    {
        var o = new SandboxOptions { AdminPassword = V4Target.SandboxAdminPassword, ChunkSize = 1000, ServerVersion = ServerVersions.V4 };
        configure?.Invoke(o);
        var host = await SandboxHost.StartAsync(o);
        var c = new V4Client(host.BaseUri);
        await c.Login(host.AdminEmail, V4Target.SandboxAdminPassword, null);
        return (host, c);
    }
}

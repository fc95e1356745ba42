using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace Cloudreve.Conformance;

/// <summary>Uploads a file the way section 5 describes for the account's policy type (local, remote, onedrive, s3).</summary>
public static class Uploader
{
    /// <summary>PUT /file/upload; returns the credential (data).</summary>
    public static async Task<JsonElement> Session(Target t, ApiClient c, string folder, string name, long size, long lastModified = 1700000000000)
    {
        var policy = Expect.Ok(await c.Get("/directory/")).GetProperty("policy").GetProperty("id").GetString();
        var r = await c.Put("/file/upload", new { path = folder, size, name, policy_id = policy, last_modified = lastModified });
        var data = Expect.Ok(r);
        t.TrackUpload(data.GetProperty("sessionID").GetString()!);
        return data;
    }

    /// <summary>A whole upload, ending with the file listed in the folder; returns its id.</summary>
    public static async Task<string> Upload(Target t, ApiClient c, string folder, string name, byte[] data)
    {
        var type = Expect.Ok(await c.Get("/directory/")).GetProperty("policy").GetProperty("type").GetString();
        var cred = await Session(t, c, folder, name, data.Length);
        await SendAll(c, type!, cred, data);
        var listing = await c.Get("/directory" + folder);
        foreach (var o in Expect.Ok(listing).GetProperty("objects").EnumerateArray())
        {
            if (o.GetProperty("name").GetString() == name && o.GetProperty("type").GetString() == "file") return o.GetProperty("id").GetString()!;
        }
        throw new XunitException($"{listing.Route}: the uploaded file {name} is not listed; got {listing}");
    }

    public static async Task SendAll(ApiClient c, string type, JsonElement cred, byte[] data)
    {
        var sid = cred.GetProperty("sessionID").GetString()!;
        var chunk = cred.GetProperty("chunkSize").GetInt64();
        var count = data.Length == 0 || chunk == 0 ? 1 : (int)((data.Length + chunk - 1) / chunk);
        using var storage = new ApiClient(c.BaseUri, cookies: false);
        var tags = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var start = (int)(i * chunk);
            var length = chunk == 0 ? data.Length : (int)Math.Min(chunk, data.Length - start);
            var content = new ByteArrayContent(data, start, length);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            switch (type)
            {
                case "local":
                    Expect.Ok(await c.Send(HttpMethod.Post, $"/api/v3/file/upload/{sid}/{i}", content));
                    break;
                case "remote":
                    Expect.Ok(await storage.Send(HttpMethod.Post, cred.GetProperty("uploadURLs")[0].GetString() + "?chunk=" + i, content,
                        m => m.Headers.TryAddWithoutValidation("Authorization", cred.GetProperty("credential").GetString())));
                    break;
                case "onedrive":
                {
                    content.Headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, data.Length);
                    var r = await storage.Send(HttpMethod.Put, cred.GetProperty("uploadURLs")[0].GetString()!, content);
                    Expect.That(r, r.Status is HttpStatusCode.Accepted or HttpStatusCode.Created or HttpStatusCode.OK, "HTTP 202 (more expected) or 200/201 (complete)");
                    break;
                }
                case "s3":
                {
                    var r = await storage.Send(HttpMethod.Put, cred.GetProperty("uploadURLs")[i].GetString()!, content);
                    Expect.Status(r, 200);
                    Expect.That(r, r.Header("ETag").Length > 0, "an ETag header");
                    tags.Add(r.Header("ETag"));
                    break;
                }
                default:
                    throw new XunitException($"The conformance uploader does not handle the policy type '{type}'.");
            }
        }
        switch (type)
        {
            case "onedrive":
                Expect.Ok(await c.Post("/callback/onedrive/finish/" + sid, "{}"));
                break;
            case "s3":
            {
                var xml = new StringBuilder("<CompleteMultipartUpload>");
                for (var i = 0; i < tags.Count; i++) xml.Append($"<Part><PartNumber>{i + 1}</PartNumber><ETag>{WebUtility.HtmlEncode(tags[i])}</ETag></Part>");
                xml.Append("</CompleteMultipartUpload>");
                var r = await storage.Send(HttpMethod.Post, cred.GetProperty("completeURL").GetString()!, new StringContent(xml.ToString(), Encoding.UTF8, "application/xhtml+xml"));
                Expect.Status(r, 200);
                Expect.That(r, !r.Text.Contains("<Error>", StringComparison.Ordinal), "no <Error> in the CompleteMultipartUpload answer");
                Expect.Ok(await c.Get("/callback/s3/" + sid));
                break;
            }
        }
    }
}

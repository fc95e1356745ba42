using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

/// <summary>POST /_sandbox/downloads/expire and /_sandbox/uploads/expire: deterministic expiry, answered as 3.8.3 answers real expiry.</summary>
public sealed class ExpiryControlTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.ChunkSize = 1000;
        options.Groups.Add(new SandboxGroup("S3", "s3"));
        options.Groups.Add(new SandboxGroup("Graph", "onedrive"));
        options.Users.Add(new SandboxUser("s3@example.com", UserPassword, "S3"));
        options.Users.Add(new SandboxUser("od@example.com", UserPassword, "Graph"));
    }

    private static async Task<JsonElement> Control(SandboxClient c, string path)
    {
        using var resp = await c.SendAsync(HttpMethod.Post, path);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> Envelope(HttpResponseMessage resp) =>
        JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Local_download_urls_issued_before_expire_get_40005_and_new_ones_work()
    {
        using var c = await UserAsync();
        var data = RandomNumberGenerator.GetBytes(2500);
        var id = await Transfer.UploadAsync(c, "/d", "a.bin", data);
        var old = (await c.PutAsync($"/file/download/{id}", null)).GetProperty("data").GetString()!;
        using (var resp = await c.SendAsync(HttpMethod.Get, old)) Assert.Equal(data, await resp.Content.ReadAsByteArrayAsync());

        Assert.True((await Control(c, "_sandbox/downloads/expire")).GetProperty("expired").GetBoolean());
        using (var resp = await c.SendAsync(HttpMethod.Get, old))
            AssertCode(40005, await Envelope(resp), "signature expired");

        var fresh = (await c.PutAsync($"/file/download/{id}", null)).GetProperty("data").GetString()!;
        using (var resp = await c.SendAsync(HttpMethod.Get, fresh))
        {
            Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
            Assert.Equal(data, await resp.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Provider_download_urls_expire_too()
    {
        foreach (var (email, status, marker) in new[] { ("s3@example.com", HttpStatusCode.Forbidden, "Request has expired"), ("od@example.com", HttpStatusCode.Unauthorized, "unauthenticated") })
        {
            using var c = NewClient();
            await c.LoginOkAsync(email, UserPassword);
            var s = await Provider.Session(c, "/", "p.bin", 10);
            var data = RandomNumberGenerator.GetBytes(10);
            var url = s.GetProperty("uploadURLs")[0].GetString()!;
            var sid = s.GetProperty("sessionID").GetString()!;
            if (s.TryGetProperty("completeURL", out var complete))
            {
                using var part = await Provider.PutPart(url, data);
                using var done = await Provider.Complete(complete.GetString()!, Provider.CompleteXml([(1, part.Headers.ETag!.ToString())]));
                AssertCode(0, (await Provider.Callback(c, HttpMethod.Get, "/callback/s3/" + sid, null)).Body);
            }
            else
            {
                using var put = await Provider.PutFragment(url, data, 0, 10);
                AssertCode(0, (await Provider.Callback(c, HttpMethod.Post, "/callback/onedrive/finish/" + sid, "{}")).Body);
            }
            var file = (await Provider.Find(c, "/", "p.bin"))!.Value.GetProperty("id").GetString();
            var old = (await c.PutAsync($"/file/download/{file}", null)).GetProperty("data").GetString()!;
            Assert.Equal(data, await Provider.Http.GetByteArrayAsync(old));

            await Control(c, "_sandbox/downloads/expire");
            using (var resp = await Provider.Http.GetAsync(old))
            {
                Assert.Equal(status, resp.StatusCode);
                Assert.Contains(marker, await resp.Content.ReadAsStringAsync());
            }
            var fresh = (await c.PutAsync($"/file/download/{file}", null)).GetProperty("data").GetString()!;
            Assert.Equal(data, await Provider.Http.GetByteArrayAsync(fresh));
        }
    }

    [Fact]
    public async Task Open_upload_sessions_expire_with_40011_and_the_placeholder_blocks_the_name_until_cancelled()
    {
        using var c = await UserAsync();
        var policy = await Transfer.PolicyId(c);
        var data = RandomNumberGenerator.GetBytes(2500);
        var sid = (await c.PutAsync("/file/upload", new { path = "/u", size = data.Length, name = "e.bin", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        AssertCode(0, await Transfer.Chunk(c, sid, 0, data[..1000]));

        Assert.Equal(1, (await Control(c, "_sandbox/uploads/expire")).GetProperty("expired").GetInt32());
        AssertCode(40011, await Transfer.Chunk(c, sid, 1, data[1000..2000]), "");
        AssertCode(40054, await c.PutAsync("/file/upload", new { path = "/u", size = data.Length, name = "e.bin", policy_id = policy }), "Upload session existed");
        AssertCode(0, await c.DeleteAsync($"/file/upload/{sid}"));
        Assert.Equal(0, (await Control(c, "_sandbox/uploads/expire")).GetProperty("expired").GetInt32());

        var id = await Transfer.UploadAsync(c, "/u", "e.bin", data);
        var url = (await c.PutAsync($"/file/download/{id}", null)).GetProperty("data").GetString()!;
        using var resp = await c.SendAsync(HttpMethod.Get, url);
        Assert.Equal(data, await resp.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Provider_upload_sessions_expire_with_them()
    {
        using var c = NewClient();
        await c.LoginOkAsync("od@example.com", UserPassword);
        var s = await Provider.Session(c, "/", "g.bin", 2000);
        var url = s.GetProperty("uploadURLs")[0].GetString()!;
        var data = RandomNumberGenerator.GetBytes(2000);
        using (var r = await Provider.PutFragment(url, data, 0, 1000)) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        await Control(c, "_sandbox/uploads/expire");
        using (var r = await Provider.PutFragment(url, data, 1000, 1000)) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var (_, body) = await Provider.Callback(c, HttpMethod.Post, "/callback/onedrive/finish/" + s.GetProperty("sessionID").GetString(), "{}");
        AssertCode(40011, body);
    }
}

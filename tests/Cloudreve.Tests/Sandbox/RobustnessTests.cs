using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

/// <summary>Invalid input never crashes the sandbox: every answer is the documented envelope (or text 404), never HTTP 500.</summary>
public sealed class RobustnessTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.ChunkSize = 1000;

    private static readonly (string Method, string Path)[] Routes =
    [
        ("POST", "/user/session"), ("POST", "/user/2fa"), ("PUT", "/directory"), ("POST", "/file/create"), ("PUT", "/file/upload"),
        ("DELETE", "/object"), ("PATCH", "/object"), ("POST", "/object/copy"), ("POST", "/object/rename"), ("POST", "/share"),
        ("PATCH", "/share/XXXX"), ("POST", "/webdav/accounts"), ("PATCH", "/webdav/accounts"), ("POST", "/file/source"),
        ("POST", "/admin/user/list"), ("POST", "/admin/user"), ("POST", "/admin/user/delete"), ("POST", "/admin/group/list"),
        ("POST", "/callback/onedrive/finish/x"),
    ];

    private static readonly string[] Bodies =
    [
        "", "{", "null", "[]", "\"str\"", "42", "{\"path\":5}", "{\"path\":null,\"name\":{}}", "{\"items\":\"x\",\"dirs\":[1]}",
        "{\"src\":[],\"dst\":true}", "{\"User\":[]}", "{\"id\":\"1\"}", "{\"page\":1e99,\"page_size\":-1}", "{\"page\":1,\"page_size\":1,\"conditions\":{\"id\":{}},\"order_by\":\"id; DROP TABLE users\"}",
        "{\"size\":18446744073709551616}", "{\"size\":-1}", "{\"path\":\"\\u0000\"}", "{\"new_name\":\"" + new string('x', 70000) + "\"}",
    ];

    [Fact]
    public async Task Malformed_and_mistyped_bodies_get_envelopes_on_every_route()
    {
        using var c = await AdminAsync();
        foreach (var (method, path) in Routes)
        {
            foreach (var body in Bodies)
            {
                using var resp = await c.SendAsync(new HttpMethod(method), ApiPath(path), new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await resp.Content.ReadAsStringAsync();
                Assert.True(resp.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"{method} {path} with {body[..Math.Min(40, body.Length)]}: HTTP {(int)resp.StatusCode} {text}");
                var code = JsonDocument.Parse(text).RootElement.GetProperty("code").GetInt32();
                Assert.True(code != 0 || path is "/object" or "/share/XXXX" || body is "null" or "{\"page\":1,\"page_size\":1,\"conditions\":{\"id\":{}},\"order_by\":\"id; DROP TABLE users\"}",
                    $"{method} {path} with {body[..Math.Min(40, body.Length)]}: code 0 {text}");
            }
        }
        // the database survived the order_by injection attempt
        AssertCode(0, await c.PostAsync("/admin/user/list", new { page = 1, page_size = 5 }));
    }

    [Fact]
    public async Task Documented_codes_for_bad_json_types_ids_and_names()
    {
        using var c = await UserAsync();
        AssertCode(40001, await c.PutAsync("/directory", "{"), "Parameter error");
        AssertCode(40001, await c.PutAsync("/directory", "{\"path\":5}"), "JSON marshall error");
        AssertCode(40001, await c.PutAsync("/directory", "[]"), "JSON marshall error");
        AssertCode(40001, await c.PutAsync("/file/download/XXXX", null), "Failed to parse object ID");
        AssertCode(404, await c.GetAsync("/object/property/XXXX?is_folder=true"));
        AssertCode(40011, await c.DeleteAsync("/file/upload/whatever"));
        AssertCode(40058, await c.GetAsync("/share/info/" + new string('Z', 1000)));
        var pid = await Transfer.PolicyId(c);
        foreach (var name in new[] { "..", "." })
            AssertCode(0, await c.PutAsync("/file/upload", new { path = "/n", size = 1, name, policy_id = pid }));
        foreach (var name in new[] { "a/b", "a\\b", new string('x', 300), "bad\u0000|", "trail " })
            AssertCode(40052, await c.PutAsync("/file/upload", new { path = "/n", size = 1, name, policy_id = pid }));
        AssertCode(40052, await c.PutAsync("/directory", new { path = "/n/" + new string('y', 300) }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/n/ctl\u0001\t.txt" }));
        var dots = await RawHttp.SendAsync(Host.BaseUri, "GET /api/v3/directory/n/%2E%2E HTTP/1.1", $"Cookie: cloudreve-session={c.SessionCookie}\r\n");
        Assert.Contains("{\"code\":40016,\"msg\":\"Path not exist\"}", dots);
        AssertCode(0, await c.GetAsync("/site/ping"));
    }

    [Fact]
    public async Task Hostile_paths_and_headers_do_not_crash()
    {
        using var c = await UserAsync();
        foreach (var target in new[] { "/api/v3/directory/%", "/api/v3/directory/%zz", "/api/v3/directory/..%2F..%2F..%2Fetc", "/api/v3/file/upload/x/99999999999999999999",
                     "/f/%FF/%FE", "/api/v3/file/get/-1/x?sign=a:b", "/api/v3/file/download/x?sign=%00", "/_provider/s3/sandbox-bucket/../../x", "/_provider/onedrive/content/%2F..%2Fx?tempauth=a.1" })
        {
            var raw = await RawHttp.SendAsync(Host.BaseUri, $"GET {target} HTTP/1.1", $"Cookie: cloudreve-session={c.SessionCookie}\r\n");
            Assert.DoesNotContain("HTTP/1.1 500", raw, StringComparison.Ordinal);
        }
        var pid = await Transfer.PolicyId(c);
        var s = await c.PutAsync("/file/upload", new { path = "/", size = 10, name = "r.bin", policy_id = pid });
        var sid = s.GetProperty("data").GetProperty("sessionID").GetString();
        var content = new ByteArrayContent(new byte[10]);
        content.Headers.ContentRange = new ContentRangeHeaderValue(0, 9, 10);
        content.Headers.TryAddWithoutValidation("Content-Type", "garbage/; ;=\"x");
        using (var resp = await c.SendAsync(HttpMethod.Post, ApiPath($"/file/upload/{sid}/0"), content))
            AssertCode(0, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement);
        AssertCode(0, await c.GetAsync("/site/ping"));
    }
}

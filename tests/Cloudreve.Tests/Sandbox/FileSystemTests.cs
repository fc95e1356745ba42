using System.Net;
using System.Text.Json;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class DirectoryTests : SandboxTestBase
{
    [Fact]
    public async Task Root_listing_has_parent_objects_and_policy()
    {
        using var c = await AdminAsync();
        var r = await c.GetAsync("/directory/");
        AssertCode(0, r);
        var d = r.GetProperty("data");
        Assert.Equal(["parent", "objects", "policy"], Keys(d));
        Assert.Equal(0, d.GetProperty("objects").GetArrayLength());
        var p = d.GetProperty("policy");
        Assert.Equal(["id", "name", "type", "max_size", "file_type"], Keys(p));
        Assert.Equal("Default storage policy", p.GetProperty("name").GetString());
        Assert.Equal("local", p.GetProperty("type").GetString());
        Assert.Equal(0, p.GetProperty("file_type").GetArrayLength());
    }

    [Fact]
    public async Task Listing_requires_login()
    {
        using var c = NewClient();
        AssertCode(401, await c.GetAsync("/directory/"));
    }

    [Fact]
    public async Task Directory_without_slash_redirects_301()
    {
        using var c = await AdminAsync();
        using var resp = await c.SendAsync(HttpMethod.Get, "api/v3/directory");
        Assert.Equal(HttpStatusCode.MovedPermanently, resp.StatusCode);
        Assert.Equal("/api/v3/directory/", resp.Headers.Location?.OriginalString);
        using var put = await c.SendAsync(HttpMethod.Put, "api/v3/directory/", new StringContent("{\"path\":\"/x\"}"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, put.StatusCode);
        Assert.Equal("/api/v3/directory", put.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Create_nested_unicode_idempotent_and_list_with_encodings()
    {
        using var c = await AdminAsync();
        const string special = "sp a#b%c+d&e'f[g]h ünï 文";
        AssertCode(0, await c.PutAsync("/directory", new { path = "/docs/" + special }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/docs" }));
        var docs = await c.GetAsync("/directory/docs");
        AssertCode(0, docs);
        var obj = Assert.Single(docs.GetProperty("data").GetProperty("objects").EnumerateArray());
        Assert.Equal(["id", "name", "path", "thumb", "size", "type", "date", "create_date", "source_enabled"], Keys(obj));
        Assert.Equal(special, obj.GetProperty("name").GetString());
        Assert.Equal("/docs", obj.GetProperty("path").GetString());
        Assert.Equal("dir", obj.GetProperty("type").GetString());
        var id = obj.GetProperty("id").GetString();

        // per-segment encoding, whole-path encodeURIComponent, literal '+'
        foreach (var url in new[]
        {
            "/directory/docs/" + Uri.EscapeDataString(special),
            "/directory" + Uri.EscapeDataString("/docs/" + special),
            "/directory/docs/sp%20a%23b%25c+d%26e'f[g]h%20%C3%BCn%C3%AF%20%E6%96%87",
        })
        {
            var r = await c.GetAsync(url);
            AssertCode(0, r);
            Assert.Equal(id, r.GetProperty("data").GetProperty("parent").GetString());
        }
        // '+' as a space does not match
        AssertCode(40016, await c.GetAsync("/directory/docs/sp+a%23b%25c%2Bd%26e%27f%5Bg%5Dh+%C3%BCn%C3%AF+%E6%96%87"), "Path not exist");

        // JSON escapes & like Go
        using var raw = await c.SendAsync(HttpMethod.Get, "api/v3/directory/docs");
        Assert.Contains("\\u0026", await raw.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/directory/nope")]
    [InlineData("/directory/docs/")]
    [InlineData("/directory//docs")]
    [InlineData("/directory/docs%2F")]
    [InlineData("/directory/x/../docs")]
    public async Task Lookups_do_not_normalise(string url)
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PutAsync("/directory", new { path = "/docs" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/x" }));
        var r = url.Contains("..", StringComparison.Ordinal)
            ? JsonDocument.Parse(await RawGet(url)).RootElement
            : await c.GetAsync(url);
        Assert.Equal("{\"code\":40016,\"msg\":\"Path not exist\"}", r.GetRawText());

        async Task<string> RawGet(string u)
        {
            var text = await RawHttp.SendAsync(Host.BaseUri, $"GET /api/v3{u} HTTP/1.1", $"Cookie: cloudreve-session={c.SessionCookie}\r\n");
            return text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        }
    }

    [Fact]
    public async Task Root_encoded_slash_lists_root()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PutAsync("/directory", new { path = "/a" }));
        var r = await c.GetAsync("/directory%2F");
        AssertCode(0, r);
        Assert.Equal("a", r.GetProperty("data").GetProperty("objects")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_rules()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PutAsync("/directory", new { path = "/" }));
        AssertCode(40053, await c.PutAsync("/directory", new { path = "foo" }), "Root protected");
        AssertCode(40001, await c.PutAsync("/directory", new { path = "" }), "Path cannot be empty");
        AssertCode(40052, await c.PutAsync("/directory", new { path = "/x:y" }), "Invalid object name");
        AssertCode(40052, await c.PutAsync("/directory", new { path = "/" + new string('n', 256) }), "Invalid object name");
        AssertCode(0, await c.PutAsync("/directory", new { path = "/" + new string('n', 255) }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/v//r/./sub/../clean/" }));
        AssertCode(0, await c.GetAsync("/directory/v/r/clean"));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/v/trail " }));
        AssertCode(0, await c.GetAsync("/directory/v/trail"));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/v/f.txt" }));
        AssertCode(40004, await c.PutAsync("/directory", new { path = "/v/f.txt" }), "Object existed");
        AssertCode(40016, await c.GetAsync("/directory/v/f.txt"), "Path not exist");
        AssertCode(40001, await c.PutAsync("/directory", "{bad"), "Parameter error");
    }
}

public sealed class ObjectTests : SandboxTestBase
{
    private static async Task<Dictionary<string, JsonElement>> List(SandboxClient c, string path)
    {
        var r = await c.GetAsync("/directory" + path);
        AssertCode(0, r);
        return r.GetProperty("data").GetProperty("objects").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o);
    }

    private static string Id(Dictionary<string, JsonElement> l, string name) => l[name].GetProperty("id").GetString()!;

    [Fact]
    public async Task Create_file_then_conflicts()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/d/empty.md" }));
        AssertCode(40004, await c.PostAsync("/file/create", new { path = "/d/empty.md" }), "Object existed");
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/d/EMPTY.md" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/v/r/../r/c.txt" }));
        AssertCode(40053, await c.PostAsync("/file/create", new { path = "rel.txt" }), "Root protected");
        var l = await List(c, "/d");
        Assert.Equal("file", l["empty.md"].GetProperty("type").GetString());
        Assert.Equal(0, l["empty.md"].GetProperty("size").GetInt64());
        Assert.True(l["empty.md"].GetProperty("thumb").GetBoolean());
        Assert.Contains("c.txt", (await List(c, "/v/r")).Keys);
    }

    [Fact]
    public async Task Rename_rules()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/r/a.txt" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/r/b.txt" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/r/d1" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/r/d2" }));
        var l = await List(c, "/r");
        var a = Id(l, "a.txt");
        var d1 = Id(l, "d1");

        AssertCode(40004, await c.PostAsync("/object/rename", new { src = new { items = new[] { a }, dirs = Array.Empty<string>() }, new_name = "b.txt" }), "Object existed");
        AssertCode(40004, await c.PostAsync("/object/rename", new { src = new { items = Array.Empty<string>(), dirs = new[] { d1 } }, new_name = "d2" }), "Object existed");
        AssertCode(0, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = "a.txt" }));
        foreach (var bad in new[] { "x\\y", "x?y", "x*y", "x<y", "x\"y", "x:y", "x>y", "x/y", "x|y", "x.txt " })
            AssertCode(40052, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = bad }), "Invalid object name");
        AssertCode(40052, await c.PostAsync("/object/rename", new { src = new { dirs = new[] { d1 } }, new_name = "d1 " }));
        AssertCode(40001, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = new string('n', 252) + ".txt" }), "NewName too long");
        AssertCode(40052, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = string.Concat(Enumerable.Repeat("文", 84)) + ".txt" }));
        AssertCode(40001, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = "" }), "NewName cannot be empty");
        AssertCode(40001, await c.PostAsync("/object/rename", new { src = new { items = new[] { a, Id(l, "b.txt") } }, new_name = "z.txt" }), "You can only copy one object at the same time");
        AssertCode(40016, await c.PostAsync("/object/rename", new { src = new { items = new[] { "XXXX" } }, new_name = "z.txt" }), "Path not exist");
        AssertCode(40016, await c.PostAsync("/object/rename", new { src = new { items = new[] { d1 } }, new_name = "z.txt" }), "Path not exist");
        AssertCode(0, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = new string('n', 251) + ".txt" }));
        AssertCode(0, await c.PostAsync("/object/rename", new { src = new { items = new[] { a } }, new_name = " lead.txt" }));
        Assert.Equal(a, Id(await List(c, "/r"), " lead.txt"));
    }

    [Fact]
    public async Task Move_semantics()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PutAsync("/directory", new { path = "/m/src/A" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/m/src/E" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/m/dst/A" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/m/src/f.txt" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/m/dst/f.txt" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/m/src/g.txt" }));
        var src = await List(c, "/m/src");
        var (a, e, f, g) = (Id(src, "A"), Id(src, "E"), Id(src, "f.txt"), Id(src, "g.txt"));

        AssertCode(40004, await c.PatchAsync("/object", new { src_dir = "/m/src", src = new { items = Array.Empty<string>(), dirs = new[] { a } }, dst = "/m/src/A" }), "Object existed");
        AssertCode(40004, await c.PatchAsync("/object", new { src_dir = "/m/src", src = new { items = new[] { f }, dirs = Array.Empty<string>() }, dst = "/m/dst" }), "Object existed");
        AssertCode(40004, await c.PatchAsync("/object", new { src_dir = "/m/src", src = new { items = Array.Empty<string>(), dirs = new[] { a } }, dst = "/m/dst" }));
        // folder E moves, then the file conflict answers 40004
        AssertCode(40004, await c.PatchAsync("/object", new { src_dir = "/m/src", src = new { items = new[] { f }, dirs = new[] { e } }, dst = "/m/dst" }));
        Assert.Contains("E", (await List(c, "/m/dst")).Keys);
        // not a direct child of src_dir: skipped, code 0
        AssertCode(0, await c.PatchAsync("/object", new { src_dir = "/m", src = new { items = new[] { g } }, dst = "/m/dst" }));
        Assert.Contains("g.txt", (await List(c, "/m/src")).Keys);
        AssertCode(40016, await c.PatchAsync("/object", new { src_dir = "/m/nope", src = new { items = new[] { g } }, dst = "/m/dst" }), "Path not exist");
        AssertCode(0, await c.PatchAsync("/object", new { src_dir = "/m/src", src = new { items = new[] { g } }, dst = "/m/src" }));
        AssertCode(0, await c.PatchAsync("/object", new { src_dir = "/m/src", src = new { items = new[] { g } }, dst = "/m/dst" }));
        Assert.Contains("g.txt", (await List(c, "/m/dst")).Keys);
        AssertCode(40001, await c.PatchAsync("/object", new { src = new { items = new[] { g } }, dst = "/m/dst" }), "SrcDir cannot be empty");
    }

    [Fact]
    public async Task Copy_semantics()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PutAsync("/directory", new { path = "/m/src/A/B" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/m/src/A/inner.txt" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/m/src/f.txt" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/m/c" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/m/dst/A" }));
        var src = await List(c, "/m/src");
        var (a, f) = (Id(src, "A"), Id(src, "f.txt"));

        AssertCode(40001, await c.PostAsync("/object/copy", new { src_dir = "/m/src", src = new { items = new[] { f }, dirs = new[] { a } }, dst = "/m/c" }), "You can only copy one object at the same time");
        AssertCode(40016, await c.PostAsync("/object/copy", new { src_dir = "/m/src", src = new { dirs = new[] { a } }, dst = "/m/dst" }), "Object not exist");
        AssertCode(40016, await c.PostAsync("/object/copy", new { src_dir = "/m/src", src = new { items = new[] { f } }, dst = "/m/src" }), "Object not exist");
        AssertCode(40016, await c.PostAsync("/object/copy", new { src_dir = "/m", src = new { dirs = new[] { a } }, dst = "/m/c" }), "Object not exist");
        AssertCode(0, await c.PostAsync("/object/copy", new { src_dir = "/m", src = new { items = new[] { f } }, dst = "/m/c" }));
        AssertCode(0, await c.PostAsync("/object/copy", new { src_dir = "/m/src", src = new { dirs = new[] { a } }, dst = "/m/c" }));
        var copied = await List(c, "/m/c/A");
        Assert.Equal(["B", "inner.txt"], copied.Keys.ToArray());
        Assert.NotEqual(a, Id(await List(c, "/m/c"), "A"));
        // copy a folder into itself terminates
        var cA = Id(await List(c, "/m/c"), "A");
        AssertCode(0, await c.PostAsync("/object/copy", new { src_dir = "/m/c", src = new { dirs = new[] { cA } }, dst = "/m/c/A" }));
        Assert.Equal(["B", "A", "inner.txt"], (await List(c, "/m/c/A")).Keys.ToArray());
    }

    [Fact]
    public async Task Delete_and_property()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/p/x/deep/a.txt" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/p/b.txt" }));
        var p = await List(c, "/p");
        var (x, b) = (Id(p, "x"), Id(p, "b.txt"));

        var fileProp = await c.GetAsync($"/object/property/{b}?trace_root=true&is_folder=false");
        AssertCode(0, fileProp);
        var fd = fileProp.GetProperty("data");
        Assert.Equal(["created_at", "updated_at", "policy", "size", "child_folder_num", "child_file_num", "path", "query_date"], Keys(fd));
        Assert.Equal("Default storage policy", fd.GetProperty("policy").GetString());
        Assert.Equal("/p", fd.GetProperty("path").GetString());
        var noTrace = await c.GetAsync($"/object/property/{b}?trace_root=false&is_folder=false");
        Assert.Equal("", noTrace.GetProperty("data").GetProperty("path").GetString());

        var folderProp = (await c.GetAsync($"/object/property/{x}?trace_root=true&is_folder=true")).GetProperty("data");
        Assert.Equal("", folderProp.GetProperty("policy").GetString());
        Assert.Equal(1, folderProp.GetProperty("child_folder_num").GetInt32());
        Assert.Equal(1, folderProp.GetProperty("child_file_num").GetInt32());
        Assert.Equal("/p", folderProp.GetProperty("path").GetString());

        Assert.Equal("{\"code\":404,\"msg\":\"\"}", (await c.GetAsync("/object/property/XXXX?trace_root=false&is_folder=false")).GetRawText());
        Assert.Equal("{\"code\":404,\"msg\":\"\"}", (await c.GetAsync($"/object/property/{b}?trace_root=false&is_folder=true")).GetRawText());

        AssertCode(0, await c.DeleteAsync("/object", new { items = new[] { "XXXX" }, dirs = Array.Empty<string>() }));
        AssertCode(0, await c.DeleteAsync("/object", new { items = Array.Empty<string>(), dirs = Array.Empty<string>() }));
        AssertCode(40001, await c.DeleteAsync("/object"), "Parameter error");
        AssertCode(0, await c.DeleteAsync("/object", new { items = new[] { b }, dirs = new[] { x } }));
        Assert.Empty(await List(c, "/p"));
        AssertCode(40016, await c.GetAsync("/directory/p/x/deep"));

        using var gone = await c.SendAsync(HttpMethod.Get, ApiPath($"/object/property/{b}?trace_root=false&is_folder=false"));
        Assert.Equal(HttpStatusCode.InternalServerError, gone.StatusCode);
        Assert.Empty(await gone.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Foreign_objects_are_invisible()
    {
        using var admin = await AdminAsync();
        using var user = await UserAsync();
        AssertCode(0, await admin.PostAsync("/file/create", new { path = "/secret.txt" }));
        var id = Id(await List(admin, "/"), "secret.txt");
        AssertCode(40016, await user.PostAsync("/object/rename", new { src = new { items = new[] { id } }, new_name = "mine.txt" }));
        AssertCode(0, await user.DeleteAsync("/object", new { items = new[] { id } }));
        AssertCode(40016, await user.PutAsync($"/file/download/{id}", null), "Object not exist");
        using var prop = await user.SendAsync(HttpMethod.Get, ApiPath($"/object/property/{id}?trace_root=false&is_folder=false"));
        Assert.Equal(HttpStatusCode.InternalServerError, prop.StatusCode);
        Assert.Contains("secret.txt", (await List(admin, "/")).Keys);
    }

    [Fact]
    public async Task Search()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/s/f.txt" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/s/sub/F2.TXT" }));
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/s/pic.png" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/s/f-folder" }));

        var r = await c.GetAsync("/file/search/keywords/f");
        AssertCode(0, r);
        Assert.Equal(["objects", "parent"], Keys(r.GetProperty("data")));
        Assert.Equal(0, r.GetProperty("data").GetProperty("parent").GetInt32());
        var names = r.GetProperty("data").GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal(["f.txt", "F2.TXT"], names);
        Assert.All(r.GetProperty("data").GetProperty("objects").EnumerateArray(), o => Assert.Equal("/", o.GetProperty("path").GetString()));

        var img = await c.GetAsync("/file/search/image/internal");
        Assert.Equal("pic.png", Assert.Single(img.GetProperty("data").GetProperty("objects").EnumerateArray()).GetProperty("name").GetString());
        var scoped = await c.GetAsync("/file/search/keywords/f?path=%2Fs%2Fsub");
        Assert.Single(scoped.GetProperty("data").GetProperty("objects").EnumerateArray());
        AssertCode(40016, await c.GetAsync("/file/search/keywords/f?path=%2Fnope"));
        AssertCode(40001, await c.GetAsync("/file/search/foo/bar"), "Unknown search type");
        Assert.Equal("{\"code\":404,\"msg\":\"\"}", (await c.GetAsync("/file/search/tag/XXXX")).GetRawText());
    }
}

using System.Text.Json;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class ShareTests : SandboxTestBase
{
    private static string KeyOf(JsonElement r) => r.GetProperty("data").GetString()!.Split('/')[^1];

    [Fact]
    public async Task Create_list_update_info_delete()
    {
        using var c = await AdminAsync();
        AssertCode(0, await c.PostAsync("/file/create", new { path = "/s/a.txt" }));
        AssertCode(0, await c.PutAsync("/directory", new { path = "/s/d1" }));
        var objs = (await c.GetAsync("/directory/s")).GetProperty("data").GetProperty("objects").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("id").GetString()!);

        var pub = await c.PostAsync("/share", new { id = objs["a.txt"], is_dir = false, password = "", downloads = -1, expire = 86400, preview = true });
        AssertCode(0, pub);
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/s/[A-Za-z0-9]+$", pub.GetProperty("data").GetString());
        var locked = await c.PostAsync("/share", new { id = objs["d1"], is_dir = true, password = "pw3", downloads = 3, expire = 3600, preview = false });
        AssertCode(0, locked);
        var expired = await c.PostAsync("/share", new { id = objs["a.txt"], is_dir = false, downloads = 3, expire = 0 });
        AssertCode(404, await c.PostAsync("/share", new { id = objs["a.txt"], is_dir = true }));
        AssertCode(40001, await c.PostAsync("/share", new { is_dir = true }), "Source resource cannot be empty");

        var list = await c.GetAsync("/share?page=1&order_by=created_at&order=DESC");
        AssertCode(0, list);
        Assert.Equal(["items", "total"], Keys(list.GetProperty("data")));
        Assert.Equal(3, list.GetProperty("data").GetProperty("total").GetInt32());
        var items = list.GetProperty("data").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["key", "is_dir", "password", "create_date", "downloads", "remain_downloads", "views", "expire", "preview", "source"], Keys(items[1]));
        var lockedItem = items.Single(i => i.GetProperty("key").GetString() == KeyOf(locked));
        Assert.Equal("pw3", lockedItem.GetProperty("password").GetString());
        Assert.Equal(3, lockedItem.GetProperty("remain_downloads").GetInt32());
        Assert.InRange(lockedItem.GetProperty("expire").GetInt64(), 3590, 3600);
        var pubItem = items.Single(i => i.GetProperty("key").GetString() == KeyOf(pub));
        Assert.Equal(-1, pubItem.GetProperty("expire").GetInt64());
        Assert.Equal(-1, pubItem.GetProperty("remain_downloads").GetInt64());
        Assert.Equal("a.txt", pubItem.GetProperty("source").GetProperty("name").GetString());
        AssertCode(40001, await c.GetAsync("/share?page=1&order_by=created_at&order=desc"), "Invalid parameters.");

        using var anon = NewClient();
        AssertCode(40058, await anon.GetAsync($"/share/info/{KeyOf(expired)}"), "");
        var info = await anon.GetAsync($"/share/info/{KeyOf(locked)}");
        Assert.True(info.GetProperty("data").GetProperty("locked").GetBoolean());
        Assert.False(info.GetProperty("data").TryGetProperty("source", out _));
        info = await anon.GetAsync($"/share/info/{KeyOf(locked)}?password=nope");
        Assert.True(info.GetProperty("data").GetProperty("locked").GetBoolean());
        info = await anon.GetAsync($"/share/info/{KeyOf(locked)}?password=pw3");
        var d = info.GetProperty("data");
        Assert.Equal(["key", "locked", "is_dir", "create_date", "downloads", "views", "expire", "preview", "creator", "source"], Keys(d));
        Assert.False(d.GetProperty("locked").GetBoolean());
        Assert.True(d.GetProperty("is_dir").GetBoolean());
        Assert.Equal(1, d.GetProperty("views").GetInt32());
        Assert.Equal("d1", d.GetProperty("source").GetProperty("name").GetString());
        Assert.Equal("admin", d.GetProperty("creator").GetProperty("nick").GetString());
        Assert.Equal("Admin", d.GetProperty("creator").GetProperty("group_name").GetString());
        // unlocked in the session from now on
        Assert.False((await anon.GetAsync($"/share/info/{KeyOf(locked)}")).GetProperty("data").GetProperty("locked").GetBoolean());

        Assert.Equal("newpw", (await c.PatchAsync($"/share/{KeyOf(pub)}", new { prop = "password", value = "newpw" })).GetProperty("data").GetString());
        Assert.True((await c.PatchAsync($"/share/{KeyOf(pub)}", new { prop = "preview_enabled", value = "true" })).GetProperty("data").GetBoolean());
        AssertCode(40001, await c.PatchAsync($"/share/{KeyOf(pub)}", new { prop = "downloads", value = "5" }), "Invalid parameters.");
        AssertCode(40001, await c.PatchAsync($"/share/{KeyOf(pub)}", "{\"prop\":\"preview_enabled\",\"value\":true}"), "JSON marshall error");
        AssertCode(40058, await c.PatchAsync($"/share/{KeyOf(expired)}", new { prop = "password", value = "x" }));

        using var other = await UserAsync();
        AssertCode(40058, await other.DeleteAsync($"/share/{KeyOf(pub)}"));
        AssertCode(0, await c.DeleteAsync($"/share/{KeyOf(expired)}"));
        AssertCode(0, await c.DeleteAsync($"/share/{KeyOf(pub)}"));
        AssertCode(40058, await c.DeleteAsync($"/share/{KeyOf(pub)}"));

        // deleting the source deletes its shares
        AssertCode(0, await c.DeleteAsync("/object", new { dirs = new[] { objs["d1"] } }));
        AssertCode(40058, await c.DeleteAsync($"/share/{KeyOf(locked)}"));
    }
}

public sealed class SourceLinkTests : SandboxTestBase
{
    [Fact]
    public async Task Source_links_redirect_to_signed_get()
    {
        using var c = await AdminAsync();
        var a = await Transfer.UploadAsync(c, "/x", "f.txt", System.Text.Encoding.UTF8.GetBytes("one"));
        var b = await Transfer.UploadAsync(c, "/y", "f.txt", System.Text.Encoding.UTF8.GetBytes("two"));
        var r = await c.PostAsync("/file/source", new { items = new[] { b, a, "XXXX" } });
        AssertCode(0, r);
        var arr = r.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, arr.Count);
        Assert.Equal(["url", "name", "parent"], Keys(arr[0]));
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/f/[A-Za-z0-9]+/f\\.txt$", arr[0].GetProperty("url").GetString());
        Assert.Equal(arr[0].GetProperty("url").GetString(), (await c.PostAsync("/file/source", new { items = new[] { a } })).GetProperty("data")[0].GetProperty("url").GetString());
        AssertCode(40044, await c.PostAsync("/file/source", new { items = new[] { "XXXX" } }), "");

        using var anon = NewClient();
        using var redirect = await anon.Http.GetAsync(arr[0].GetProperty("url").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!.OriginalString;
        Assert.Equal("max-age=600", redirect.Headers.CacheControl!.ToString());
        Assert.Equal("text/html; charset=utf-8", redirect.Content.Headers.ContentType!.ToString());
        Assert.Equal($"<a href=\"{location}\">Found</a>.\n\n", await redirect.Content.ReadAsStringAsync());
        Assert.StartsWith("/api/v3/file/get/", location);
        using var content = await anon.SendAsync(HttpMethod.Get, location);
        Assert.Equal("one", await content.Content.ReadAsStringAsync());
        Assert.Equal("sandbox", content.Headers.NonValidated["Content-Security-Policy"].ToString());

        using var wrong = await anon.SendAsync(HttpMethod.Get, arr[0].GetProperty("url").GetString()!.Replace("/f.txt", "/g.txt", StringComparison.Ordinal));
        AssertCode(40044, System.Text.Json.JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement);

        using var user = await UserAsync();
        var many = Enumerable.Repeat(a, 11).ToArray();
        AssertCode(40014, await user.PostAsync("/file/source", new { items = many }));
    }
}

public sealed class ShareDownloadTests : SandboxTestBase
{
    private static string KeyOf(JsonElement r) => r.GetProperty("data").GetString()!.Split('/')[^1];

    [Fact]
    public async Task Visitor_downloads_are_counted_once_per_visitor_and_exhaust_the_share()
    {
        using var c = await AdminAsync();
        var fileId = await Transfer.UploadAsync(c, "/d1", "inside.txt", System.Text.Encoding.UTF8.GetBytes("inside"));
        var folderId = (await c.GetAsync("/directory/")).GetProperty("data").GetProperty("objects")[0].GetProperty("id").GetString();
        var locked = KeyOf(await c.PostAsync("/share", new { id = folderId, is_dir = true, password = "pw3", downloads = 2, expire = 3600 }));
        var single = KeyOf(await c.PostAsync("/share", new { id = fileId, is_dir = false, downloads = -1, expire = 0 }));

        using var v1 = NewClient();
        AssertCode(403, await v1.PutAsync($"/share/download/{locked}?path=%2Finside.txt", null), "");
        await v1.GetAsync($"/share/info/{locked}?password=pw3");
        var nothing = await v1.PutAsync($"/share/download/{locked}?path=%2Fnothing.txt", null);
        AssertCode(40016, nothing, "Object not exist");
        var url = await v1.PutAsync($"/share/download/{locked}?path=%2Finside.txt", null);
        AssertCode(0, url);
        Assert.StartsWith("/api/v3/file/download/", url.GetProperty("data").GetString());
        using (var get = await v1.SendAsync(HttpMethod.Get, url.GetProperty("data").GetString()!))
            Assert.Equal("inside", await get.Content.ReadAsStringAsync());

        var list = (await c.GetAsync("/share?page=1&order_by=downloads&order=DESC")).GetProperty("data").GetProperty("items")[0];
        Assert.Equal(1, list.GetProperty("downloads").GetInt32());
        Assert.Equal(1, list.GetProperty("remain_downloads").GetInt32());

        using var v2 = NewClient();
        await v2.GetAsync($"/share/info/{locked}?password=pw3");
        AssertCode(0, await v2.PutAsync($"/share/download/{locked}?path=%2Finside.txt", null));
        AssertCode(40058, await v1.GetAsync($"/share/info/{locked}"), "");
        AssertCode(40058, await v1.PutAsync($"/share/download/{locked}?path=%2Finside.txt", null), "");
        list = (await c.GetAsync("/share?page=1&order_by=downloads&order=DESC")).GetProperty("data").GetProperty("items")[0];
        Assert.Equal(0, list.GetProperty("remain_downloads").GetInt32());

        // a file share ignores path; a logged-in visitor is counted once
        using var u = await UserAsync();
        AssertCode(0, await u.PutAsync($"/share/download/{single}", null));
        AssertCode(0, await u.PutAsync($"/share/download/{single}?path=%2Fwhatever", null));
        var item = (await c.GetAsync("/share?page=1&order_by=created_at&order=DESC")).GetProperty("data").GetProperty("items")[0];
        Assert.Equal(1, item.GetProperty("downloads").GetInt32());
        Assert.Equal(-1, item.GetProperty("remain_downloads").GetInt32());
        AssertCode(40058, await u.PutAsync("/share/download/XXXX", null));
    }
}

public sealed class OneTimeDownloadTests : SandboxTestBase
{
    protected override void Configure(Cloudreve.Sandbox.Hosting.SandboxOptions options) => options.OneTimeDownload = true;

    [Fact]
    public async Task Download_url_works_once_for_a_one_time_group()
    {
        using var u = await UserAsync();
        var id = await Transfer.UploadAsync(u, "/", "o.txt", System.Text.Encoding.UTF8.GetBytes("once"));
        var url = (await u.PutAsync($"/file/download/{id}", null)).GetProperty("data").GetString()!;
        using var anon = NewClient();
        using (var first = await anon.SendAsync(HttpMethod.Get, url)) Assert.Equal("once", await first.Content.ReadAsStringAsync());
        using var second = await anon.SendAsync(HttpMethod.Get, url);
        AssertCode(404, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement, "Download session not exist");

        using var admin = await AdminAsync();
        var group = await admin.GetAsync("/admin/group/2");
        Assert.True(group.GetProperty("data").GetProperty("OptionsSerialized").GetProperty("one_time_download").GetBoolean());
        Assert.False((await admin.GetAsync("/admin/group/1")).GetProperty("data").GetProperty("OptionsSerialized").TryGetProperty("one_time_download", out _));
    }
}

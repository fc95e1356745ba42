using System.Text.Json;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class WebDavAccountTests : SandboxTestBase
{
    [Fact]
    public async Task Create_list_update_delete()
    {
        using var c = await AdminAsync();
        Assert.Equal("{\"code\":0,\"data\":{\"accounts\":[]},\"msg\":\"\"}", (await c.GetAsync("/webdav/accounts")).GetRawText());
        var created = await c.PostAsync("/webdav/accounts", new { path = "/docs", name = "test-dav" });
        AssertCode(0, created);
        Assert.Equal(["created_at", "id", "password"], Keys(created.GetProperty("data")));
        Assert.Equal(32, created.GetProperty("data").GetProperty("password").GetString()!.Length);
        AssertCode(0, await c.PostAsync("/webdav/accounts", new { path = "/v", name = "second" }));
        var list = (await c.GetAsync("/webdav/accounts")).GetProperty("data").GetProperty("accounts");
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(["ID", "CreatedAt", "UpdatedAt", "DeletedAt", "Name", "Password", "UserID", "Root", "Readonly", "UseProxy"], Keys(list[0]));
        Assert.Equal("second", list[0].GetProperty("Name").GetString());
        var id = list[1].GetProperty("ID").GetInt64();

        Assert.Equal("{\"code\":0,\"data\":{\"readonly\":true},\"msg\":\"\"}", (await c.PatchAsync("/webdav/accounts", new { id, @readonly = true })).GetRawText());
        AssertCode(40001, await c.PatchAsync("/webdav/accounts", new { id }), "Invalid parameters.");
        AssertCode(40001, await c.PatchAsync("/webdav/accounts", "{\"id\":\"2\",\"readonly\":true}"), "JSON marshall error");
        AssertCode(0, await c.PatchAsync("/webdav/accounts", new { id = 999, @readonly = true }));
        Assert.True((await c.GetAsync("/webdav/accounts")).GetProperty("data").GetProperty("accounts")[1].GetProperty("Readonly").GetBoolean());
        AssertCode(0, await c.DeleteAsync($"/webdav/accounts/{id}"));
        AssertCode(0, await c.DeleteAsync($"/webdav/accounts/{id}"));
        AssertCode(40001, await c.DeleteAsync("/webdav/accounts/abc"), "Parameter error");
        Assert.Equal(1, (await c.GetAsync("/webdav/accounts")).GetProperty("data").GetProperty("accounts").GetArrayLength());
    }
}

public sealed class AdminUserTests : SandboxTestBase
{
    [Fact]
    public async Task Get_list_update_ban_and_permissions()
    {
        using var admin = await AdminAsync();
        using var user = await UserAsync();
        AssertCode(403, await user.GetAsync("/admin/user/1"), "");

        var me = await admin.GetAsync("/admin/user/1");
        AssertCode(0, me);
        var d = me.GetProperty("data");
        Assert.Equal(["ID", "CreatedAt", "UpdatedAt", "DeletedAt", "Email", "Nick", "Status", "GroupID", "Storage", "TwoFactor", "Avatar", "Authn", "Group", "Policy", "OptionsSerialized"], Keys(d));
        Assert.Equal("Admin", d.GetProperty("Group").GetProperty("Name").GetString());
        Assert.Equal("local", d.GetProperty("Policy").GetProperty("Type").GetString());
        AssertCode(40021, await admin.GetAsync("/admin/user/999"), "");

        var list = await admin.PostAsync("/admin/user/list", new { page = 1, page_size = 10, order_by = "id desc", conditions = new { }, searches = new { } });
        Assert.Equal(2, list.GetProperty("data").GetProperty("total").GetInt32());
        Assert.Equal(2, list.GetProperty("data").GetProperty("items")[0].GetProperty("ID").GetInt32());
        var byGroup = await admin.PostAsync("/admin/user/list", new { page = 1, page_size = 10, conditions = new Dictionary<string, string> { ["group_id"] = "2" } });
        Assert.Equal(1, byGroup.GetProperty("data").GetProperty("total").GetInt32());
        var search = await admin.PostAsync("/admin/user/list", new { page = 1, page_size = 10, searches = new Dictionary<string, string> { ["email"] = "example" } });
        Assert.Equal(1, search.GetProperty("data").GetProperty("total").GetInt32());
        Assert.Equal("{\"code\":0,\"data\":{\"items\":[],\"total\":0},\"msg\":\"\"}",
            (await admin.PostAsync("/admin/user/list", new { page = 1, page_size = 10, conditions = new Dictionary<string, string> { ["nosuchcol"] = "1" } })).GetRawText());
        AssertCode(40001, await admin.PostAsync("/admin/user/list", new { page_size = 10 }), "Page too short");
        var page2 = await admin.PostAsync("/admin/user/list", new { page = 2, page_size = 1, order_by = "id asc" });
        Assert.Equal(2, page2.GetProperty("data").GetProperty("items")[0].GetProperty("ID").GetInt32());

        // ban: the existing session turns anonymous, unban restores it
        Assert.Equal(2, (await admin.PatchAsync("/admin/user/ban/2", null)).GetProperty("data").GetInt32());
        AssertCode(401, await user.GetAsync("/user/me"));
        AssertCode(40017, await NewClient().LoginAsync(UserEmail, UserPassword), "This account has been blocked");
        Assert.Equal(0, (await admin.PatchAsync("/admin/user/ban/2", null)).GetProperty("data").GetInt32());
        AssertCode(0, await user.GetAsync("/user/me"));
        AssertCode(40043, await admin.PatchAsync("/admin/user/ban/1", null));
        AssertCode(40021, await admin.PatchAsync("/admin/user/ban/999", null));

        // create + update (omitted fields become empty)
        var created = await admin.PostAsync("/admin/user", new { User = new { ID = 0, Email = "new@example.com", Nick = "newbie", GroupID = 2, Status = 0 }, password = "new-pass-1" });
        AssertCode(0, created);
        var newId = created.GetProperty("data").GetInt64();
        using (var n = NewClient()) AssertCode(0, await n.LoginAsync("new@example.com", "new-pass-1"));
        AssertCode(0, await admin.PostAsync("/admin/user", new { User = new { ID = newId, Email = "new@example.com", Nick = "renamed", Status = 0 }, password = "" }));
        using (var n = NewClient())
        {
            AssertCode(0, await n.LoginAsync("new@example.com", "new-pass-1"));
            Assert.Equal(0, (await n.GetAsync("/user/me")).GetProperty("data").GetProperty("group").GetProperty("id").GetInt32());
            AssertCode(50005, await n.GetAsync("/directory/"), "Unknown policy type");
        }
        AssertCode(40042, await admin.PostAsync("/admin/user", new { User = new { ID = 1, Email = Host.AdminEmail, Nick = "admin", GroupID = 2 } }));
        AssertCode(0, await admin.PostAsync("/admin/user/delete", new { id = new[] { newId } }));
        AssertCode(40021, await admin.GetAsync($"/admin/user/{newId}"));
        AssertCode(40043, await admin.PostAsync("/admin/user/delete", new { id = new[] { 1 } }));
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox;
using Cloudreve.Sandbox.Data;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Sandbox.V4;
using Xunit;

namespace Cloudreve.Tests.Sandbox;

/// <summary>
/// 4.18 group permissions in the sandbox: the system groups carry 4.18's default bit sets (v4 reference 14.2, cap 35,
/// 139), and a group updated through PUT /api/v4/admin/group changes what its users may do and what login shows.
/// </summary>
public sealed class V4GroupPermissionTests
{
    private static GroupRow Group(long id) => new(id, "g", 1, 0, true, false, false, true, false, true, 10, false, false, 0, 0);

    [Fact]
    public void System_groups_have_the_4_18_default_permission_bits()
    {
        Assert.Equal("/RoB", V4BoolSet.Encode(V4GroupPerms.Derived(Group(Seeder.AdminGroup))));
        Assert.Equal("hAg=", V4BoolSet.Encode(V4GroupPerms.Derived(Group(Seeder.UserGroup))));
        Assert.Equal("gg==", V4BoolSet.Encode(V4GroupPerms.Derived(Group(Seeder.AnonymousGroup))));
        // Other groups follow their v3 columns: share, share download, WebDAV, plus redirected source.
        Assert.Equal(new HashSet<int> { V4Bits.Share, V4Bits.ShareDownload, V4Bits.WebDav, V4Bits.RedirectedSource }, V4GroupPerms.Derived(Group(7)));
    }

    [Fact]
    public void Boolset_round_trips_and_empty_is_an_empty_string()
    {
        Assert.Equal("", V4BoolSet.Encode([]));
        Assert.Equal("AQ==", V4BoolSet.Encode([V4Bits.DavReadOnly]));
        Assert.Equal("Ag==", V4BoolSet.Encode([V4Bits.DavProxy]));
        Assert.Equal(new HashSet<int> { 2, 7, 11 }, V4BoolSet.Decode("hAg="));
        Assert.Null(V4BoolSet.Decode("not base64!"));
    }

    private static async Task<JsonElement> Call(HttpClient http, HttpMethod method, string path, string? token, object? body = null)
    {
        using var msg = new HttpRequestMessage(method, "api/v4" + path);
        if (token != null) msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body != null) msg.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var resp = await http.SendAsync(msg);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<(string Token, JsonElement User)> Login(HttpClient http, string email, string password)
    {
        var r = await Call(http, HttpMethod.Post, "/session/token", null, new { email, password });
        Assert.Equal(0, r.GetProperty("code").GetInt32());
        return (r.GetProperty("data").GetProperty("token").GetProperty("access_token").GetString()!, r.GetProperty("data").GetProperty("user").Clone());
    }

    [Fact]
    public async Task Turning_on_WebDAV_for_the_User_group_lets_its_users_create_accounts()
    {
        var o = new SandboxOptions { ServerVersion = ServerVersions.V4, AdminPassword = "admin-pass-1" };
        o.Users.Add(new SandboxUser("user@perm.local", "user-pass-1"));
        await using var host = await SandboxHost.StartAsync(o);
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        var (admin, _) = await Login(http, host.AdminEmail, "admin-pass-1");
        var (user, me) = await Login(http, "user@perm.local", "user-pass-1");
        Assert.Equal("hAg=", me.GetProperty("group").GetProperty("permission").GetString());

        var denied = await Call(http, HttpMethod.Put, "/devices/dav", user, new { uri = "cloudreve://my", name = "dav" });
        Assert.Equal(40007, denied.GetProperty("code").GetInt32());

        var group = (await Call(http, HttpMethod.Get, "/admin/group/2", admin)).GetProperty("data");
        var bits = V4BoolSet.Decode(group.GetProperty("permissions").GetString()!)!;
        bits.Add(V4Bits.WebDav);
        var update = await Call(http, HttpMethod.Put, "/admin/group/2", admin, new
        {
            group = new
            {
                id = 2, name = "User", max_storage = group.GetProperty("max_storage").GetInt64(), permissions = V4BoolSet.Encode(bits),
                settings = group.GetProperty("settings"), edges = new { storage_policies = new { id = group.GetProperty("storage_policy_id").GetInt32() } },
            },
        });
        Assert.Equal(0, update.GetProperty("code").GetInt32());
        Assert.Equal("jAg=", update.GetProperty("data").GetProperty("permissions").GetString());
        Assert.Equal(1, update.GetProperty("data").GetProperty("storage_policy_id").GetInt32());

        var created = await Call(http, HttpMethod.Put, "/devices/dav", user, new { uri = "cloudreve://my", name = "dav", proxy = true });
        Assert.Equal(0, created.GetProperty("code").GetInt32());
        // The group has no WebDAV-proxy bit, so the proxy flag is dropped.
        Assert.Equal("", created.GetProperty("data").GetProperty("options").GetString());
        var (_, again) = await Login(http, "user@perm.local", "user-pass-1");
        Assert.Equal("jAg=", again.GetProperty("group").GetProperty("permission").GetString());
    }
}

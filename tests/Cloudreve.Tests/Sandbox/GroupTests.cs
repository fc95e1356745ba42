using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class AdminGroupTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.Groups.Add(new SandboxGroup("Cloud", "s3", 5000, OneTimeDownload: true));
        options.Users.Add(new SandboxUser("cloud@example.com", "cloud-pass-1", "Cloud"));
    }

    [Fact]
    public async Task Group_list_get_and_all()
    {
        using var c = await AdminAsync();
        var list = await c.PostAsync("/admin/group/list", new { page = 1, page_size = 10, order_by = "id desc", conditions = new { }, searches = new { } });
        AssertCode(0, list);
        var d = list.GetProperty("data");
        Assert.Equal(["items", "policies", "statics", "total"], Keys(d));
        Assert.Equal(["1", "2", "3", "4"], Keys(d.GetProperty("statics")));
        Assert.Equal(4, d.GetProperty("total").GetInt32());
        var items = d.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([4, 3, 2, 1], items.Select(i => i.GetProperty("ID").GetInt32()));
        Assert.Equal(["ID", "CreatedAt", "UpdatedAt", "DeletedAt", "Name", "Policies", "MaxStorage", "ShareEnabled", "WebDAVEnabled", "SpeedLimit", "PolicyList", "OptionsSerialized"], Keys(items[0]));
        var cloud = items[0];
        Assert.Equal("Cloud", cloud.GetProperty("Name").GetString());
        Assert.Equal(5000, cloud.GetProperty("MaxStorage").GetInt64());
        Assert.True(cloud.GetProperty("OptionsSerialized").GetProperty("one_time_download").GetBoolean());
        var admin = items[3];
        Assert.Equal("[1]", admin.GetProperty("Policies").GetString());
        Assert.Equal(["archive_download", "archive_task", "share_download", "aria2", "source_batch", "redirected_source", "aria2_batch", "advance_delete"], Keys(admin.GetProperty("OptionsSerialized")));
        var anon = items[1];
        Assert.Equal("[]", anon.GetProperty("Policies").GetString());
        Assert.Equal(0, anon.GetProperty("PolicyList").GetArrayLength());
        Assert.Equal(["share_download"], Keys(anon.GetProperty("OptionsSerialized")));
        Assert.Equal(1, d.GetProperty("statics").GetProperty("1").GetInt32());
        Assert.Equal(1, d.GetProperty("statics").GetProperty("2").GetInt32());
        Assert.Equal(1, d.GetProperty("statics").GetProperty("4").GetInt32());
        var policyId = cloud.GetProperty("PolicyList")[0].GetInt32().ToString();
        Assert.Equal("s3", d.GetProperty("policies").GetProperty(policyId).GetProperty("Type").GetString());
        Assert.Equal("local", d.GetProperty("policies").GetProperty("1").GetProperty("Type").GetString());

        var byName = await c.PostAsync("/admin/group/list", new { page = 1, page_size = 10, conditions = new { name = "User" } });
        Assert.Equal(1, byName.GetProperty("data").GetProperty("total").GetInt32());
        var bad = await c.PostAsync("/admin/group/list", new { page = 1, page_size = 10, conditions = new { nope = "1" } });
        Assert.Equal(0, bad.GetProperty("data").GetProperty("items").GetArrayLength());
        AssertCode(40001, await c.PostAsync("/admin/group/list", new { page_size = 10 }), "Page too short");
        AssertCode(40001, await c.PostAsync("/admin/group/list", "{\"page\":\"1\",\"page_size\":1}"), "JSON marshall error");

        var all = await c.GetAsync("/admin/groups");
        Assert.Equal(4, all.GetProperty("data").GetArrayLength());
        var one = await c.GetAsync("/admin/group/2");
        Assert.Equal("User", one.GetProperty("data").GetProperty("Name").GetString());
        AssertCode(40039, await c.GetAsync("/admin/group/99"));
        AssertCode(40001, await c.GetAsync("/admin/group/x"));

        using var user = await UserAsync();
        AssertCode(403, await user.GetAsync("/admin/groups"));
        AssertCode(403, await user.PostAsync("/admin/group/list", new { page = 1, page_size = 1 }));
    }
}

public sealed class PolicyOptionTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.PolicyType = "onedrive";
        options.PolicyFileTypes = ["txt", "md"];
        options.PolicyMaxSize = 100;
        options.UserMaxStorage = 150;
        options.Groups.Add(new SandboxGroup("Bucket", "s3", 1000));
        options.Users.Add(new SandboxUser("s3@example.com", "s3-pass-123", "Bucket"));
    }

    [Fact]
    public async Task Directory_policy_and_upload_limits_follow_the_options()
    {
        using var u = await UserAsync();
        var policy = (await u.GetAsync("/directory/")).GetProperty("data").GetProperty("policy");
        Assert.Equal("onedrive", policy.GetProperty("type").GetString());
        Assert.Equal(100, policy.GetProperty("max_size").GetInt64());
        Assert.Equal(["txt", "md"], policy.GetProperty("file_type").EnumerateArray().Select(e => e.GetString()));
        var pid = policy.GetProperty("id").GetString();
        AssertCode(40049, await u.PutAsync("/file/upload", new { path = "/", size = 101, name = "a.txt", policy_id = pid }), "File is too large");
        AssertCode(40050, await u.PutAsync("/file/upload", new { path = "/", size = 10, name = "a.exe", policy_id = pid }), "File type not allowed");
        AssertCode(40050, await u.PutAsync("/file/upload", new { path = "/", size = 10, name = "noext", policy_id = pid }));
        AssertCode(0, await u.PutAsync("/file/upload", new { path = "/", size = 10, name = "A.TXT", policy_id = pid }));

        using var s3 = NewClient();
        await s3.LoginOkAsync("s3@example.com", "s3-pass-123");
        var p2 = (await s3.GetAsync("/directory/")).GetProperty("data").GetProperty("policy");
        Assert.Equal("s3", p2.GetProperty("type").GetString());
        AssertCode(40006, await s3.PutAsync("/file/upload", new { path = "/", size = 10, name = "a.txt", policy_id = pid }));

        using var admin = await AdminAsync();
        Assert.Equal("onedrive", (await admin.GetAsync("/directory/")).GetProperty("data").GetProperty("policy").GetProperty("type").GetString());
        var userModel = await admin.GetAsync("/admin/user/2");
        Assert.Equal(150, userModel.GetProperty("data").GetProperty("Group").GetProperty("MaxStorage").GetInt64());
    }
}

public sealed class QuotaOptionTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.UserMaxStorage = 50;

    [Fact]
    public async Task User_max_storage_limits_uploads()
    {
        using var u = await UserAsync();
        var pid = await Transfer.PolicyId(u);
        AssertCode(40051, await u.PutAsync("/file/upload", new { path = "/", size = 51, name = "a.bin", policy_id = pid }), "Insufficient capacity");
        await Transfer.UploadAsync(u, "/", "b.bin", new byte[40]);
        AssertCode(40051, await u.PutAsync("/file/upload", new { path = "/", size = 11, name = "c.bin", policy_id = pid }));
    }
}

public sealed class CommandLinePolicyTests
{
    [Fact]
    public void Storage_options_parse()
    {
        var r = CommandLine.Parse(["--policy", "S3", "--group", "Big:onedrive:2048:one-time", "--group", "Small:local", "--policy-file-types", "txt, .MD",
            "--policy-max-size", "10", "--user-max-storage=99", "--one-time-download"]);
        Assert.Null(r.Error);
        var o = r.Options!;
        Assert.Equal("s3", o.PolicyType);
        Assert.Equal([new SandboxGroup("Big", "onedrive", 2048, true), new SandboxGroup("Small", "local")], o.Groups);
        Assert.Equal(["txt", "md"], o.PolicyFileTypes);
        Assert.Equal(10, o.PolicyMaxSize);
        Assert.Equal(99, o.UserMaxStorage);
        Assert.True(o.OneTimeDownload);
        Assert.NotNull(CommandLine.Parse(["--policy", "ftp"]).Error);
        Assert.NotNull(CommandLine.Parse(["--group", "User:local"]).Error);
        Assert.NotNull(CommandLine.Parse(["--group", "X:local:big"]).Error);
        Assert.Contains("--policy <type>", CommandLine.Usage);
        Assert.Contains("--one-time-download", CommandLine.Usage);
    }
}

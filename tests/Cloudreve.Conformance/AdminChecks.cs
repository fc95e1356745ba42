namespace Cloudreve.Conformance;

/// <summary>Section 4.12: admin users and groups (read-only checks run on a real admin account; changes only in the sandbox).</summary>
public sealed class AdminChecks : Checks
{
    public AdminChecks(Target t) : base(t)
    {
    }

    private static readonly string[] GroupModelKeys = ["ID", "CreatedAt", "UpdatedAt", "DeletedAt", "Name", "Policies", "MaxStorage", "ShareEnabled", "WebDAVEnabled", "SpeedLimit", "PolicyList", "OptionsSerialized"];

    [AdminCheck]
    public async Task POST_admin_user_list_and_GET_admin_user()
    {
        var r = await Main.Post("/admin/user/list", new { page = 1, page_size = 2, order_by = "id asc", conditions = new { }, searches = new { } });
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "items", "total");
        var first = d.GetProperty("items")[0];
        Expect.Keys(r, first, "ID", "CreatedAt", "UpdatedAt", "DeletedAt", "Email", "Nick", "Status", "GroupID", "Storage", "TwoFactor", "Avatar", "Authn", "Group", "Policy", "OptionsSerialized");
        Expect.Keys(r, first.GetProperty("Group"), GroupModelKeys);
        Expect.Code(await Main.Post("/admin/user/list", new { page_size = 2 }), 40001, "Page too short");
        var bad = await Main.Post("/admin/user/list", new { page = 1, page_size = 2, conditions = new { no_such_column = "1" } });
        Expect.Equal(bad, 0, Expect.Ok(bad).GetProperty("total").GetInt32(), "total for an unknown column");
        var one = await Main.Get("/admin/user/1");
        Expect.Equal(one, 1, Expect.Ok(one).GetProperty("ID").GetInt32(), "ID");
        Expect.Code(await Main.Get("/admin/user/999999"), 40021);
    }

    [AdminCheck]
    public async Task POST_admin_group_list_GET_admin_groups_and_GET_admin_group()
    {
        var r = await Main.Post("/admin/group/list", new { page = 1, page_size = 10, order_by = "id asc", conditions = new { }, searches = new { } });
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "items", "policies", "statics", "total");
        var admin = d.GetProperty("items")[0];
        Expect.Keys(r, admin, GroupModelKeys);
        Expect.Equal(r, "Admin", admin.GetProperty("Name").GetString(), "items[0].Name");
        Expect.HasKeys(r, d.GetProperty("statics"), "1", "2", "3");
        foreach (var p in admin.GetProperty("PolicyList").EnumerateArray())
            Expect.HasKeys(r, d.GetProperty("policies"), p.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var anonymous = d.GetProperty("items").EnumerateArray().First(g => g.GetProperty("ID").GetInt32() == 3);
        Expect.Equal(r, "[]", anonymous.GetProperty("Policies").GetString(), "Policies of the Anonymous group");
        Expect.Code(await Main.Post("/admin/group/list", new { page = 1 }), 40001, "PageSize too short");

        var all = await Main.Get("/admin/groups");
        Expect.Equal(all, d.GetProperty("total").GetInt32(), Expect.Ok(all).GetArrayLength(), "number of groups");
        var one = await Main.Get("/admin/group/2");
        Expect.Keys(one, Expect.Ok(one), GroupModelKeys);
        Expect.Code(await Main.Get("/admin/group/999999"), 40039);
    }

    [SandboxCheck]
    public async Task Admin_routes_answer_403_to_other_users()
    {
        using var c = new ApiClient(T.BaseUri);
        await c.Login(Target.SecondEmail, Target.SecondPassword, null);
        Expect.Code(await c.Get("/admin/user/1"), 403, "");
        Expect.Code(await c.Post("/admin/user/list", new { page = 1, page_size = 1 }), 403);
        Expect.Code(await c.Post("/admin/group/list", new { page = 1, page_size = 1 }), 403);
        Expect.Code(await c.Get("/admin/groups"), 403);
        Expect.Code(await c.Get("/admin/group/1"), 403);
    }

    [SandboxCheck]
    public async Task Admin_user_create_update_ban_delete()
    {
        var email = $"made-{Guid.NewGuid().ToString("N")[..6]}@conformance.local";
        var created = await Main.Post("/admin/user", new { User = new { Email = email, Nick = "made", GroupID = 2, Status = 0 }, password = "made-pass-1" });
        var id = Expect.Ok(created).GetInt64();
        Expect.Code(await Main.Post("/admin/user", new { User = new { Email = email, Nick = "dup", GroupID = 2 }, password = "x" }), 50001);
        var model = Expect.Ok(await Main.Get($"/admin/user/{id}"));
        Expect.Ok(await Main.Post("/admin/user", new { User = new { ID = id, Email = email, Nick = "renamed", GroupID = 2, Status = 0, TwoFactor = "" }, password = "" }));
        var ban = await Main.Patch($"/admin/user/ban/{id}", null);
        Expect.Equal(ban, 2, Expect.Ok(ban).GetInt32(), "status after ban");
        ban = await Main.Patch($"/admin/user/ban/{id}", null);
        Expect.Equal(ban, 0, Expect.Ok(ban).GetInt32(), "status after unban");
        Expect.Code(await Main.Patch("/admin/user/ban/1", null), 40043);
        Expect.Code(await Main.Post("/admin/user/delete", new { id = new[] { 1 } }), 40043);
        Expect.Code(await Main.Post("/admin/user/delete", new { id = Array.Empty<int>() }), 40001, "ID too short");
        Expect.Ok(await Main.Post("/admin/user/delete", new { id = new[] { id } }));
        Expect.Code(await Main.Get($"/admin/user/{id}"), 40021);
        _ = model;
    }
}

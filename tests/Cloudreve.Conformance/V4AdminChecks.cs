using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>
/// v4 reference section 14: admin users and groups. Read-only checks run on a real server when the account is an
/// administrator; checks that create, change or delete accounts and groups run only against the sandbox.
/// </summary>
public sealed class V4AdminChecks : V4Checks
{
    public V4AdminChecks(V4Target t) : base(t)
    {
    }

    private static readonly string[] UserKeysInList = ["id", "created_at", "updated_at", "email", "nick", "status"];

    [V4SecondUserCheck]
    public async Task Cap42_Cap472_an_ordinary_user_gets_403_with_an_empty_msg()
    {
        var second = await T.LoginSecondAsync();
        V4Expect.Error(await second.Post("/admin/user", new { page = 1, page_size = 10 }), 403, "");
    }

    [V4AdminCheck]
    public async Task Cap34_Cap140_user_list_page_is_1_based_in_the_request_and_0_based_in_the_reply()
    {
        var r = await Main.Post("/admin/user", new { page = 1, page_size = 10, order_by = "id", order_direction = "asc", conditions = new { } });
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "pagination", "users");
        var p = d.GetProperty("pagination");
        Expect.Equal(r, 0, p.GetProperty("page").GetInt32(), "pagination.page for page 1");
        Expect.Equal(r, 10, p.GetProperty("page_size").GetInt32(), "pagination.page_size");
        Expect.That(r, p.GetProperty("total_items").GetInt32() >= 1, "pagination.total_items >= 1");
        var users = d.GetProperty("users").EnumerateArray().ToList();
        Expect.That(r, users.Count >= 1 && users[0].GetProperty("id").GetInt32() == 1, "user 1 first in id order");
        var keys = users[0].EnumerateObject().Select(o => o.Name).ToList();
        Expect.That(r, UserKeysInList.All(keys.Contains) && keys.Contains("edges") && keys.Contains("hash_id") && !keys.Contains("capacity"),
            "list entries with id, email, nick, status, edges, hash_id and no capacity");
        Expect.That(r, users.Zip(users.Skip(1)).All(x => x.First.GetProperty("id").GetInt32() < x.Second.GetProperty("id").GetInt32()), "ascending ids");
        if (p.GetProperty("total_items").GetInt32() > 1)
        {
            var r2 = await Main.Post("/admin/user", new { page = 2, page_size = 1 });
            Expect.Equal(r2, 1, Expect.Ok(r2).GetProperty("pagination").GetProperty("page").GetInt32(), "pagination.page for page 2");
        }
    }

    [V4AdminCheck]
    public async Task Ref14_1_user_list_page_0_is_40001_page_too_short()
    {
        V4Expect.Error(await Main.Post("/admin/user", new { page = 0, page_size = 10 }), 40001, "Page too short", correlation: false);
    }

    [V4AdminCheck]
    public async Task Cap141_user_email_condition_is_a_substring_filter()
    {
        var email = T.Email;
        var part = email[..email.IndexOf('@')];
        var r = await Main.Post("/admin/user", new { page = 1, page_size = 100, conditions = new { user_email = part + "@" } });
        var users = Expect.Ok(r).GetProperty("users").EnumerateArray().ToList();
        Expect.That(r, users.Count >= 1 && users.All(u => u.GetProperty("email").GetString()!.Contains(part + "@", StringComparison.OrdinalIgnoreCase)),
            $"only users whose e-mail contains {part}@");
        Expect.That(r, users.Any(u => u.GetProperty("email").GetString() == email), "the main account");
    }

    [V4AdminCheck]
    public async Task Cap35_get_user_1_has_capacity_and_the_group_edge()
    {
        var r = await Main.Get("/admin/user/1");
        var u = Expect.Ok(r);
        Expect.HasKeys(r, u, "id", "created_at", "updated_at", "email", "status", "settings", "group_users", "edges", "hash_id", "capacity");
        Expect.Equal(r, 1, u.GetProperty("id").GetInt32(), "id");
        Expect.Equal(r, "active", u.GetProperty("status").GetString(), "status");
        Expect.HasKeys(r, u.GetProperty("capacity"), "total", "used");
        var g = u.GetProperty("edges").GetProperty("group");
        Expect.HasKeys(r, g, "id", "name", "permissions", "settings");
        Expect.Equal(r, u.GetProperty("group_users").GetInt32(), g.GetProperty("id").GetInt32(), "edges.group.id = group_users");
    }

    [V4AdminCheck]
    public async Task Cap157_get_of_an_unknown_user_is_50001()
    {
        V4Expect.Error(await Main.Get("/admin/user/2147483000"), 50001, "Failed to get user");
    }

    [V4AdminCheck]
    public async Task Cap508_get_group_has_total_users_and_its_settings()
    {
        var r = await Main.Get("/admin/group/1");
        var g = Expect.Ok(r);
        Expect.HasKeys(r, g, "id", "created_at", "updated_at", "name", "permissions", "settings", "edges", "total_users");
        Expect.Equal(r, 1, g.GetProperty("id").GetInt32(), "id");
        Expect.HasKeys(r, g.GetProperty("settings"), "source_batch", "max_walked_files");
    }

    /// <summary>Creates a user through PUT /admin/user; returns its reply data.</summary>
    private async Task<JsonElement> CreateUser(string email, string password, int group = 2)
    {
        var r = await Main.Put("/admin/user", new { user = new { email, nick = "tmp", status = "active", group_users = group }, password });
        return Expect.Ok(r).Clone();
    }

    private static string NewEmail() => $"tmp-{Guid.NewGuid():N}"[..16] + "@conformance.local";

    [V4SandboxCheck]
    public async Task Cap152_Cap153_Cap154_Cap155_create_user_then_log_in_id_must_be_0_email_unique()
    {
        var email = NewEmail();
        var u = await CreateUser(email, "tmp-pass-1");
        var id = u.GetProperty("id").GetInt32();
        try
        {
            var c = T.Anonymous();
            var login = await c.Login(email, "tmp-pass-1", null);
            Expect.Equal(login, email, c.User.GetProperty("email").GetString(), "login of the created user");
            Expect.Equal(login, u.GetProperty("hash_id").GetString(), c.User.GetProperty("id").GetString(), "hash_id = the login's user id");
            V4Expect.Error(await Main.Put("/admin/user", new { user = new { id = 5, email = NewEmail(), nick = "tmp", status = "active", group_users = 2 }, password = "x-pass-1" }),
                40001, "ID must be 0");
            V4Expect.Error(await Main.Put("/admin/user", new { user = new { email, nick = "tmp", status = "active", group_users = 2 }, password = "x-pass-1" }),
                50001, "Failed to create user");
        }
        finally
        {
            await Main.Post("/admin/user/batch/delete", new { ids = new[] { id } });
        }
    }

    [V4SandboxCheck]
    public async Task Cap142_Cap143_Cap144_full_update_keeps_2fa_partial_update_is_50001_and_changes_nothing()
    {
        var totpId = await IdOf(V4Target.TotpEmail);
        var before = Expect.Ok(await Main.Get($"/admin/user/{totpId}"));
        Expect.Equal(await Main.Get($"/admin/user/{totpId}"), true, before.GetProperty("two_fa_enabled").GetBoolean(), "two_fa_enabled of the 2FA user");
        var r = await Main.Put($"/admin/user/{totpId}", new { user = new { id = totpId, email = V4Target.TotpEmail, nick = "totp-renamed", status = "active", group_users = 2 } });
        var u = Expect.Ok(r);
        Expect.Equal(r, "totp-renamed", u.GetProperty("nick").GetString(), "nick");
        Expect.Equal(r, true, u.GetProperty("two_fa_enabled").GetBoolean(), "two_fa_enabled after an update without two_fa");
        V4Expect.Error(await Main.Put($"/admin/user/{totpId}", new { user = new { id = totpId, nick = "other" } }), 50001, "Failed to update user");
        var after = await Main.Get($"/admin/user/{totpId}");
        Expect.Equal(after, "totp-renamed", Expect.Ok(after).GetProperty("nick").GetString(), "nick after the failed partial update");
        Expect.Equal(after, V4Target.TotpEmail, Expect.Ok(after).GetProperty("email").GetString(), "email after the failed partial update");
    }

    [V4SandboxCheck]
    public async Task Cap145_Cap146_update_without_email_blanks_it_and_the_path_id_is_ignored()
    {
        var email = NewEmail();
        var id = (await CreateUser(email, "tmp-pass-2")).GetProperty("id").GetInt32();
        try
        {
            var r = await Main.Put($"/admin/user/{id}", new { user = new { id, nick = "blank", status = "active", group_users = 2 } });
            Expect.That(r, !Expect.Ok(r).TryGetProperty("email", out _), "no email (blanked, omitted)");
            V4Expect.Error(await T.Anonymous().Post("/session/token", new { email, password = "tmp-pass-2" }), 40080);
            r = await Main.Put("/admin/user/999999", new { user = new { id, email, nick = "back", status = "active", group_users = 2 } });
            var u = Expect.Ok(r);
            Expect.Equal(r, id, u.GetProperty("id").GetInt32(), "the body's user updated, not the path's");
            Expect.Equal(r, email, u.GetProperty("email").GetString(), "email restored");
        }
        finally
        {
            await Main.Post("/admin/user/batch/delete", new { ids = new[] { id } });
        }
    }

    [V4SandboxCheck]
    public async Task Cap147_Cap148_Cap149_Cap150_ban_blocks_login_unban_and_two_fa_clear_restore_it()
    {
        var email = NewEmail();
        var id = (await CreateUser(email, "tmp-pass-3")).GetProperty("id").GetInt32();
        try
        {
            Expect.Ok(await Main.Put($"/admin/user/{id}", new { user = new { id, email, nick = "b", status = "manual_banned", group_users = 2 } }));
            V4Expect.Error(await T.Anonymous().Post("/session/token", new { email, password = "tmp-pass-3" }), 40017, "This account has been blocked");
            var r = await Main.Put($"/admin/user/{id}", new { user = new { id, email, nick = "b", status = "active", group_users = 2 }, two_fa = "clear" });
            Expect.Equal(r, "active", Expect.Ok(r).GetProperty("status").GetString(), "status");
            Expect.That(r, !Expect.Ok(r).TryGetProperty("two_fa_enabled", out _), "no two_fa_enabled after two_fa:\"clear\"");
            Expect.Ok(await T.Anonymous().Post("/session/token", new { email, password = "tmp-pass-3" }));
        }
        finally
        {
            await Main.Post("/admin/user/batch/delete", new { ids = new[] { id } });
        }
    }

    [V4SandboxCheck]
    public async Task Cap151_user_1_keeps_its_status_40043()
    {
        V4Expect.Error(await Main.Put("/admin/user/1", new { user = new { id = 1, email = T.Email, nick = "admin", status = "manual_banned", group_users = 1 } }),
            40043, "Cannot change default user's status");
    }

    [V4SandboxCheck]
    public async Task Cap156_Cap157_Cap158_batch_delete_skips_user_1_and_reports_unknown_ids()
    {
        var id = (await CreateUser(NewEmail(), "tmp-pass-4")).GetProperty("id").GetInt32();
        var r = await Main.Post("/admin/user/batch/delete", new { ids = new[] { id, 1 } });
        var inner = V4Expect.Aggregated(r, "1", 40043);
        Expect.Equal(r, "Cannot delete current user", inner.GetProperty("msg").GetString(), "aggregated_error[\"1\"].msg");
        V4Expect.Error(await Main.Get($"/admin/user/{id}"), 50001, "Failed to get user");
        r = await Main.Post("/admin/user/batch/delete", new { ids = new[] { id } });
        V4Expect.Aggregated(r, id.ToString(System.Globalization.CultureInfo.InvariantCulture), 50001);
        Expect.Ok(await Main.Get("/admin/user/1"));
    }

    [V4SandboxCheck]
    public async Task Cap504_Cap508_Cap509_a_group_policy_is_set_only_through_the_edge()
    {
        var create = await Main.Put("/admin/group", new
        {
            group = new
            {
                name = "Conformance", max_storage = 1073741824, permissions = "hAg=",
                settings = new { source_batch = 10, aria2_batch = 1, max_walked_files = 100000, trash_retention = 604800, redirected_source = true },
                id = 0, storage_policy_id = 1, edges = new { },
            },
        });
        var g = Expect.Ok(create);
        var id = g.GetProperty("id").GetInt32();
        Expect.That(create, !g.TryGetProperty("storage_policy_id", out _), "no storage_policy_id (the top-level field is ignored)");
        Expect.Equal(create, "hAg=", g.GetProperty("permissions").GetString(), "permissions");
        Expect.Equal(create, 0, g.GetProperty("total_users").GetInt32(), "total_users");
        var get = await Main.Get($"/admin/group/{id}");
        Expect.That(get, !Expect.Ok(get).TryGetProperty("storage_policy_id", out _), "no storage_policy_id on GET");
        var update = await Main.Put($"/admin/group/{id}", new
        {
            group = new
            {
                id, name = "Conformance", max_storage = 1073741824, permissions = "hAg=",
                settings = new { source_batch = 10, aria2_batch = 1, max_walked_files = 100000, trash_retention = 604800, redirected_source = true },
                edges = new { storage_policies = new { id = 1 } },
            },
        });
        var u = Expect.Ok(update);
        Expect.Equal(update, 1, u.GetProperty("storage_policy_id").GetInt32(), "storage_policy_id after the edge update");
        Expect.Equal(update, 1, u.GetProperty("edges").GetProperty("storage_policies").GetProperty("id").GetInt32(), "edges.storage_policies.id");
        Expect.Ok(await Main.Delete($"/admin/group/{id}"));
    }

    /// <summary>The integer id of a user, found through the e-mail filter.</summary>
    private async Task<int> IdOf(string email)
    {
        var r = await Main.Post("/admin/user", new { page = 1, page_size = 100, conditions = new { user_email = email } });
        foreach (var u in Expect.Ok(r).GetProperty("users").EnumerateArray())
        {
            if (u.GetProperty("email").GetString() == email) return u.GetProperty("id").GetInt32();
        }
        throw new Xunit.Sdk.XunitException($"{r.Route}: expected a user {email}");
    }
}

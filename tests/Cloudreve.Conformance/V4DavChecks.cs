using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloudreve.Conformance;

/// <summary>
/// v4 reference section 15: WebDAV accounts (/devices/dav). Every account a check creates is deleted again. Creating
/// one needs the WebDAV (and for the proxy flag the WebDAV-proxy) permission, which 4.18's default User group lacks
/// (cap 139: permissions "hAg=") and the Admin group has, so those checks are admin checks.
/// </summary>
public sealed class V4DavChecks : V4Checks
{
    public V4DavChecks(V4Target t) : base(t)
    {
    }

    private async Task<JsonElement> CreateAccount(object body)
    {
        var r = await Main.Put("/devices/dav", body);
        return Expect.Ok(r).Clone();
    }

    private async Task DeleteAccount(string id) => await Main.Delete("/devices/dav/" + id);

    /// <summary>The account with that id in GET /devices/dav (all pages).</summary>
    private async Task<JsonElement?> Listed(string id)
    {
        string? next = null;
        do
        {
            var r = await Main.Get("/devices/dav?page_size=100" + (next == null ? "" : "&next_page_token=" + Uri.EscapeDataString(next)));
            var d = Expect.Ok(r);
            foreach (var a in d.GetProperty("accounts").EnumerateArray())
            {
                if (a.GetProperty("id").GetString() == id) return a.Clone();
            }
            next = d.GetProperty("pagination").TryGetProperty("next_token", out var t) ? t.GetString() : null;
        }
        while (next != null);
        return null;
    }

    [V4Check]
    public async Task Cap441_list_without_page_size_is_40001()
    {
        V4Expect.Error(await Main.Get("/devices/dav"), 40001, "PageSize cannot be empty", correlation: false);
    }

    [V4AdminCheck]
    public async Task Cap31_Cap442_Cap440_create_read_only_then_list_it()
    {
        var folder = await T.NewFolder("dav");
        var r = await Main.Put("/devices/dav", new { uri = folder, name = "probe-dav", @readonly = true });
        var a = Expect.Ok(r);
        var id = a.GetProperty("id").GetString()!;
        try
        {
            Expect.Keys(r, a, "id", "created_at", "name", "uri", "password", "options");
            Expect.Equal(r, "probe-dav", a.GetProperty("name").GetString(), "name");
            Expect.Equal(r, folder, a.GetProperty("uri").GetString(), "uri");
            Expect.Equal(r, "AQ==", a.GetProperty("options").GetString(), "options (bit 0: read-only)");
            Expect.That(r, Regex.IsMatch(a.GetProperty("password").GetString()!, "^[a-z0-9]{32}$"), "a generated 32-character password");

            var list = await Main.Get("/devices/dav?page_size=10");
            var p = Expect.Ok(list).GetProperty("pagination");
            Expect.Equal(list, 10, p.GetProperty("page_size").GetInt32(), "pagination.page_size");
            Expect.Equal(list, true, p.GetProperty("is_cursor").GetBoolean(), "pagination.is_cursor");
            var listed = await Listed(id) ?? throw new Xunit.Sdk.XunitException($"GET /api/v4/devices/dav: expected account {id}");
            Expect.Equal(list, a.GetProperty("password").GetString(), listed.GetProperty("password").GetString(), "password in the listing");
            Expect.Equal(list, "AQ==", listed.GetProperty("options").GetString(), "options in the listing");
        }
        finally
        {
            await DeleteAccount(id);
        }
    }

    [V4AdminCheck]
    public async Task Cap443_Cap444_missing_root_and_duplicate_names_are_accepted()
    {
        var missing = T.NewUri("nope");
        var a = await CreateAccount(new { uri = missing, name = "dup" });
        var b = await CreateAccount(new { uri = missing, name = "dup" });
        try
        {
            Expect.That(await Main.Get("/devices/dav?page_size=10"), a.GetProperty("id").GetString() != b.GetProperty("id").GetString(),
                "two accounts with the same name and a root that does not exist");
            Expect.Equal(await Main.Get("/devices/dav?page_size=10"), "", a.GetProperty("options").GetString(), "options with no flag");
        }
        finally
        {
            await DeleteAccount(a.GetProperty("id").GetString()!);
            await DeleteAccount(b.GetProperty("id").GetString()!);
        }
    }

    [V4AdminCheck]
    public async Task Cap445_update_replaces_every_field_and_keeps_the_password()
    {
        var folder = await T.NewFolder("davupd");
        var a = await CreateAccount(new { uri = folder, name = "upd", @readonly = true });
        var id = a.GetProperty("id").GetString()!;
        try
        {
            var target = await T.NewFolder("davupd-2");
            var r = await Main.Patch("/devices/dav/" + id, new { uri = target, name = "upd-2", proxy = true });
            var u = Expect.Ok(r);
            Expect.Equal(r, "upd-2", u.GetProperty("name").GetString(), "name");
            Expect.Equal(r, target, u.GetProperty("uri").GetString(), "uri");
            // readonly was left out, so it is cleared; the admin group may use the proxy (bit 1).
            Expect.Equal(r, "Ag==", u.GetProperty("options").GetString(), "options");
            Expect.Equal(r, a.GetProperty("password").GetString(), u.GetProperty("password").GetString(), "password");
            Expect.Equal(r, a.GetProperty("created_at").GetString(), u.GetProperty("created_at").GetString(), "created_at");
        }
        finally
        {
            await DeleteAccount(id);
        }
    }

    [V4AdminCheck]
    public async Task Cap446_update_without_uri_is_40001()
    {
        var a = await CreateAccount(new { uri = T.WorkUri, name = "partial" });
        var id = a.GetProperty("id").GetString()!;
        try
        {
            V4Expect.Error(await Main.Patch("/devices/dav/" + id, new { @readonly = true }), 40001, "Uri cannot be empty", correlation: false);
        }
        finally
        {
            await DeleteAccount(id);
        }
    }

    [V4Check]
    public async Task Cap447_update_of_a_garbage_id_is_40001()
    {
        V4Expect.Error(await Main.Patch("/devices/dav/not-an-id", new { uri = T.WorkUri, name = "x" }), 40001, "Failed to parse object ID");
    }

    [V4AdminCheck]
    public async Task Cap449_Cap450_delete_then_delete_again_is_404()
    {
        var a = await CreateAccount(new { uri = T.WorkUri, name = "del" });
        var id = a.GetProperty("id").GetString()!;
        Expect.Ok(await Main.Delete("/devices/dav/" + id));
        V4Expect.Error(await Main.Delete("/devices/dav/" + id), 404, "Account not exist");
        Expect.That(await Main.Get("/devices/dav?page_size=10"), await Listed(id) == null, "the account gone from the list");
    }
}

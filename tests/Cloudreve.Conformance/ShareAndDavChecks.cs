using System.Text;
using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>Sections 4.7 and 4.9: shares (owner and visitor side) and WebDAV accounts.</summary>
public sealed class ShareAndDavChecks : Checks
{
    public ShareAndDavChecks(Target t) : base(t)
    {
    }

    private static string KeyOf(Reply r) => Expect.Ok(r).GetString()!.Split('/')[^1];

    [Check]
    public async Task Shares_create_list_update_info_download_delete()
    {
        var folder = await T.NewFolder("share");
        var fileId = await Uploader.Upload(T, Main, folder + "/d1", "inside.txt", Encoding.UTF8.GetBytes("inside"));
        var d1 = await IdOf(folder, "d1");

        var pub = await Main.Post("/share", new { id = fileId, is_dir = false, password = "", downloads = -1, expire = 86400, preview = true });
        Expect.That(pub, Expect.Ok(pub).GetString()!.Contains("/s/", StringComparison.Ordinal), "a {siteURL}/s/{key} URL");
        var locked = await Main.Post("/share", new { id = d1, is_dir = true, password = "pw3", downloads = 2, expire = 3600, preview = false });
        var expired = await Main.Post("/share", new { id = fileId, is_dir = false, downloads = 3, expire = 0 });
        Expect.Code(await Main.Post("/share", new { id = fileId, is_dir = true }), 404);
        Expect.Code(await Main.Post("/share", new { is_dir = true }), 40001, "Source resource cannot be empty");

        var list = await Main.Get("/share?page=1&order_by=created_at&order=DESC");
        var data = Expect.Ok(list);
        Expect.Keys(list, data, "items", "total");
        var items = data.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("key").GetString()!);
        var lockedItem = items[KeyOf(locked)];
        Expect.Keys(list, lockedItem, "key", "is_dir", "password", "create_date", "downloads", "remain_downloads", "views", "expire", "preview", "source");
        Expect.Equal(list, 2L, lockedItem.GetProperty("remain_downloads").GetInt64(), "remain_downloads of the limited share");
        Expect.That(list, lockedItem.GetProperty("expire").GetInt64() is > 3500 and <= 3600, "expire ≈ 3600 (seconds left)");
        Expect.Equal(list, -1L, items[KeyOf(pub)].GetProperty("expire").GetInt64(), "expire of an unlimited share");
        Expect.That(list, items[KeyOf(expired)].GetProperty("expire").GetInt64() <= 0, "expire ≤ 0 for a share created with downloads>0 and expire 0");
        Expect.Code(await Main.Get("/share?page=1&order_by=created_at&order=desc"), 40001, "Invalid parameters.");

        using var visitor = new ApiClient(T.BaseUri);
        Expect.Code(await visitor.Get($"/share/info/{KeyOf(expired)}"), 40058, "");
        var info = await visitor.Get($"/share/info/{KeyOf(locked)}");
        Expect.Equal(info, true, Expect.Ok(info).GetProperty("locked").GetBoolean(), "locked");
        Expect.Code(await visitor.Put($"/share/download/{KeyOf(locked)}?path=%2Finside.txt"), 403, "");
        info = await visitor.Get($"/share/info/{KeyOf(locked)}?password=pw3");
        var d = Expect.Ok(info);
        Expect.Keys(info, d, "key", "locked", "is_dir", "create_date", "downloads", "views", "expire", "preview", "creator", "source");
        Expect.Keys(info, d.GetProperty("creator"), "key", "nick", "group_name");
        Expect.Code(await visitor.Put($"/share/download/{KeyOf(locked)}?path=%2Fnothing.txt"), 40016, "Object not exist");
        var url = await visitor.Put($"/share/download/{KeyOf(locked)}?path=%2Finside.txt");
        var got = await visitor.Send(HttpMethod.Get, Expect.Ok(url).GetString()!);
        Expect.Equal(got, "inside", got.Text, "downloaded bytes");
        Expect.Ok(await visitor.Put($"/share/download/{KeyOf(locked)}?path=%2Finside.txt"));
        list = await Main.Get("/share?page=1&order_by=created_at&order=DESC");
        var after = Expect.Ok(list).GetProperty("items").EnumerateArray().First(i => i.GetProperty("key").GetString() == KeyOf(locked));
        Expect.Equal(list, 1L, after.GetProperty("downloads").GetInt64(), "downloads (one per visitor session)");
        Expect.Equal(list, 1L, after.GetProperty("remain_downloads").GetInt64(), "remain_downloads");
        using var second = new ApiClient(T.BaseUri);
        await second.Get($"/share/info/{KeyOf(locked)}?password=pw3");
        Expect.Ok(await second.Put($"/share/download/{KeyOf(locked)}?path=%2Finside.txt"));
        Expect.Code(await visitor.Get($"/share/info/{KeyOf(locked)}"), 40058, "");

        var upd = await Main.Patch($"/share/{KeyOf(pub)}", new { prop = "password", value = "newpw" });
        Expect.Equal(upd, "newpw", Expect.Ok(upd).GetString(), "data");
        upd = await Main.Patch($"/share/{KeyOf(pub)}", new { prop = "preview_enabled", value = "false" });
        Expect.Equal(upd, false, Expect.Ok(upd).GetBoolean(), "data");
        Expect.Code(await Main.Patch($"/share/{KeyOf(pub)}", new { prop = "downloads", value = "5" }), 40001, "Invalid parameters.");
        Expect.Code(await Main.Patch($"/share/{KeyOf(pub)}", "{\"prop\":\"preview_enabled\",\"value\":true}"), 40001, "JSON marshall error");
        Expect.Code(await Main.Patch($"/share/{KeyOf(expired)}", new { prop = "password", value = "x" }), 40058);

        Expect.Ok(await Main.Delete($"/share/{KeyOf(expired)}"));
        Expect.Ok(await Main.Delete($"/share/{KeyOf(pub)}"));
        Expect.Code(await Main.Delete($"/share/{KeyOf(pub)}"), 40058);
        Expect.Code(await visitor.Put("/share/download/XXXX"), 40058);
    }

    [Check]
    public async Task WebDAV_accounts_create_list_patch_delete()
    {
        var folder = await T.NewFolder("dav");
        var created = await Main.Post("/webdav/accounts", new { path = folder, name = "conformance-" + Guid.NewGuid().ToString("N")[..6] });
        var c = Expect.Ok(created);
        Expect.HasKeys(created, c, "id", "password", "created_at");
        var id = c.GetProperty("id").GetInt64();
        T.TrackWebDav(id);
        Expect.Equal(created, 32, c.GetProperty("password").GetString()!.Length, "password length");

        var list = await Main.Get("/webdav/accounts");
        var account = Expect.Ok(list).GetProperty("accounts").EnumerateArray().First(a => a.GetProperty("ID").GetInt64() == id);
        Expect.Keys(list, account, "ID", "CreatedAt", "UpdatedAt", "DeletedAt", "Name", "Password", "UserID", "Root", "Readonly", "UseProxy");
        Expect.Equal(list, folder, account.GetProperty("Root").GetString(), "Root");

        var p = await Main.Patch("/webdav/accounts", new { id, @readonly = true });
        Expect.Keys(p, Expect.Ok(p), "readonly");
        Expect.Code(await Main.Patch("/webdav/accounts", new { id }), 40001, "Invalid parameters.");
        Expect.Code(await Main.Patch("/webdav/accounts", "{\"id\":\"2\",\"readonly\":true}"), 40001, "JSON marshall error");
        Expect.Ok(await Main.Delete($"/webdav/accounts/{id}"));
        Expect.Ok(await Main.Delete($"/webdav/accounts/{id}"));
        Expect.Code(await Main.Delete("/webdav/accounts/abc"), 40001, "Parameter error");
    }
}

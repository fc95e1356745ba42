using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// WebDAV accounts of the current user (reference 15): GET/PUT /devices/dav, PATCH/DELETE /devices/dav/{id}.
/// Ids are hashids (DavAccountID); options is a boolset (bit 0 read-only, 1 proxy, 2 hide system files).
/// </summary>
internal static class V4DavAccounts
{
    private sealed record Row(long Id, string Name, string Uri, string Password, bool ReadOnly, bool Proxy, bool HideSystemFiles, long CreatedAt)
    {
        public string Options => V4BoolSet.Encode(Bits());

        private IEnumerable<int> Bits()
        {
            if (ReadOnly) yield return V4Bits.DavReadOnly;
            if (Proxy) yield return V4Bits.DavProxy;
            if (HideSystemFiles) yield return V4Bits.DavDisableSysFiles;
        }
    }

    public static void Map(Router r)
    {
        r.Get(V4Routes.Prefix + "/devices/dav", List);
        r.Put(V4Routes.Prefix + "/devices/dav", Create);
        r.Patch(V4Routes.Prefix + "/devices/dav/:id", Update);
        r.Delete(V4Routes.Prefix + "/devices/dav/:id", Delete);
    }

    private const string Cols = "id,name,uri,root,password,readonly,use_proxy,disable_sys_files,created_at";

    /// <summary>The webdavs row; an account made through the v3 API has only its root path, shown as a my URI.</summary>
    private static Row Map(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.NullableString(2) ?? V4Uri.Format(V4Uri.My, r.GetString(3).Split('/', StringSplitOptions.RemoveEmptyEntries)),
            r.GetString(4), r.GetInt64(5) != 0, r.GetInt64(6) != 0, r.GetInt64(7) != 0, r.GetInt64(8));

    /// <summary>{id, created_at, name, uri, password, options} (cap 31, 442). The password is shown in clear, as Cloudreve does.</summary>
    private static JsonObject Json(Req req, Row a) => new()
    {
        ["id"] = req.App.Ids.Encode(a.Id, V4SvcIds.DavAccount),
        ["created_at"] = GoTime.Format(a.CreatedAt),
        ["name"] = a.Name,
        ["uri"] = a.Uri,
        ["password"] = a.Password,
        ["options"] = a.Options,
    };

    /// <summary>page_size required, 10..100 (cap 441); cursor paging by id, newest first.</summary>
    private static Task List(Req req)
    {
        var (user, _) = req.RequireCaller();
        var pageSize = V4SvcPaging.PageSize(req);
        var token = req.Query("next_page_token") ?? "";
        var data = req.App.Db.Read(c =>
        {
            var all = c.Query($"SELECT {Cols} FROM webdavs WHERE user_id=$u ORDER BY id DESC", Map, null, ("$u", user.Id));
            var (page, next) = V4SvcPaging.Cursor(req, all, a => a.Id, V4SvcIds.DavAccount, pageSize, token, "Failed to list dav accounts", idDescending: true);
            return new JsonObject
            {
                ["accounts"] = GoJson.Array(page.Select(a => (JsonNode?)Json(req, a))),
                ["pagination"] = V4SvcPaging.CursorJson(pageSize, next),
            };
        });
        return req.Json(V4Envelope.Ok(data));
    }

    private sealed record Input(string Uri, string Name, bool ReadOnly, bool Proxy, bool HideSystemFiles);

    /// <summary>Binding: uri required; name required, 1..255 runes (cap 446).</summary>
    private static async Task<Input> Bind(Req req)
    {
        var body = await V4Body.Read(req);
        var uri = body.Str("uri");
        var name = body.Str("name");
        var readOnly = body.Bool("readonly");
        var proxy = body.Bool("proxy");
        var hideSys = body.Bool("disable_sys_files");
        body.ThrowIfMarshallError();
        if (uri.Length == 0) throw V4Envelope.Param("Uri cannot be empty");
        if (name.Length == 0) throw V4Envelope.Param("Name cannot be empty");
        if (Validate.Runes(name) > 255) throw V4Envelope.Param("Name too long");
        return new Input(uri, name, readOnly, proxy, hideSys);
    }

    /// <summary>validateAndGetBs: the group needs WebDAV; only my/share URIs; proxy only when the group allows it.</summary>
    private static (bool Proxy, string Root) Check(Req req, GroupRow group, Input input)
    {
        var perms = V4GroupPerms.Of(req, group);
        if (!perms.Contains(V4Bits.WebDav)) throw V4Envelope.Fail(V4SvcCodes.GroupNotAllowed, "WebDAV is not enabled for this user group");
        if (input.Uri.Contains('?', StringComparison.Ordinal) || V4Uri.TryParse(input.Uri) is not { FileSystem: V4Uri.My or V4Uri.Share } uri)
            throw V4Envelope.Fail(V4Codes.ParamErr, "Invalid URI");
        // The v3 root column: the folder path of a my URI.
        var root = uri.FileSystem == V4Uri.My ? "/" + string.Join('/', uri.Segments) : "/";
        return (input.Proxy && perms.Contains(V4Bits.WebDavProxy), root);
    }

    /// <summary>PUT: a generated 32-character password; the root folder is not checked (cap 443), duplicate names are fine (cap 444).</summary>
    private static async Task Create(Req req)
    {
        var (user, group) = req.RequireCaller();
        var input = await Bind(req);
        var (proxy, root) = Check(req, group, input);
        var password = V4RandomText.LowerAlnum(32);
        var now = GoTime.Now();
        var row = req.App.Db.Write((c, tx) =>
        {
            var id = c.InsertId("""
                INSERT INTO webdavs(name,password,user_id,root,readonly,use_proxy,uri,disable_sys_files,created_at,updated_at)
                VALUES($n,$p,$u,$root,$ro,$proxy,$uri,$sys,$now,$now)
                """, tx, ("$n", input.Name), ("$p", password), ("$u", user.Id), ("$root", root), ("$ro", input.ReadOnly), ("$proxy", proxy),
                ("$uri", input.Uri), ("$sys", input.HideSystemFiles), ("$now", now));
            return new Row(id, input.Name, input.Uri, password, input.ReadOnly, proxy, input.HideSystemFiles, now);
        });
        await req.Json(V4Envelope.Ok(Json(req, row)));
    }

    private static long PathId(Req req) =>
        req.App.Ids.Decode(req.Param("id"), V4SvcIds.DavAccount) ?? throw V4Envelope.Fail(V4Codes.ParamErr, "Failed to parse object ID");

    private static V4Exception NotExist() => V4Envelope.Fail(V4Codes.NotFound, "Account not exist");

    /// <summary>PATCH replaces name, uri and every option (a flag left out is cleared, cap 445); the password stays.</summary>
    private static async Task Update(Req req)
    {
        var (user, group) = req.RequireCaller();
        var id = PathId(req);
        var input = await Bind(req);
        var exists = req.App.Db.Read(c => c.Scalar("SELECT 1 FROM webdavs WHERE id=$id AND user_id=$u", null, ("$id", id), ("$u", user.Id)) != null);
        if (!exists) throw NotExist();
        var (proxy, root) = Check(req, group, input);
        var row = req.App.Db.Write((c, tx) =>
        {
            c.Exec("UPDATE webdavs SET name=$n, uri=$uri, root=$root, readonly=$ro, use_proxy=$proxy, disable_sys_files=$sys, updated_at=$now WHERE id=$id", tx,
                ("$n", input.Name), ("$uri", input.Uri), ("$root", root), ("$ro", input.ReadOnly), ("$proxy", proxy), ("$sys", input.HideSystemFiles),
                ("$now", GoTime.Now()), ("$id", id));
            return c.One($"SELECT {Cols} FROM webdavs WHERE id=$id", Map, tx, ("$id", id))!;
        });
        await req.Json(V4Envelope.Ok(Json(req, row)));
    }

    /// <summary>DELETE: 0, then 404 "Account not exist" (cap 449, 450).</summary>
    private static Task Delete(Req req)
    {
        var (user, _) = req.RequireCaller();
        var id = PathId(req);
        var n = req.App.Db.Write((c, tx) => c.Exec("DELETE FROM webdavs WHERE id=$id AND user_id=$u", tx, ("$id", id), ("$u", user.Id)));
        if (n == 0) throw NotExist();
        return req.Json(V4Envelope.Ok());
    }
}

/// <summary>Random strings as util.RandString(n, RandomLowerCases) makes them: digits and lowercase letters.</summary>
internal static class V4RandomText
{
    public static string LowerAlnum(int length) =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("1234567890abcdefghijklmnopqrstuvwxyz", length);
}

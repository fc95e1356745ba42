using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// GET /file?uri=cloudreve://{id}[:{password}]@share/[path] (reference 11.2, cap 413, 414): the content of a shared
/// folder, or the shared file alone, for anyone who knows the password; paths keep the share's id and password.
/// </summary>
internal static class V4ShareBrowse
{
    /// <summary>Capability bit set of entries seen through a share (cap 413).</summary>
    public const string ShareCapability = "gIaYAQ==";

    public static Task List(Req req, V4Uri uri)
    {
        var app = req.App;
        var caller = req.Caller();
        var pageSize = V4Listing.PageSize(req);
        var offset = V4Listing.CursorOffset(req);

        var (entries, parent, single, policy) = app.Db.Read(c =>
        {
            var share = Unlocked(c, app, uri);
            var root = V4ShareStore.Source(c, share)!;
            var ownerGroup = Users.ById(c, share.UserId) is { } owner ? Users.Group(c, owner.GroupId) : null;
            var policyRow = ownerGroup == null ? null : Users.Policy(c, ownerGroup.PolicyId);
            var policyJson = policyRow == null ? null : V4Json.Policy(app, policyRow);
            var owned = caller?.Id == share.UserId;
            var prefix = "cloudreve://" + uri.Owner + (uri.Password != null ? ":" + uri.Password : "") + "@share/";
            string PathOf(IEnumerable<string> segs) => prefix + string.Join('/', segs.Select(V4Uri.EncodeSegment));
            JsonObject Json(V4Node n, IEnumerable<string> segs)
            {
                var o = V4Json.File(app, n, PathOf(segs), capability: ShareCapability);
                if (!owned) o.Remove("owned");
                return o;
            }

            if (!root.IsFolder)
            {
                if (uri.Segments.Count > 0) throw V4Envelope.PathNotExist();
                return (new List<(V4Node, JsonObject)> { (root, Json(root, [root.Name])) }, Json(root, []), true, policyJson);
            }
            var folder = root;
            foreach (var seg in uri.Segments)
            {
                folder = V4Fs.Child(c, folder.Id, seg) ?? throw V4Envelope.PathNotExist();
                if (!folder.IsFolder) throw V4Envelope.PathNotExist();
            }
            var segments = uri.Segments.ToList();
            var list = V4Fs.Children(c, folder.Id).Where(n => n.File is not { IsPlaceholder: true })
                .Select(n => (n, Json(n, segments.Append(n.Name)))).ToList();
            var p = Json(folder, segments);
            p["metadata"] = null;
            return (list, p, false, policyJson);
        });

        var sorted = V4Listing.Sort(entries.Select(e => e.Item1).ToList(), "name", false);
        var byNode = entries.ToDictionary(e => (e.Item1.IsFolder, e.Item1.Id), e => e.Item2);
        var page = sorted.Skip(offset).Take(pageSize).ToList();
        var pagination = V4Listing.CursorPagination(pageSize, offset, page.Count, sorted.Count);
        var data = new JsonObject
        {
            ["files"] = GoJson.Array(page.Select(n => (JsonNode?)byNode[(n.IsFolder, n.Id)])),
            ["parent"] = parent,
            ["pagination"] = pagination,
            ["props"] = V4Listing.Props(app, ShareCapability),
            ["context_hint"] = Guid.NewGuid().ToString(),
            ["mixed_type"] = false,
        };
        if (single) data["single_file_view"] = true;
        if (policy != null) data["storage_policy"] = policy;
        return req.Json(V4Envelope.Ok(data));
    }

    /// <summary>The valid share a share URI names, unlocked by the URI's password; else 40016 / the password error.</summary>
    private static V4ShareRow Unlocked(Microsoft.Data.Sqlite.SqliteConnection c, App app, V4Uri uri, Microsoft.Data.Sqlite.SqliteTransaction? tx = null)
    {
        var id = uri.Owner == null ? null : app.Ids.Decode(uri.Owner, V4SvcIds.Share);
        var share = id == null ? null : V4ShareStore.ById(c, id.Value, tx);
        if (share == null || !V4ShareStore.IsValid(c, share, tx)) throw V4Envelope.Fail(V4Codes.NotFound, "Shared file does not exist");
        if (share.Password.Length > 0 && share.Password != (uri.Password ?? "")) throw V4Envelope.Fail(V4SvcCodes.IncorrectSharePassword, "Incorrect share password");
        return share;
    }

    public static bool IsShareUri(string raw) => V4Uri.TryParse(raw) is { FileSystem: V4Uri.Share };

    /// <summary>
    /// What a share URI names for POST /file/url (cap 415): the share must exist, be valid and be unlocked by the URI's
    /// password; a file found there counts as one download of the share (its remaining downloads go down by one).
    /// </summary>
    public static XferTarget Target(App app, V4Caller? caller, V4Uri uri) => app.Db.Write((c, tx) =>
    {
        var share = Unlocked(c, app, uri, tx);
        var node = V4ShareStore.Source(c, share, tx)!;
        XferTarget target;
        if (!node.IsFolder)
        {
            target = uri.Segments.Count == 0 || uri.Segments.Count == 1 && uri.Segments[0] == node.Name
                ? new XferTarget(null, node.File, null)
                : new XferTarget(null, null, uri.Segments[0]);
        }
        else
        {
            target = new XferTarget(node.Folder, null, null);
            foreach (var seg in uri.Segments)
            {
                var next = target.Folder == null ? null : V4Fs.Child(c, target.Folder.Id, seg, tx);
                if (next == null)
                {
                    target = new XferTarget(null, null, seg);
                    break;
                }
                target = next.IsFolder ? new XferTarget(next.Folder, null, null) : new XferTarget(null, next.File, null);
            }
        }
        if (target.File is { IsPlaceholder: false } && caller?.Id != share.UserId)
        {
            c.Exec("UPDATE shares SET downloads=downloads+1, remain_downloads=CASE WHEN remain_downloads>0 THEN remain_downloads-1 ELSE remain_downloads END WHERE id=$id",
                tx, ("$id", share.Id));
        }
        return target;
    });
}

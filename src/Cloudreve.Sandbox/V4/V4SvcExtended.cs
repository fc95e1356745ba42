using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The share and direct-link parts of <c>extended_info</c> in GET /file/info?extended=true (cap 436): "shares" before
/// "entities", "direct_links" last, each only when there are any.
/// </summary>
internal static class V4SvcExtended
{
    public static void Add(Req req, JsonObject file)
    {
        if (file["extended_info"] is not JsonObject ext || file["id"]?.GetValue<string>() is not { } hash) return;
        V4Node? node = null;
        var caller = req.Caller();
        req.App.Db.Read(c =>
        {
            if (req.App.Ids.Decode(hash, HashIds.File) is { } fid && Objects.File(c, fid) is { } f) node = V4Node.Of(f);
            else if (req.App.Ids.Decode(hash, HashIds.Folder) is { } did && Objects.Folder(c, did) is { } d) node = V4Node.Of(d);
            if (node == null) return 0;

            var shares = V4ShareStore.OfObject(c, node);
            if (shares.Count > 0)
            {
                var owner = Users.ById(c, shares[0].UserId);
                var group = owner == null ? null : Users.Group(c, owner.GroupId);
                var list = new JsonArray();
                foreach (var s in shares)
                {
                    var o = V4ShareJson.Build(req, c, s, caller?.Id, unlocked: true, expired: !V4ShareStore.IsValid(c, s));
                    // The file edge is not loaded here: size 0; the owner comes with its group (cap 436).
                    o["size"] = 0;
                    if (group != null && o["owner"] is JsonObject ow) ow["group"] = new JsonObject { ["id"] = req.App.Ids.Encode(group.Id, V4Ids.Group), ["name"] = group.Name };
                    list.Add(o);
                }
                var at = IndexOf(ext, "entities");
                if (at < 0) ext["shares"] = list;
                else ext.Insert(at, "shares", list);
            }
            if (V4DirectLinks.ForFile(req, c, node) is { } links) ext["direct_links"] = links;
            return 0;
        });
    }

    private static int IndexOf(JsonObject o, string key)
    {
        var i = 0;
        foreach (var (k, _) in o)
        {
            if (k == key) return i;
            i++;
        }
        return -1;
    }
}

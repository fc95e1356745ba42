using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Section 6: <c>GET /file/info?uri=|id=[&amp;extended=true][&amp;folder_summary=true]</c>. The root is 403 "Not
/// supported action" (cap 232); another user's file by id is 40082 (cap 474); trash URIs work (cap 282).
/// </summary>
internal static class V4FileInfo
{
    public static void Map(Router r) => r.Get(V4Routes.Prefix + "/file/info", Info);

    private static Task Info(Req req)
    {
        var caller = req.RequireCaller();
        var app = req.App;
        var id = req.Query("id");
        var rawUri = req.Query("uri");
        var extended = req.Flag("extended");
        var summary = req.Flag("folder_summary");
        JsonObject result;
        if (!string.IsNullOrEmpty(id))
        {
            result = app.Db.Read(c =>
            {
                var node = ById(c, app, id) ?? throw new V4Exception(V4Codes.PathNotExist, "File not found");
                var owner = node.IsFolder ? node.Folder!.OwnerId : node.File!.UserId;
                if (owner != caller.Id) throw new V4Exception(V4Codes.OwnerOnly, "Only owner or administrator can perform this action");
                if (node.IsRoot) throw V4Envelope.NotSupported();
                if (V4Fs.UriOf(c, node) is { } path) return Describe(c, app, caller, node, path, extended, summary);
                var entry = c.One("SELECT uuid FROM v4_trash WHERE object_id=$o AND is_folder=$f", r => r.GetString(0), null, ("$o", node.Id), ("$f", node.IsFolder ? 1 : 0));
                var trashed = entry == null ? null : V4Trash.ByUuid(c, caller.Id, entry);
                if (trashed == null) throw V4Envelope.PathNotExist();
                return Trashed(c, app, caller, trashed, extended, summary);
            });
        }
        else
        {
            var uri = V4Uri.Parse(rawUri);
            result = app.Db.Read(c =>
            {
                if (uri.FileSystem == V4Uri.Trash)
                {
                    if (uri.IsRoot) throw V4Envelope.NotSupported();
                    var entry = V4Trash.Find(c, caller.Id, uri) ?? throw V4Envelope.PathNotExist();
                    return Trashed(c, app, caller, entry, extended, summary);
                }
                V4Fs.RequireMy(uri, app, caller);
                var node = V4Fs.Require(c, caller.Id, uri);
                if (node.IsRoot) throw V4Envelope.NotSupported();
                return Describe(c, app, caller, node, V4Fs.UriOf(c, node)!, extended, summary);
            });
        }
        return req.Json(V4Envelope.Ok(result));
    }

    private static V4Node? ById(SqliteConnection c, App app, string id)
    {
        if (app.Ids.Decode(id, HashIds.File) is { } fid) return Objects.File(c, fid) is { } f ? V4Node.Of(f) : null;
        if (app.Ids.Decode(id, HashIds.Folder) is { } did) return Objects.Folder(c, did) is { } d ? V4Node.Of(d) : null;
        throw V4Envelope.Param("Failed to parse object ID");
    }

    private static JsonObject Trashed(SqliteConnection c, App app, V4Caller caller, V4TrashEntry entry, bool extended, bool summary)
    {
        var node = V4Trash.Node(c, entry) ?? throw V4Envelope.PathNotExist();
        var o = V4Trash.Json(app, entry, node, withCapability: false);
        AddDetails(c, app, caller, node, o, extended, summary);
        return o;
    }

    private static JsonObject Describe(SqliteConnection c, App app, V4Caller caller, V4Node node, string path, bool extended, bool summary)
    {
        var shared = V4Shared.SharedIds(c, caller.Id).Contains((node.IsFolder, node.Id));
        var o = V4Json.File(app, node, path, shared: shared);
        AddDetails(c, app, caller, node, o, extended, summary);
        return o;
    }

    private static void AddDetails(SqliteConnection c, App app, V4Caller caller, V4Node node, JsonObject o, bool extended, bool summary)
    {
        if (extended) o["extended_info"] = V4Extended.Build(c, app, caller, node);
        if (summary && node.IsFolder)
        {
            var (size, files, folders) = V4Fs.Summary(c, node.Id);
            o["folder_summary"] = new JsonObject
            {
                ["size"] = size,
                ["files"] = files,
                ["folders"] = folders,
                ["completed"] = true,
                ["calculated_at"] = GoTime.Format(DateTime.UtcNow),
            };
        }
    }
}

/// <summary>
/// extended_info (reference 6, cap 230): storage_policy, storage_used, shares (when any), entities (files: the
/// stored versions, newest first), direct_links (when any). Areas with more detail (versions, shares, direct links)
/// extend <see cref="Build"/>.
/// </summary>
internal static class V4Extended
{
    public static JsonObject Build(SqliteConnection c, App app, V4Caller caller, V4Node node)
    {
        var policyId = node.File?.PolicyId ?? caller.Group.PolicyId;
        var policy = Users.Policy(c, policyId);
        var policyJson = policy == null ? null : V4Json.Policy(app, policy);
        var o = new JsonObject
        {
            ["storage_policy"] = policyJson,
            ["storage_used"] = node.IsFolder ? 0 : node.Size,
        };
        if (node.File is { UploadSessionId: null } f && f.Size > 0)
        {
            o["entities"] = new JsonArray(new JsonObject
            {
                ["id"] = V4Json.PrimaryEntity(app, node),
                ["size"] = f.Size,
                ["type"] = 0,
                ["created_at"] = GoTime.Format(f.CreatedAt),
                ["storage_policy"] = policyJson?.DeepClone(),
                ["created_by"] = new JsonObject
                {
                    ["id"] = app.Ids.Encode(caller.Id, HashIds.User),
                    ["nickname"] = caller.User.Nick,
                    ["created_at"] = GoTime.Format(caller.User.CreatedAt),
                },
            });
        }
        return o;
    }
}

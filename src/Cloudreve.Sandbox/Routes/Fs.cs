using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>The logged-in user's file-system context: user, group and current storage policy.</summary>
internal sealed record Fs(UserRow User, GroupRow Group, PolicyRow Policy)
{
    public long Uid => User.Id;

    /// <summary>Login required (401), then the user's group must resolve to a storage policy.</summary>
    public static Fs Of(Req req)
    {
        var (u, g) = req.RequireUser();
        if (g.Name.Length == 0 && g.PolicyId == 0) throw Envelope.Fail(Codes.InternalSetting, "Unknown policy type");
        var policy = req.App.Db.Read(c => Users.Policy(c, g.PolicyId))
            ?? throw Envelope.Fail(40047, "");
        return new Fs(u, g, policy);
    }

    public JsonObject PolicyJson(App app) => new()
    {
        ["id"] = app.Ids.Encode(Policy.Id, HashIds.Policy),
        ["name"] = Policy.Name,
        ["type"] = Policy.Type,
        ["max_size"] = Policy.MaxSize,
        ["file_type"] = GoJson.Array(Policy.FileTypeList.Select(t => (JsonNode?)t)),
    };

    /// <summary>Decodes ids of a list, silently dropping bad ones (as ItemIDService.Raw does).</summary>
    public static List<long> DecodeAll(App app, IEnumerable<string> ids, int type) =>
        ids.Select(i => app.Ids.Decode(i, type)).Where(i => i != null).Select(i => i!.Value).ToList();
}

/// <summary>JSON for listing objects.</summary>
internal static class ObjectViews
{
    public static JsonObject Folder(App app, FolderRow f, string path) => new()
    {
        ["id"] = app.Ids.Encode(f.Id, HashIds.Folder),
        ["name"] = f.Name,
        ["path"] = path,
        ["thumb"] = false,
        ["size"] = 0,
        ["type"] = "dir",
        ["date"] = GoTime.Format(f.UpdatedAt),
        ["create_date"] = GoTime.Format(f.CreatedAt),
        ["source_enabled"] = false,
    };

    public static JsonObject File(App app, FileRow f, string path) => new()
    {
        ["id"] = app.Ids.Encode(f.Id, HashIds.File),
        ["name"] = f.Name,
        ["path"] = path,
        ["thumb"] = true,
        ["size"] = f.Size,
        ["type"] = "file",
        ["date"] = GoTime.Format(f.UpdatedAt),
        ["create_date"] = GoTime.Format(f.CreatedAt),
        ["source_enabled"] = false,
    };
}

using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>Hashid type tags of v4-only objects (the v3 tags live in <see cref="HashIds"/>).</summary>
internal static class V4Ids
{
    public const int Group = 8, Entity = 9;

    /// <summary>Id of the one "empty" entity every folder and empty file points at (reference 5.1).</summary>
    public static string EmptyEntity(HashIds ids) => ids.Encode(0, Entity);
}

/// <summary>JSON writers for the v4 user, group, policy and file objects (reference 2.1, 5.1, 17).</summary>
internal static class V4Json
{
    /// <summary>Capability bit set of the caller's own files and of the trash (cap 09, 281).</summary>
    public const string MyCapability = "w8edAQ==", TrashCapability = "AMIK";

    /// <summary>The group's permission bit set as the real server shows it (Admin "/RoB", User "hAg=", Anonymous "gg==").</summary>
    public static string Permission(GroupRow g) => g.Id switch
    {
        Seeder.AdminGroup => "/RoB",
        Seeder.AnonymousGroup => "gg==",
        _ => "hAg=",
    };

    /// <summary>Trash retention in seconds (7 days, cap 107).</summary>
    public const long TrashRetentionSeconds = 604800;

    public static JsonObject Group(App app, GroupRow g) => new()
    {
        ["id"] = app.Ids.Encode(g.Id, V4Ids.Group),
        ["name"] = g.Name,
        ["permission"] = Permission(g),
        ["direct_link_batch_size"] = g.SourceBatch,
        ["trash_retention"] = TrashRetentionSeconds,
    };

    /// <summary>The user object of /user/me and of the login reply (cap 07, 107).</summary>
    public static JsonObject User(App app, UserRow u, GroupRow g) => new()
    {
        ["id"] = app.Ids.Encode(u.Id, HashIds.User),
        ["email"] = u.Email,
        ["nickname"] = u.Nick,
        ["status"] = Status(u.Status),
        ["created_at"] = GoTime.Format(u.CreatedAt),
        ["group"] = Group(app, g),
        ["language"] = "en-US",
    };

    public static string Status(int status) => status switch
    {
        UserStatus.Active => "active",
        UserStatus.NotActivated => "inactive",
        UserStatus.Banned => "manual_banned",
        _ => "sys_banned",
    };

    public static JsonObject Policy(App app, PolicyRow p) => new()
    {
        ["id"] = app.Ids.Encode(p.Id, HashIds.Policy),
        ["name"] = p.Name,
        ["type"] = p.Type,
        ["max_size"] = p.MaxSize,
    };

    /// <summary>
    /// FileResponse (reference 5.1): type, id, name, created_at, updated_at, size, metadata, path, shared (only when
    /// true), capability, owned, primary_entity.
    /// </summary>
    /// <param name="withMetadata">True where the real server loads metadata (listing entries, file/info: an object,
    /// cap 12, 203, 231); false where it does not (a listing's parent, the create and rename replies: null, cap 09, 234, 267).</param>
    public static JsonObject File(App app, V4Node n, string path, JsonObject? metadata = null, string? capability = MyCapability, bool shared = false, bool withMetadata = true)
    {
        var o = new JsonObject
        {
            ["type"] = n.IsFolder ? 1 : 0,
            ["id"] = n.HashId(app.Ids),
            ["name"] = n.Name,
            ["created_at"] = GoTime.Format(n.CreatedAt),
            ["updated_at"] = GoTime.Format(n.UpdatedAt),
            ["size"] = n.IsFolder ? 0 : n.Size,
            ["metadata"] = metadata ?? (withMetadata ? DefaultMetadata(n) : null),
            ["path"] = path,
        };
        if (shared) o["shared"] = true;
        if (capability != null) o["capability"] = capability; // file/info on a trash item has none (cap 282)
        o["owned"] = true;
        o["primary_entity"] = PrimaryEntity(app, n);
        return o;
    }

    /// <summary>The loaded metadata: {} (a pending upload {"sys:upload_session_id":...}, cap 302).</summary>
    public static JsonObject DefaultMetadata(V4Node n)
    {
        var m = new JsonObject();
        if (n.File?.UploadSessionId is { } sid) m["sys:upload_session_id"] = sid;
        return m;
    }

    /// <summary>The content id: the shared empty entity for folders and empty files, else one per stored content.</summary>
    public static string PrimaryEntity(App app, V4Node n) =>
        n.IsFolder || n.File == null || n.File.Size == 0 && n.File.UploadSessionId == null
            ? V4Ids.EmptyEntity(app.Ids)
            : app.Ids.Encode(app.V4Entities.CurrentRaw(n.File), V4Ids.Entity);

    /// <summary>The zero FileResponse the trash listing has as its parent (cap 281).</summary>
    public static JsonObject ZeroFile() => new()
    {
        ["type"] = 0,
        ["id"] = "",
        ["name"] = "",
        ["created_at"] = GoTime.Zero,
        ["updated_at"] = GoTime.Zero,
        ["size"] = 0,
        ["metadata"] = null,
    };
}

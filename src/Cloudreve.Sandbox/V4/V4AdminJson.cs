using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The ent models the 4.18 admin API sends (snake_case, empty fields omitted, integer ids; reference 14.2, cap 35, 139, 508).
/// </summary>
internal static class V4AdminJson
{
    public static readonly string[] Statuses = ["active", "inactive", "manual_banned", "sys_banned"];

    public static string Status(int status) => status >= 0 && status < Statuses.Length ? Statuses[status] : "";

    /// <summary>-1 for a status name ent does not know.</summary>
    public static int Status(string name) => Array.IndexOf(Statuses, name);

    /// <summary>
    /// GetUserResponse: the ent user (id, created_at, updated_at, email?, nick?, status, storage?, avatar?, settings,
    /// group_users, edges.group) then hash_id, two_fa_enabled (only when on), capacity (single-user replies only).
    /// </summary>
    public static JsonObject User(Req req, SqliteConnection c, UserRow u, bool withCapacity, SqliteTransaction? tx = null)
    {
        var o = new JsonObject
        {
            ["id"] = u.Id,
            ["created_at"] = GoTime.Format(u.CreatedAt),
            ["updated_at"] = GoTime.Format(u.UpdatedAt),
        };
        if (u.Email.Length > 0) o["email"] = u.Email;
        if (u.Nick.Length > 0) o["nick"] = u.Nick;
        if (Status(u.Status) is { Length: > 0 } s) o["status"] = s;
        var used = u.Storage;
        if (used != 0) o["storage"] = used;
        if (u.Avatar.Length > 0) o["avatar"] = u.Avatar;
        o["settings"] = new JsonObject();
        if (u.GroupId != 0) o["group_users"] = u.GroupId;
        var edges = new JsonObject();
        var g = Users.Group(c, u.GroupId, tx);
        if (g != null) edges["group"] = Group(c, g, withPolicy: false, tx);
        o["edges"] = edges;
        o["hash_id"] = req.App.Ids.Encode(u.Id, V4SvcIds.User);
        if (u.TwoFactor.Length > 0) o["two_fa_enabled"] = true;
        if (withCapacity) o["capacity"] = new JsonObject { ["total"] = g?.MaxStorage ?? 0, ["used"] = used };
        return o;
    }

    /// <summary>The ent group: id, created_at, updated_at, name, max_storage?, permissions, settings, storage_policy_id?, edges.</summary>
    public static JsonObject Group(SqliteConnection c, GroupRow g, bool withPolicy, SqliteTransaction? tx = null)
    {
        var o = new JsonObject
        {
            ["id"] = g.Id,
            ["created_at"] = GoTime.Format(g.CreatedAt),
            ["updated_at"] = GoTime.Format(g.UpdatedAt),
        };
        if (g.Name.Length > 0) o["name"] = g.Name;
        if (g.MaxStorage != 0) o["max_storage"] = g.MaxStorage;
        o["permissions"] = V4BoolSet.Encode(V4GroupPerms.Of(c, g, tx));
        o["settings"] = V4GroupPerms.Settings(c, g, tx);
        if (g.PolicyId != 0) o["storage_policy_id"] = g.PolicyId;
        var edges = new JsonObject();
        if (withPolicy && g.PolicyId != 0 && Users.Policy(c, g.PolicyId, tx) is { } p) edges["storage_policies"] = Policy(p);
        o["edges"] = edges;
        return o;
    }

    /// <summary>The ent storage policy as a group edge (cap 509): keys are never sent for a local policy.</summary>
    public static JsonObject Policy(PolicyRow p)
    {
        var o = new JsonObject
        {
            ["id"] = p.Id,
            ["created_at"] = GoTime.Format(p.CreatedAt),
            ["updated_at"] = GoTime.Format(p.UpdatedAt),
            ["name"] = p.Name,
            ["type"] = p.Type,
        };
        if (p.MaxSize != 0) o["max_size"] = p.MaxSize;
        o["dir_name_rule"] = "uploads/{uid}/{path}";
        o["file_name_rule"] = "{uid}_{randomkey8}_{originname}";
        o["settings"] = new JsonObject
        {
            ["token"] = "",
            ["file_type"] = p.FileTypeList.Count == 0 ? null : GoJson.Array(p.FileTypeList.Select(t => (JsonNode?)t)),
            ["chunk_size"] = p.ChunkSize,
            ["s3_path_style"] = p.Type == PolicyTypes.S3,
        };
        o["edges"] = new JsonObject();
        return o;
    }
}

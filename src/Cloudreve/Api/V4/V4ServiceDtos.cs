using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Cloudreve.Api.V4
{
    // Wire shapes of the 4.18 share, direct-link and administrator routes (reference sections 11, 13, 14).

    internal sealed class V4ShareCreate
    {
        [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
        [JsonPropertyName("is_private")] public bool IsPrivate { get; set; }
        [JsonPropertyName("password")] public string Password { get; set; } = string.Empty;
        [JsonPropertyName("downloads")] public long Downloads { get; set; }
        [JsonPropertyName("expire")] public long Expire { get; set; }
        [JsonPropertyName("share_view")] public bool ShareView { get; set; }
    }

    internal sealed class V4Share
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("visited")] public int Visited { get; set; }
        [JsonPropertyName("downloaded")] public int Downloaded { get; set; }
        [JsonPropertyName("remain_downloads")] public int? RemainDownloads { get; set; }
        [JsonPropertyName("expires")] public string? Expires { get; set; }
        [JsonPropertyName("password_protected")] public bool PasswordProtected { get; set; }
        [JsonPropertyName("source_type")] public int SourceType { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("url")] public string? Url { get; set; }
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("share_view")] public bool ShareView { get; set; }
    }

    internal sealed class V4ShareList
    {
        [JsonPropertyName("shares")] public V4Share[]? Shares { get; set; }
        [JsonPropertyName("pagination")] public V4Pagination? Pagination { get; set; }
    }

    internal sealed class V4SourceRequest
    {
        [JsonPropertyName("uris")] public string[] Uris { get; set; } = System.Array.Empty<string>();
    }

    internal sealed class V4SourceLink
    {
        [JsonPropertyName("link")] public string? Link { get; set; }
        [JsonPropertyName("file_url")] public string? FileUrl { get; set; }
    }

    internal sealed class V4AdminListRequest
    {
        [JsonPropertyName("page")] public int Page { get; set; } = 1;
        [JsonPropertyName("page_size")] public int PageSize { get; set; } = 100;
        [JsonPropertyName("order_by")] public string OrderBy { get; set; } = "id";
        [JsonPropertyName("order_direction")] public string OrderDirection { get; set; } = "asc";
        [JsonPropertyName("conditions")] public Dictionary<string, string> Conditions { get; set; } = new Dictionary<string, string>();
    }

    internal sealed class V4AdminGroup
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("max_storage")] public long MaxStorage { get; set; }
        [JsonPropertyName("permissions")] public string? Permissions { get; set; }
        [JsonPropertyName("settings")] public V4AdminGroupSettings? Settings { get; set; }
        [JsonPropertyName("total_users")] public int TotalUsers { get; set; }
    }

    internal sealed class V4AdminGroupSettings
    {
        [JsonPropertyName("source_batch")] public int SourceBatch { get; set; }
    }

    internal sealed class V4AdminGroupList
    {
        [JsonPropertyName("groups")] public V4AdminGroup[]? Groups { get; set; }
        [JsonPropertyName("pagination")] public V4Pagination? Pagination { get; set; }
    }

    internal sealed class V4AdminUserEdges
    {
        [JsonPropertyName("group")] public V4AdminGroup? Group { get; set; }
    }

    internal sealed class V4AdminUser
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("email")] public string? Email { get; set; }
        [JsonPropertyName("nick")] public string? Nick { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("storage")] public long Storage { get; set; }
        [JsonPropertyName("avatar")] public string? Avatar { get; set; }
        [JsonPropertyName("group_users")] public int GroupUsers { get; set; }
        [JsonPropertyName("hash_id")] public string? HashId { get; set; }
        [JsonPropertyName("two_fa_enabled")] public bool TwoFaEnabled { get; set; }
        [JsonPropertyName("edges")] public V4AdminUserEdges? Edges { get; set; }
    }

    internal sealed class V4AdminUserList
    {
        [JsonPropertyName("users")] public V4AdminUser[]? Users { get; set; }
        [JsonPropertyName("pagination")] public V4Pagination? Pagination { get; set; }
    }

    /// <summary>Every column PUT /admin/user/{id} writes; all are always sent (omitted ones are blanked).</summary>
    internal sealed class V4AdminUserWrite
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("email")] public string Email { get; set; } = string.Empty;
        [JsonPropertyName("nick")] public string Nick { get; set; } = string.Empty;
        [JsonPropertyName("avatar")] public string Avatar { get; set; } = string.Empty;
        [JsonPropertyName("status")] public string Status { get; set; } = "active";
        [JsonPropertyName("group_users")] public int GroupUsers { get; set; }
    }

    /// <summary>The save body; it never carries two_fa, which would clear the user's second factor.</summary>
    internal sealed class V4AdminUserSave
    {
        [JsonPropertyName("user")] public V4AdminUserWrite User { get; set; } = new V4AdminUserWrite();
        [JsonPropertyName("password")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Password { get; set; }
    }

    internal sealed class V4IntIds
    {
        [JsonPropertyName("ids")] public int[] Ids { get; set; } = System.Array.Empty<int>();
    }
}

namespace Cloudreve.Api.V4
{
    internal sealed class V4DavAccount
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("uri")] public string? Uri { get; set; }
        [JsonPropertyName("password")] public string? Password { get; set; }
        /// <summary>Base64 bit set: bit 0 read-only, bit 1 proxy, bit 2 hide system files.</summary>
        [JsonPropertyName("options")] public string? Options { get; set; }
    }

    internal sealed class V4DavList
    {
        [JsonPropertyName("accounts")] public V4DavAccount[]? Accounts { get; set; }
        [JsonPropertyName("pagination")] public V4Pagination? Pagination { get; set; }
    }

    /// <summary>Create and update body; an update replaces every field (omitted flags are cleared, cap 445).</summary>
    internal sealed class V4DavWrite
    {
        [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string Name { get; set; } = string.Empty;
        [JsonPropertyName("readonly")] public bool ReadOnly { get; set; }
        [JsonPropertyName("proxy")] public bool Proxy { get; set; }
        [JsonPropertyName("disable_sys_files")] public bool DisableSysFiles { get; set; }
    }
}

using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Cloudreve.Api.V3
{
    internal sealed class V3CreateShareRequest
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("is_dir")] public bool IsDir { get; set; }
        [JsonPropertyName("password")] public string Password { get; set; } = string.Empty;
        [JsonPropertyName("downloads")] public long Downloads { get; set; }
        [JsonPropertyName("expire")] public long Expire { get; set; }
        [JsonPropertyName("preview")] public bool Preview { get; set; }
    }

    internal sealed class V3ShareSource
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("size")] public long Size { get; set; }
    }

    internal sealed class V3ShareListItem
    {
        [JsonPropertyName("key")] public string? Key { get; set; }
        [JsonPropertyName("is_dir")] public bool IsDir { get; set; }
        [JsonPropertyName("password")] public string? Password { get; set; }
        [JsonPropertyName("create_date")] public string? CreateDate { get; set; }
        [JsonPropertyName("downloads")] public int Downloads { get; set; }
        [JsonPropertyName("remain_downloads")] public long RemainDownloads { get; set; }
        [JsonPropertyName("views")] public int Views { get; set; }
        [JsonPropertyName("expire")] public long Expire { get; set; }
        [JsonPropertyName("preview")] public bool Preview { get; set; }
        [JsonPropertyName("source")] public V3ShareSource? Source { get; set; }
    }

    internal sealed class V3ShareList
    {
        [JsonPropertyName("total")] public int Total { get; set; }
        [JsonPropertyName("items")] public V3ShareListItem[]? Items { get; set; }
    }

    internal sealed class V3SharePatch
    {
        [JsonPropertyName("prop")] public string Prop { get; set; } = string.Empty;
        [JsonPropertyName("value")] public string Value { get; set; } = string.Empty;
    }

    internal sealed class V3SourceRequest
    {
        [JsonPropertyName("items")] public string[] Items { get; set; } = System.Array.Empty<string>();
    }

    internal sealed class V3SourceLink
    {
        [JsonPropertyName("url")] public string? Url { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("parent")] public long Parent { get; set; }
        [JsonPropertyName("error")] public string? Error { get; set; }
    }

    internal sealed class V3WebDavAccount
    {
        [JsonPropertyName("ID")] public int Id { get; set; }
        [JsonPropertyName("CreatedAt")] public string? CreatedAt { get; set; }
        [JsonPropertyName("Name")] public string? Name { get; set; }
        [JsonPropertyName("Password")] public string? Password { get; set; }
        [JsonPropertyName("UserID")] public int UserId { get; set; }
        [JsonPropertyName("Root")] public string? Root { get; set; }
        [JsonPropertyName("Readonly")] public bool Readonly { get; set; }
        [JsonPropertyName("UseProxy")] public bool UseProxy { get; set; }
    }

    internal sealed class V3WebDavList
    {
        [JsonPropertyName("accounts")] public V3WebDavAccount[]? Accounts { get; set; }
    }

    internal sealed class V3WebDavCreateRequest
    {
        [JsonPropertyName("path")] public string Path { get; set; } = "/";
        [JsonPropertyName("name")] public string Name { get; set; } = string.Empty;
    }

    internal sealed class V3WebDavCreated
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("password")] public string? Password { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    }

    internal sealed class V3WebDavPatch
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("readonly")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Readonly { get; set; }
        [JsonPropertyName("use_proxy")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? UseProxy { get; set; }
    }

    internal sealed class V3ListRequest
    {
        [JsonPropertyName("page")] public int Page { get; set; } = 1;
        [JsonPropertyName("page_size")] public int PageSize { get; set; } = 100;
        [JsonPropertyName("order_by")] public string OrderBy { get; set; } = "id asc";
        [JsonPropertyName("conditions")] public Dictionary<string, string> Conditions { get; set; } = new Dictionary<string, string>();
        [JsonPropertyName("searches")] public Dictionary<string, string> Searches { get; set; } = new Dictionary<string, string>();
    }

    internal sealed class V3AdminUser
    {
        [JsonPropertyName("ID")] public int Id { get; set; }
        [JsonPropertyName("CreatedAt")] public string? CreatedAt { get; set; }
        [JsonPropertyName("Email")] public string? Email { get; set; }
        [JsonPropertyName("Nick")] public string? Nick { get; set; }
        [JsonPropertyName("Status")] public int Status { get; set; }
        [JsonPropertyName("GroupID")] public int GroupId { get; set; }
        [JsonPropertyName("Storage")] public long Storage { get; set; }
        [JsonPropertyName("TwoFactor")] public string? TwoFactor { get; set; }
        [JsonPropertyName("Group")] public V3AdminGroup? Group { get; set; }
    }

    internal sealed class V3AdminUserList
    {
        [JsonPropertyName("total")] public int Total { get; set; }
        [JsonPropertyName("items")] public V3AdminUser[]? Items { get; set; }
    }

    internal sealed class V3AdminUserWrite
    {
        [JsonPropertyName("ID")] public int Id { get; set; }
        [JsonPropertyName("Email")] public string Email { get; set; } = string.Empty;
        [JsonPropertyName("Nick")] public string Nick { get; set; } = string.Empty;
        [JsonPropertyName("GroupID")] public int GroupId { get; set; }
        [JsonPropertyName("Status")] public int Status { get; set; }
        [JsonPropertyName("TwoFactor")] public string TwoFactor { get; set; } = string.Empty;
    }

    internal sealed class V3AdminUserSave
    {
        [JsonPropertyName("User")] public V3AdminUserWrite User { get; set; } = new V3AdminUserWrite();
        [JsonPropertyName("password")] public string Password { get; set; } = string.Empty;
    }

    internal sealed class V3IdList
    {
        [JsonPropertyName("id")] public int[] Id { get; set; } = System.Array.Empty<int>();
    }

    internal sealed class V3GroupOptions
    {
        [JsonPropertyName("archive_download")] public bool ArchiveDownload { get; set; }
        [JsonPropertyName("source_batch")] public int SourceBatch { get; set; }
        [JsonPropertyName("advance_delete")] public bool AdvanceDelete { get; set; }
    }

    internal sealed class V3AdminGroup
    {
        [JsonPropertyName("ID")] public int Id { get; set; }
        [JsonPropertyName("Name")] public string? Name { get; set; }
        [JsonPropertyName("MaxStorage")] public long MaxStorage { get; set; }
        [JsonPropertyName("ShareEnabled")] public bool ShareEnabled { get; set; }
        [JsonPropertyName("WebDAVEnabled")] public bool WebDavEnabled { get; set; }
        [JsonPropertyName("OptionsSerialized")] public V3GroupOptions? Options { get; set; }
    }

    internal sealed class V3AdminGroupList
    {
        [JsonPropertyName("total")] public int Total { get; set; }
        [JsonPropertyName("items")] public V3AdminGroup[]? Items { get; set; }
        [JsonPropertyName("statics")] public Dictionary<string, int>? Statics { get; set; }
    }

    internal sealed class V3UserSetting
    {
        [JsonPropertyName("uid")] public int Uid { get; set; }
    }
}

using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloudreve.Api.V4
{
    // Wire shapes of Cloudreve 4.18, named exactly as they go over the wire (snake_case).

    internal sealed class V4Group
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        /// <summary>Base64 bit set of group permissions (bit 0 = administrator).</summary>
        [JsonPropertyName("permission")] public string? Permission { get; set; }
        [JsonPropertyName("direct_link_batch_size")] public int DirectLinkBatchSize { get; set; }
        [JsonPropertyName("trash_retention")] public long TrashRetention { get; set; }
    }

    internal sealed class V4User
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("email")] public string? Email { get; set; }
        [JsonPropertyName("nickname")] public string? Nickname { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("anonymous")] public bool Anonymous { get; set; }
        [JsonPropertyName("group")] public V4Group? Group { get; set; }
    }

    internal sealed class V4Token
    {
        [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
        [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
        [JsonPropertyName("access_expires")] public DateTimeOffset AccessExpires { get; set; }
        [JsonPropertyName("refresh_expires")] public DateTimeOffset RefreshExpires { get; set; }
    }

    internal sealed class V4LoginReply
    {
        [JsonPropertyName("user")] public V4User? User { get; set; }
        [JsonPropertyName("token")] public V4Token? Token { get; set; }
    }

    internal sealed class V4LoginRequest
    {
        [JsonPropertyName("email")] public string Email { get; set; } = string.Empty;
        [JsonPropertyName("password")] public string Password { get; set; } = string.Empty;
    }

    internal sealed class V4TwoFactorRequest
    {
        [JsonPropertyName("otp")] public string Otp { get; set; } = string.Empty;
        [JsonPropertyName("session_id")] public string SessionId { get; set; } = string.Empty;
    }

    internal sealed class V4RefreshRequest
    {
        [JsonPropertyName("refresh_token")] public string RefreshToken { get; set; } = string.Empty;
    }

    internal sealed class V4SiteConfig
    {
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("user")] public V4User? User { get; set; }
        [JsonPropertyName("captcha_type")] public string? CaptchaType { get; set; }
    }

    internal sealed class V4LoginConfig
    {
        [JsonPropertyName("login_captcha")] public bool LoginCaptcha { get; set; }
        [JsonPropertyName("reg_captcha")] public bool RegCaptcha { get; set; }
        [JsonPropertyName("forget_captcha")] public bool ForgetCaptcha { get; set; }
        [JsonPropertyName("register_enabled")] public bool RegisterEnabled { get; set; }
        [JsonPropertyName("email_active")] public bool EmailActive { get; set; }
        [JsonPropertyName("authn")] public bool Authn { get; set; }
    }

    internal sealed class V4Capacity
    {
        [JsonPropertyName("total")] public long Total { get; set; }
        [JsonPropertyName("used")] public long Used { get; set; }
    }

    internal sealed class V4File
    {
        /// <summary>0 = file, 1 = folder.</summary>
        [JsonPropertyName("type")] public int Type { get; set; }
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("updated_at")] public string? UpdatedAt { get; set; }
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("metadata")] public JsonElement? Metadata { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("shared")] public bool Shared { get; set; }
        [JsonPropertyName("folder_summary")] public V4FolderSummary? FolderSummary { get; set; }
        [JsonPropertyName("extended_info")] public V4ExtendedInfo? ExtendedInfo { get; set; }
    }

    internal sealed class V4FolderSummary
    {
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("files")] public int Files { get; set; }
        [JsonPropertyName("folders")] public int Folders { get; set; }
        [JsonPropertyName("completed")] public bool Completed { get; set; }
    }

    internal sealed class V4ExtendedInfo
    {
        [JsonPropertyName("storage_policy")] public V4StoragePolicy? StoragePolicy { get; set; }
        [JsonPropertyName("storage_used")] public long StorageUsed { get; set; }
    }

    internal sealed class V4StoragePolicy
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("max_size")] public long MaxSize { get; set; }
        [JsonPropertyName("allowed_suffix")] public string[]? AllowedSuffix { get; set; }
    }

    internal sealed class V4Pagination
    {
        [JsonPropertyName("page")] public int Page { get; set; }
        [JsonPropertyName("page_size")] public int PageSize { get; set; }
        [JsonPropertyName("next_token")] public string? NextToken { get; set; }
        [JsonPropertyName("is_cursor")] public bool IsCursor { get; set; }
        [JsonPropertyName("total_items")] public long TotalItems { get; set; }
    }

    internal sealed class V4ListProps
    {
        [JsonPropertyName("max_page_size")] public int MaxPageSize { get; set; }
    }

    internal sealed class V4FileList
    {
        [JsonPropertyName("files")] public V4File[]? Files { get; set; }
        [JsonPropertyName("parent")] public V4File? Parent { get; set; }
        [JsonPropertyName("pagination")] public V4Pagination? Pagination { get; set; }
        [JsonPropertyName("props")] public V4ListProps? Props { get; set; }
        [JsonPropertyName("storage_policy")] public V4StoragePolicy? StoragePolicy { get; set; }
    }

    internal sealed class V4CreateRequest
    {
        [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
        [JsonPropertyName("type")] public string Type { get; set; } = "file";
        [JsonPropertyName("err_on_conflict")] public bool ErrOnConflict { get; set; }
    }

    internal sealed class V4DeleteRequest
    {
        [JsonPropertyName("uris")] public string[] Uris { get; set; } = Array.Empty<string>();
        [JsonPropertyName("skip_soft_delete")] public bool SkipSoftDelete { get; set; }
        [JsonPropertyName("unlink")] public bool Unlink { get; set; }
    }

    internal sealed class V4RestoreRequest
    {
        [JsonPropertyName("uris")] public string[] Uris { get; set; } = Array.Empty<string>();
    }

    internal sealed class V4MoveRequest
    {
        [JsonPropertyName("uris")] public string[] Uris { get; set; } = Array.Empty<string>();
        [JsonPropertyName("dst")] public string Dst { get; set; } = string.Empty;
        [JsonPropertyName("copy")] public bool Copy { get; set; }
    }

    internal sealed class V4RenameRequest
    {
        [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
        [JsonPropertyName("new_name")] public string NewName { get; set; } = string.Empty;
    }
}

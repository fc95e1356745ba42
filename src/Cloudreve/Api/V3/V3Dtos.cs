using System;
using System.Text.Json.Serialization;

namespace Cloudreve.Api.V3
{
    // Wire shapes of Cloudreve 3.8.3, named exactly as they go over the wire.

    internal sealed class V3Group
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("allowShare")] public bool AllowShare { get; set; }
        [JsonPropertyName("allowRemoteDownload")] public bool AllowRemoteDownload { get; set; }
        [JsonPropertyName("allowArchiveDownload")] public bool AllowArchiveDownload { get; set; }
        [JsonPropertyName("shareDownload")] public bool ShareDownload { get; set; }
        [JsonPropertyName("compress")] public bool Compress { get; set; }
        [JsonPropertyName("webdav")] public bool WebDav { get; set; }
        [JsonPropertyName("sourceBatch")] public int SourceBatch { get; set; }
        [JsonPropertyName("advanceDelete")] public bool AdvanceDelete { get; set; }
        [JsonPropertyName("allowWebDAVProxy")] public bool AllowWebDavProxy { get; set; }
    }

    internal sealed class V3User
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("user_name")] public string? UserName { get; set; }
        [JsonPropertyName("nickname")] public string? Nickname { get; set; }
        [JsonPropertyName("status")] public int Status { get; set; }
        [JsonPropertyName("avatar")] public string? Avatar { get; set; }
        [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; set; }
        [JsonPropertyName("preferred_theme")] public string? PreferredTheme { get; set; }
        [JsonPropertyName("anonymous")] public bool Anonymous { get; set; }
        [JsonPropertyName("group")] public V3Group? Group { get; set; }
    }

    internal sealed class V3SiteConfig
    {
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("loginCaptcha")] public bool LoginCaptcha { get; set; }
        [JsonPropertyName("regCaptcha")] public bool RegCaptcha { get; set; }
        [JsonPropertyName("forgetCaptcha")] public bool ForgetCaptcha { get; set; }
        [JsonPropertyName("emailActive")] public bool EmailActive { get; set; }
        [JsonPropertyName("registerEnabled")] public bool RegisterEnabled { get; set; }
        [JsonPropertyName("captcha_type")] public string? CaptchaType { get; set; }
        [JsonPropertyName("authn")] public bool Authn { get; set; }
        [JsonPropertyName("user")] public V3User? User { get; set; }
    }

    internal sealed class V3Storage
    {
        [JsonPropertyName("used")] public long Used { get; set; }
        [JsonPropertyName("free")] public long Free { get; set; }
        [JsonPropertyName("total")] public long Total { get; set; }
    }

    internal sealed class V3LoginRequest
    {
        [JsonPropertyName("userName")] public string UserName { get; set; } = string.Empty;
        [JsonPropertyName("Password")] public string Password { get; set; } = string.Empty;
        [JsonPropertyName("captchaCode")] public string CaptchaCode { get; set; } = string.Empty;
    }

    internal sealed class V3TwoFactorRequest
    {
        [JsonPropertyName("code")] public string Code { get; set; } = string.Empty;
    }
}

namespace Cloudreve.Api.V3
{
    internal sealed class V3Object
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("thumb")] public bool Thumb { get; set; }
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("date")] public string? Date { get; set; }
        [JsonPropertyName("create_date")] public string? CreateDate { get; set; }
        [JsonPropertyName("source_enabled")] public bool SourceEnabled { get; set; }
    }

    internal sealed class V3Policy
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("max_size")] public long MaxSize { get; set; }
        [JsonPropertyName("file_type")] public string[]? FileType { get; set; }
    }

    internal sealed class V3ObjectList
    {
        [JsonPropertyName("parent")] public string? Parent { get; set; }
        [JsonPropertyName("objects")] public V3Object[]? Objects { get; set; }
        [JsonPropertyName("policy")] public V3Policy? Policy { get; set; }
    }

    /// <summary>The answer of <c>GET /file/search/...</c>: <c>{"parent":0,"objects":[...]}</c>, its parent a number, not a hashid.</summary>
    internal sealed class V3SearchResult
    {
        [JsonPropertyName("objects")] public V3Object[]? Objects { get; set; }
    }

    internal sealed class V3ItemSet
    {
        [JsonPropertyName("items")] public string[] Items { get; set; } = System.Array.Empty<string>();
        [JsonPropertyName("dirs")] public string[] Dirs { get; set; } = System.Array.Empty<string>();
    }

    internal sealed class V3PathRequest
    {
        [JsonPropertyName("path")] public string Path { get; set; } = string.Empty;
    }

    internal sealed class V3DeleteRequest
    {
        [JsonPropertyName("items")] public string[] Items { get; set; } = System.Array.Empty<string>();
        [JsonPropertyName("dirs")] public string[] Dirs { get; set; } = System.Array.Empty<string>();
        [JsonPropertyName("force")] public bool Force { get; set; }
        [JsonPropertyName("unlink")] public bool Unlink { get; set; }
    }

    internal sealed class V3MoveRequest
    {
        [JsonPropertyName("action")] public string Action { get; set; } = "move";
        [JsonPropertyName("src_dir")] public string SrcDir { get; set; } = string.Empty;
        [JsonPropertyName("src")] public V3ItemSet Src { get; set; } = new V3ItemSet();
        [JsonPropertyName("dst")] public string Dst { get; set; } = string.Empty;
    }

    internal sealed class V3CopyRequest
    {
        [JsonPropertyName("src_dir")] public string SrcDir { get; set; } = string.Empty;
        [JsonPropertyName("src")] public V3ItemSet Src { get; set; } = new V3ItemSet();
        [JsonPropertyName("dst")] public string Dst { get; set; } = string.Empty;
    }

    internal sealed class V3RenameRequest
    {
        [JsonPropertyName("action")] public string Action { get; set; } = "rename";
        [JsonPropertyName("src")] public V3ItemSet Src { get; set; } = new V3ItemSet();
        [JsonPropertyName("new_name")] public string NewName { get; set; } = string.Empty;
    }

    internal sealed class V3Property
    {
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("updated_at")] public string? UpdatedAt { get; set; }
        [JsonPropertyName("policy")] public string? Policy { get; set; }
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("child_folder_num")] public int ChildFolderNum { get; set; }
        [JsonPropertyName("child_file_num")] public int ChildFileNum { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
    }
}

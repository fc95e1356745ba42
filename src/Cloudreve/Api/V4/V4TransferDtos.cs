using System.Text.Json.Serialization;

namespace Cloudreve.Api.V4
{
    // Wire shapes of the 4.18 upload and download routes (sections 10 and 12 of the v4 notes).

    internal sealed class V4UploadRequest
    {
        [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("last_modified")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long LastModified { get; set; }
        [JsonPropertyName("mime_type")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MimeType { get; set; }
        /// <summary>"version" stores the content as a new version of an existing file (cap 317, 318).</summary>
        [JsonPropertyName("entity_type")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? EntityType { get; set; }
    }

    internal sealed class V4UploadPolicy
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("max_size")] public long MaxSize { get; set; }
        [JsonPropertyName("relay")] public bool Relay { get; set; }
    }

    internal sealed class V4UploadCredential
    {
        [JsonPropertyName("session_id")] public string? SessionId { get; set; }
        [JsonPropertyName("upload_id")] public string? UploadId { get; set; }
        [JsonPropertyName("chunk_size")] public long ChunkSize { get; set; }
        [JsonPropertyName("expires")] public long Expires { get; set; }
        [JsonPropertyName("upload_urls")] public string[]? UploadUrls { get; set; }
        [JsonPropertyName("credential")] public string? Credential { get; set; }
        [JsonPropertyName("completeURL")] public string? CompleteUrl { get; set; }
        [JsonPropertyName("storage_policy")] public V4UploadPolicy? StoragePolicy { get; set; }
        [JsonPropertyName("uri")] public string? Uri { get; set; }
        [JsonPropertyName("callback_secret")] public string? CallbackSecret { get; set; }
        [JsonPropertyName("mime_type")] public string? MimeType { get; set; }
        /// <summary>Upyun's form policy.</summary>
        [JsonPropertyName("upload_policy")] public string? UploadPolicy { get; set; }
    }

    internal sealed class V4CancelUploadRequest
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
    }

    internal sealed class V4UrlRequest
    {
        [JsonPropertyName("uris")] public string[] Uris { get; set; } = System.Array.Empty<string>();
        [JsonPropertyName("download")] public bool Download { get; set; }

        /// <summary>A file without a URL comes back as {"url":""} instead of failing the call (cap 375).</summary>
        [JsonPropertyName("skip_error")] public bool SkipError { get; set; }
    }

    internal sealed class V4UrlEntry
    {
        [JsonPropertyName("url")] public string? Url { get; set; }
    }

    internal sealed class V4UrlReply
    {
        [JsonPropertyName("urls")] public V4UrlEntry[]? Urls { get; set; }
        [JsonPropertyName("expires")] public string? Expires { get; set; }
    }
}

namespace Cloudreve.Sandbox.Hosting;

/// <summary>Everything that configures one sandbox server instance.</summary>
public sealed class SandboxOptions
{
    /// <summary>URL(s) to listen on, separated by ';'. Null: loopback, port 0 for the in-process host.</summary>
    public string? Urls { get; set; }

    /// <summary>Folder holding the SQLite database and file bytes. Null: a fresh temp folder deleted on dispose.</summary>
    public string? DataFolder { get; set; }

    public string AdminEmail { get; set; } = "admin@cloudreve.local";

    /// <summary>Null: keep the stored password, or generate a random one on a fresh data folder.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Base32 TOTP secret; turns 2FA on for the admin.</summary>
    public string? AdminTotpSecret { get; set; }

    /// <summary>Extra accounts created (or updated) at start.</summary>
    public List<SandboxUser> Users { get; } = new();

    /// <summary>Turns on the login captcha (type normal); logins then need a valid captcha.</summary>
    public bool LoginCaptcha { get; set; }

    /// <summary>Written atomically once the server listens.</summary>
    public string? ReadyFile { get; set; }

    /// <summary>Fault injection settings in force at start.</summary>
    public FaultSettings Faults { get; set; } = new();

    /// <summary>Upload session lifetime in seconds (Cloudreve setting upload_session_timeout).</summary>
    public int UploadSessionTimeoutSeconds { get; set; } = 86400;

    /// <summary>When set, the default storage policy's chunk size in bytes (Cloudreve's default is 25 MiB).</summary>
    public long? ChunkSize { get; set; }

    /// <summary>Download URL lifetime in seconds (Cloudreve setting download_timeout).</summary>
    public int DownloadTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// Listen URL(s) of the provider imitations (';'-separated): a second loopback origin the onedrive/s3 URLs point at.
    /// Null: http://127.0.0.1:0 when a non-local policy is configured (PolicyType or Groups), else none (provider URLs
    /// then point at the API origin). "none": never.
    /// </summary>
    public string? ProviderUrls { get; set; }

    /// <summary>Storage policy type (local, onedrive, s3) of the Admin and User groups. Null keeps the stored one (local on a fresh folder).</summary>
    public string? PolicyType { get; set; }

    /// <summary>Extra user groups created (or updated) at start; ids from 4 up.</summary>
    public List<SandboxGroup> Groups { get; } = new();

    /// <summary>When set, the allowed extensions (lower case, no dot) of every storage policy; empty = anything.</summary>
    public List<string>? PolicyFileTypes { get; set; }

    /// <summary>When set, the maximum file size in bytes of every storage policy (0 = no limit).</summary>
    public long? PolicyMaxSize { get; set; }

    /// <summary>When set, the User group's quota (MaxStorage) in bytes.</summary>
    public long? UserMaxStorage { get; set; }

    /// <summary>Turns the group option one_time_download on for every group except Admin (download URLs work once).</summary>
    public bool OneTimeDownload { get; set; }

    /// <summary>Plays the Pro edition: /site/ping answers "&lt;version&gt;-pro".</summary>
    public bool Pro { get; set; }

    /// <summary>What /site/ping answers for <paramref name="version"/>: with the -pro suffix of a Pro edition.</summary>
    public string PingVersion(string version) => Pro ? version + "-pro" : version;

    /// <summary>The Cloudreve generation the sandbox plays: "3.8.3" (default, /api/v3 only) or "4.18.0" (/api/v4 only).</summary>
    public string ServerVersion { get; set; } = ServerVersions.V3;

    /// <summary>True when the sandbox plays Cloudreve 4.18.0.</summary>
    public bool IsV4 => ServerVersion == ServerVersions.V4;

    /// <summary>v4: access token lifetime in seconds (Cloudreve's default is 3600).</summary>
    public int AccessTokenTtlSeconds { get; set; } = 3600;

    /// <summary>v4: the largest page_size a listing accepts (larger values are clamped; Cloudreve's maximum is 2000).</summary>
    public int PageSizeLimit { get; set; } = 2000;

    /// <summary>v4: listings page with cursors (next_token, the default) or, when false, with 0-based page numbers and total_items.</summary>
    public bool CursorPagination { get; set; } = true;

    /// <summary>v4: download URL lifetime in seconds (Cloudreve setting entity_url_default_ttl, default 3600).</summary>
    public int EntityUrlTtlSeconds { get; set; } = 3600;

    /// <summary>An error text when a remote (slave node) policy is asked of a 3.8.3 sandbox, else null.</summary>
    public static string? RemoteNeedsV4(SandboxOptions o) =>
        !o.IsV4 && (o.PolicyType == Data.PolicyTypes.Remote || o.Groups.Any(g => g.PolicyType == Data.PolicyTypes.Remote))
            ? "The remote (slave node) policy is played by a 4.18.0 sandbox only: add --server-version 4.18.0."
            : null;
}

/// <summary>The server versions the sandbox can play.</summary>
public static class ServerVersions
{
    public const string V3 = "3.8.3", V4 = "4.18.0";

    public static readonly string[] All = [V3, V4];
}

/// <summary>An extra user group with its storage policy type.</summary>
public sealed record SandboxGroup(string Name, string PolicyType, long MaxStorage = 1L << 30, bool OneTimeDownload = false);

/// <summary>An extra account.</summary>
public sealed class SandboxUser
{
    public SandboxUser(string email, string password, string group = "User", string? totpSecret = null)
    {
        Email = email;
        Password = password;
        Group = group;
        TotpSecret = totpSecret;
    }

    public string Email { get; }
    public string Password { get; }
    public string Group { get; }
    public string? TotpSecret { get; set; }
}

/// <summary>Fault injection (all off by default). Thread-safe snapshot semantics: replace the whole object.</summary>
public sealed record FaultSettings
{
    /// <summary>0..1: fraction of upload chunk requests answered with HTTP 500.</summary>
    public double ChunkFailureRate { get; init; }

    /// <summary>0..1: fraction of chunk uploads / downloads whose connection is aborted mid-body.</summary>
    public double DropConnectionRate { get; init; }

    /// <summary>0..1: fraction of content GETs (every route that serves file bytes, local and provider URLs) answered with HTTP 500.</summary>
    public double DownloadFailureRate { get; init; }

    /// <summary>0..1: fraction of local upload chunks that are stored, after which the connection is aborted before the answer.</summary>
    public double LostAnswerRate { get; init; }

    /// <summary>Extra latency added to every API request.</summary>
    public int LatencyMs { get; init; }

    /// <summary>When set, download URLs expire after this many seconds instead of download_timeout.</summary>
    public int? DownloadUrlTtlSeconds { get; init; }
}

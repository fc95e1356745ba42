namespace Cloudreve.Sandbox.Data;

internal static class UserStatus
{
    public const int Active = 0, NotActivated = 1, Banned = 2, OveruseBanned = 3;
}

internal sealed record UserRow(
    long Id, string Email, string Nick, string Password, int Status, long GroupId, string TwoFactor,
    long Storage, string Avatar, string PreferredTheme, bool ProfileOff, long CreatedAt, long UpdatedAt);

internal sealed record GroupRow(
    long Id, string Name, long PolicyId, long MaxStorage, bool AllowShare, bool AllowRemoteDownload,
    bool AllowArchiveDownload, bool ShareDownload, bool Compress, bool WebDav, int SourceBatch,
    bool AdvanceDelete, bool AllowWebDavProxy, long CreatedAt, long UpdatedAt, bool OneTimeDownload = false);

internal sealed record PolicyRow(long Id, string Name, string Type, long MaxSize, string FileTypes, long ChunkSize, long CreatedAt, long UpdatedAt)
{
    public bool IsLocal => Type == PolicyTypes.Local;

    public IReadOnlyList<string> FileTypeList =>
        FileTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Storage policy types the sandbox can play.</summary>
internal static class PolicyTypes
{
    public const string Local = "local", OneDrive = "onedrive", S3 = "s3", Remote = "remote";

    /// <summary>Remote (a slave node imitation) is played by the 4.18.0 sandbox only.</summary>
    public static readonly string[] All = [Local, OneDrive, S3, Remote];

    public static string DefaultName(string type) => type switch
    {
        OneDrive => "OneDrive (sandbox)",
        S3 => "S3 (sandbox)",
        Remote => "Remote (sandbox slave node)",
        _ => "Default storage policy",
    };
}

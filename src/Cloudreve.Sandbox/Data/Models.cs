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
    bool AdvanceDelete, bool AllowWebDavProxy, long CreatedAt, long UpdatedAt);

internal sealed record PolicyRow(long Id, string Name, string Type, long MaxSize, string FileTypes, long ChunkSize, long CreatedAt, long UpdatedAt)
{
    public IReadOnlyList<string> FileTypeList =>
        FileTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

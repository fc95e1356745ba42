namespace Cloudreve.Sandbox;

/// <summary>
/// Sandbox control POST /_sandbox/downloads/expire: every download URL issued up to then (local signed URLs, S3
/// presigned GETs, Graph download URLs) counts as expired. URLs carry their issue time in whole seconds, so the
/// cut-off is a second and <see cref="ExpireAllAsync"/> returns only once the clock has passed it: a URL issued
/// after the call always works.
/// </summary>
internal sealed class DownloadRevocation
{
    private long _cutoffUnix = long.MinValue;

    /// <summary>True when a URL issued at that unix second was revoked.</summary>
    public bool Revoked(long issuedUnix) => issuedUnix <= Volatile.Read(ref _cutoffUnix);

    public async Task ExpireAllAsync(CancellationToken ct)
    {
        var now = GoTime.NowUnix();
        Volatile.Write(ref _cutoffUnix, now);
        while (GoTime.NowUnix() <= now) await Task.Delay(50, ct);
    }
}

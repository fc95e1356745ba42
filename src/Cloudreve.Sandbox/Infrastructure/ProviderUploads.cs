using System.Collections.Concurrent;

namespace Cloudreve.Sandbox;

/// <summary>One provider-side upload: a Graph upload session (onedrive) or an S3 multipart upload.</summary>
internal sealed class ProviderUpload
{
    public ProviderUpload(string token, string sessionId, string type, string sourceName, long size, long expiresUnix)
    {
        Token = token;
        SessionId = sessionId;
        Type = type;
        SourceName = sourceName;
        Size = size;
        ExpiresUnix = expiresUnix;
    }

    /// <summary>The Graph session token in the upload URL, or the S3 UploadId.</summary>
    public string Token { get; }

    /// <summary>The Cloudreve upload session it belongs to.</summary>
    public string SessionId { get; }
    public string Type { get; }

    /// <summary>Object key = blob source name.</summary>
    public string SourceName { get; }

    /// <summary>Size declared to Cloudreve (Graph: the total of the first Content-Range fixes the item size).</summary>
    public long Size { get; }
    public long ExpiresUnix { get; set; }

    /// <summary>Graph: total given in the first Content-Range (-1 before the first fragment).</summary>
    public long Total { get; set; } = -1;

    /// <summary>Graph: bytes received so far.</summary>
    public long Received { get; set; }

    /// <summary>S3: uploaded parts by number (ETag with quotes, length).</summary>
    public Dictionary<int, (string ETag, long Length)> Parts { get; } = new();

    /// <summary>File name (for the Graph drive item).</summary>
    public string Name { get; init; } = "";

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool Expired => ExpiresUnix < GoTime.NowUnix();
}

/// <summary>In-memory provider-side upload state (what Graph or the S3 server would keep).</summary>
internal sealed class ProviderUploads
{
    private readonly ConcurrentDictionary<string, ProviderUpload> _byToken = new(StringComparer.Ordinal);

    public ProviderUpload Add(ProviderUpload u)
    {
        foreach (var (k, v) in _byToken)
        {
            if (v.Expired) _byToken.TryRemove(k, out _);
        }
        _byToken[u.Token] = u;
        return u;
    }

    public ProviderUpload? Get(string token) =>
        _byToken.TryGetValue(token, out var u) && !u.Expired ? u : null;

    /// <summary>The Cloudreve upload sessions expired (sandbox control): their provider sessions expire with them.</summary>
    public void ExpireAll()
    {
        foreach (var u in _byToken.Values) u.ExpiresUnix = 0;
    }

    public void Remove(string token) => _byToken.TryRemove(token, out _);

    /// <summary>Cloudreve cancelled the upload session: the provider session goes too.</summary>
    public List<ProviderUpload> RemoveSession(string sessionId)
    {
        var removed = new List<ProviderUpload>();
        foreach (var (k, v) in _byToken)
        {
            if (v.SessionId == sessionId && _byToken.TryRemove(k, out _)) removed.Add(v);
        }
        return removed;
    }
}

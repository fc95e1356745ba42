using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Cloudreve.Sandbox;

/// <summary>Server-side session data (what Cloudreve keeps under cd_session_&lt;id&gt;).</summary>
internal sealed class Session
{
    public Session(string id) => Id = id;

    public string Id { get; }
    public long? UserId { get; set; }
    public long? TwoFaUserId { get; set; }
    public string? CaptchaCode { get; set; }
    public bool Csrf { get; set; }
    public string? Pending2FaSecret { get; set; }
    public HashSet<long> UnlockedShares { get; } = new();
    public HashSet<long> DownloadedShares { get; } = new();
    public DateTime ExpiresUtc { get; set; }
}

/// <summary>In-memory session store keyed by a random cookie value (lost on restart, like Cloudreve's memory cache).</summary>
internal sealed class SessionStore
{
    public const string CookieName = "cloudreve-session";
    public const int MaxAgeSeconds = 5184000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>The session named by the cookie, or a new unsaved one for a missing, stale or garbage cookie.</summary>
    public Session Load(string? cookie)
    {
        if (cookie != null && _sessions.TryGetValue(cookie, out var s))
        {
            if (s.ExpiresUtc > DateTime.UtcNow) return s;
            _sessions.TryRemove(cookie, out _);
        }
        return new Session(NewId());
    }

    public void Save(Session s)
    {
        s.ExpiresUtc = DateTime.UtcNow.AddSeconds(MaxAgeSeconds);
        _sessions[s.Id] = s;
    }

    /// <summary>Logs every session out (sandbox control route).</summary>
    public int ExpireLogins()
    {
        var n = 0;
        foreach (var s in _sessions.Values)
        {
            lock (s)
            {
                if (s.UserId != null || s.TwoFaUserId != null) n++;
                s.UserId = null;
                s.TwoFaUserId = null;
            }
        }
        return n;
    }

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}

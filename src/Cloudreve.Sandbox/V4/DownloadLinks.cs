using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The signed content URLs of 4.18 (reference 12): <c>{site}/api/v4/file/content/{entity}/0/{name}?[download=true&amp;]sign={mac}:{expiry}</c>.
/// URLs are cached per entity, name and options and handed out again until they expire (12.1, cap 375, 377).
/// POST /_sandbox/downloads/expire revokes every URL issued so far and empties the cache.
/// </summary>
internal sealed class DownloadLinks
{
    public const string ContentRoot = "/api/v4/file/content/";

    private sealed record Cached(string Url, long Expires);

    private readonly byte[] _key;
    private readonly DownloadRevocation _revocation;
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _issued = new(StringComparer.Ordinal);

    public DownloadLinks(string secret, DownloadRevocation revocation)
    {
        _key = Encoding.UTF8.GetBytes("v4-content:" + secret);
        _revocation = revocation;
    }

    /// <summary>A cached or new URL (path + query, relative to the site URL) and its expiry (unix seconds).</summary>
    public (string PathAndQuery, long Expires) Get(string cacheKey, long ttlSeconds, Func<long, string> build)
    {
        var now = GoTime.NowUnix();
        if (_cache.TryGetValue(cacheKey, out var hit) && hit.Expires > now) return (hit.Url, hit.Expires);
        foreach (var (k, v) in _cache)
        {
            if (v.Expires <= now) _cache.TryRemove(k, out _);
        }
        foreach (var (k, v) in _issued)
        {
            if (v + ttlSeconds + 86400 < now) _issued.TryRemove(k, out _);
        }
        var expires = now + ttlSeconds;
        var url = build(expires);
        _cache[cacheKey] = new Cached(url, expires);
        return (url, expires);
    }

    /// <summary>The content URL of an entity (path + query).</summary>
    public string ContentUrl(string entity, string name, bool download, long expires)
    {
        var sign = Sign(entity, name, expires);
        _issued[sign] = GoTime.NowUnix();
        return ContentRoot + entity + "/0/" + DownloadNames.PathSegment(name) + "?" + (download ? "download=true&" : "") + "sign=" + Uri.EscapeDataString(sign);
    }

    /// <summary>Checks the sign of a content GET in Cloudreve's order (cap 368–370): missing → 403, past expiry → 40005, bad MAC → 40071.</summary>
    public void Check(string entity, string name, string? sign)
    {
        if (string.IsNullOrEmpty(sign)) throw V4Envelope.Fail(V4Codes.PermissionDenied, "expire timestamp is missing");
        var idx = sign.LastIndexOf(':');
        if (idx < 0 || !long.TryParse(sign[(idx + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiry))
            throw V4Envelope.Fail(V4Codes.PermissionDenied, "expire timestamp is missing");
        if (expiry != 0 && expiry < GoTime.NowUnix()) throw V4Envelope.Fail(V4Codes.SignExpired, "signature expired");
        var expected = Sign(entity, name, expiry);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sign)))
            throw V4Envelope.Fail(V4Codes.InvalidSign, "invalid sign");
        if (_issued.TryGetValue(sign, out var issued) && _revocation.Revoked(issued))
            throw V4Envelope.Fail(V4Codes.SignExpired, "signature expired");
    }

    /// <summary>Sandbox control: the cache is emptied so the next POST /file/url signs afresh (the old URLs are revoked).</summary>
    public void ForgetAll() => _cache.Clear();

    private string Sign(string entity, string name, long expiry)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(entity + "/" + name + ":" + expiry.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_') + ":" + expiry.ToString(CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloudreve.Sandbox;

/// <summary>
/// URLs of the storage-provider imitations the sandbox serves: an S3 bucket (path style, presigned URLs under
/// /_provider/s3/) and a Microsoft Graph upload-session / download endpoint (under /_provider/onedrive/). They point at
/// the provider listener (--provider-urls, a second loopback origin) when there is one, else at the API origin.
/// </summary>
internal sealed class Providers
{
    public const string S3Bucket = "sandbox-bucket";
    public const string S3Region = "us-east-1";
    public const string S3Root = "/_provider/s3/" + S3Bucket + "/";
    public const string OneDriveUploadRoot = "/_provider/onedrive/uploadSession/";
    public const string OneDriveContentRoot = "/_provider/onedrive/content/";

    private readonly byte[] _key;
    private readonly DownloadRevocation _revocation;

    public Providers(string secret, DownloadRevocation revocation)
    {
        _key = Encoding.UTF8.GetBytes("provider:" + secret);
        _revocation = revocation;
    }

    /// <summary>The provider listener's origin (scheme://host:port), set once it listens; null: none.</summary>
    public string? PublicOrigin { get; set; }

    /// <summary>The origin the client used (scheme://host:port).</summary>
    public static string Origin(HttpContext ctx) => ctx.Request.Scheme + "://" + ctx.Request.Host.Value;

    /// <summary>The origin provider URLs point at: the provider listener, or the origin the client used when there is none.</summary>
    public string OriginFor(HttpContext ctx) => PublicOrigin ?? Origin(ctx);

    /// <summary>
    /// A presigned S3 URL (path + query) for a method on an object key. <paramref name="extra"/> are the operation's
    /// own query parameters (partNumber, uploadId, response-content-disposition), covered by the signature.
    /// </summary>
    public string S3Presign(string method, string key, long ttlSeconds, params (string Name, string Value)[] extra) =>
        S3PresignSigned(method, key, ttlSeconds, "host", extra);

    /// <summary>As <see cref="S3Presign"/> with the X-Amz-SignedHeaders a 4.18 server writes ("content-length;host" for UploadPart, cap 557).</summary>
    public string S3PresignSigned(string method, string key, long ttlSeconds, string signedHeaders, params (string Name, string Value)[] extra)
    {
        var date = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var query = new List<(string Name, string Value)>(extra)
        {
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", $"sandbox/{date[..8]}/{S3Region}/s3/aws4_request"),
            ("X-Amz-Date", date),
            ("X-Amz-Expires", ttlSeconds.ToString(CultureInfo.InvariantCulture)),
            ("X-Amz-SignedHeaders", signedHeaders),
        };
        var signature = S3Signature(method, key, query);
        query.Add(("X-Amz-Signature", signature));
        return S3Root + EscapeKey(key) + "?" + string.Join('&', query.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value)));
    }

    /// <summary>Checks a presigned S3 request; null when valid, else (HTTP status, S3 error code, message).</summary>
    public (int Status, string Code, string Message)? S3Verify(string method, string key, IQueryCollection q)
    {
        var signature = q["X-Amz-Signature"].ToString();
        var date = q["X-Amz-Date"].ToString();
        var expiresText = q["X-Amz-Expires"].ToString();
        if (signature.Length == 0 || date.Length == 0 || expiresText.Length == 0)
            return (403, "AccessDenied", "Query-string authentication requires the X-Amz-Signature, X-Amz-Date and X-Amz-Expires parameters.");
        var query = q.Where(p => p.Key != "X-Amz-Signature").Select(p => (p.Key, p.Value.ToString())).ToList();
        var expected = S3Signature(method, key, query);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            return (403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
        if (!DateTime.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt)
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl)
            || signedAt.AddSeconds(ttl) < DateTime.UtcNow
            || (method is "GET" or "HEAD" && _revocation.Revoked(GoTime.UnixSeconds(signedAt))))
            return (403, "AccessDenied", "Request has expired");
        return null;
    }

    private string S3Signature(string method, string key, IEnumerable<(string Name, string Value)> query)
    {
        var canonical = method + "\n" + key + "\n" + string.Join('&', query.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value));
        return Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
    }

    /// <summary>A Graph-style pre-authenticated download URL (path + query) for an object, valid for the TTL.</summary>
    /// <remarks>tempauth = signature.issued.expiry (unix seconds; opaque to clients, as Graph's is).</remarks>
    public string OneDriveDownload(string key, long ttlSeconds)
    {
        var issued = GoTime.NowUnix();
        var stamp = issued.ToString(CultureInfo.InvariantCulture) + "." + (issued + ttlSeconds).ToString(CultureInfo.InvariantCulture);
        var auth = Sign("GET\n" + key + "\n" + stamp) + "." + stamp;
        return OneDriveContentRoot + EscapeKey(key) + "?tempauth=" + Uri.EscapeDataString(auth);
    }

    public bool OneDriveVerify(string key, string? tempauth)
    {
        if (string.IsNullOrEmpty(tempauth)) return false;
        var parts = tempauth.Split('.');
        if (parts.Length != 3
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) return false;
        if (expiry < GoTime.NowUnix() || _revocation.Revoked(issued)) return false;
        var expected = Sign("GET\n" + key + "\n" + parts[1] + "." + parts[2]);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[0]));
    }

    private string Sign(string text) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text))).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloudreve.Sandbox;

/// <summary>Cloudreve URL signatures: sign=&lt;base64url(HMAC-SHA256(secret, path:expiry))&gt;:&lt;expiry&gt;.</summary>
internal sealed class Signer
{
    private readonly byte[] _key;

    public Signer(string secret) => _key = Encoding.UTF8.GetBytes(secret);

    public string Sign(string path, long expiry)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(path + ":" + expiry.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_') + ":" + expiry.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The signed URL as Cloudreve returns it (sign query-escaped).</summary>
    public string SignedUrl(string path, long expiry) => path + "?sign=" + Uri.EscapeDataString(Sign(path, expiry));

    /// <summary>Checks a sign value for a path; throws the envelope error Cloudreve answers with.</summary>
    public void Check(string path, string? sign)
    {
        if (string.IsNullOrEmpty(sign)) throw Envelope.Fail(Codes.NoPermission, "expire timestamp is missing");
        var idx = sign.LastIndexOf(':');
        if (idx < 0 || !long.TryParse(sign[(idx + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiry))
            throw Envelope.Fail(Codes.NoPermission, "expire timestamp is missing");
        if (expiry != 0 && expiry < GoTime.NowUnix()) throw Envelope.Fail(Codes.SignExpired, "signature expired");
        var expected = Sign(path, expiry);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sign)))
            throw Envelope.Fail(Codes.InvalidSign, "invalid sign");
    }

    /// <summary>Go's url.PathEscape (space → %20; '+', '&amp;', '$', ',', ':', ';', '=', '@' stay literal).</summary>
    public static string GoPathEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '$' or '&' or '+' or ',' or ':' or ';' or '=' or '@'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static string RandomKey(int length) =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}

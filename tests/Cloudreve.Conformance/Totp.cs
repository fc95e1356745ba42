using System.Security.Cryptography;

namespace Cloudreve.Conformance;

/// <summary>RFC 6238 codes (SHA-1, 6 digits, 30 s) from a base32 secret, as Cloudreve's 2FA uses them.</summary>
internal static class Totp
{
    public static string Code(string base32Secret, DateTimeOffset? at = null)
    {
        var key = Base32(base32Secret);
        var counter = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var msg = new byte[8];
        for (var i = 7; i >= 0; i--)
        {
            msg[i] = (byte)(counter & 0xff);
            counter >>= 8;
        }
        var hash = HMACSHA1.HashData(key, msg);
        var offset = hash[^1] & 0x0f;
        var bin = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (bin % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var ch in s.Trim().TrimEnd('=').ToUpperInvariant())
        {
            if (ch is ' ' or '-') continue;
            var idx = alphabet.IndexOf(ch, StringComparison.Ordinal);
            if (idx < 0) throw new FormatException("CLOUDREVE_TEST_TOTP is not a base32 secret.");
            value = (value << 5) | idx;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((value >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }
        return output.ToArray();
    }
}

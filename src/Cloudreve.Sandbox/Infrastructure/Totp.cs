using OtpNet;

namespace Cloudreve.Sandbox;

/// <summary>RFC 6238 TOTP (SHA-1, 6 digits, 30 s, ±1 step) as Cloudreve uses it.</summary>
internal static class Totp
{
    public static bool IsValidSecret(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return false;
        try
        {
            return Base32Encoding.ToBytes(secret.Trim().TrimEnd('=')).Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static bool Verify(string secret, string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        if (!IsValidSecret(secret)) return false;
        var totp = new OtpNet.Totp(Base32Encoding.ToBytes(secret.Trim().TrimEnd('=')), step: 30, mode: OtpHashMode.Sha1, totpSize: 6);
        return totp.VerifyTotp(code, out _, new VerificationWindow(previous: 1, future: 1));
    }

    public static string NewSecret() => Base32Encoding.ToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).TrimEnd('=');
}

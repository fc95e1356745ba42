using System;
using System.Security;
using Cloudreve.Internal;
using Cloudreve.Transport;
using OtpNet;

namespace Cloudreve
{
    /// <summary>RFC 6238 codes (SHA-1, 6 digits, 30 s) as Cloudreve's two-factor login expects.</summary>
    internal static class TotpCode
    {
        public static string Compute(SecureString base32Secret, DateTime utcNow)
        {
            var text = Secrets.Unprotect(base32Secret).Replace(" ", string.Empty).Replace("-", string.Empty).TrimEnd('=').ToUpperInvariant();
            byte[] key;
            try
            {
                key = Base32Encoding.ToBytes(text);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FormatException)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "The TOTP secret is not valid base32 text.");
            }

            if (key.Length == 0)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "The TOTP secret is empty.");
            }

            return new Totp(key).ComputeTotp(utcNow);
        }
    }
}

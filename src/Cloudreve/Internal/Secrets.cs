using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Cloudreve.Internal
{
    /// <summary>Short-lived access to SecureString contents; callers drop the plain text at once.</summary>
    internal static class Secrets
    {
        public static string Unprotect(SecureString? secret)
        {
            if (secret == null || secret.Length == 0)
            {
                return string.Empty;
            }

            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }

        public static SecureString Protect(string value)
        {
            var secure = new SecureString();
            foreach (var c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}

using System;
using System.Linq;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// Remote paths as users type them ("/docs/a b.txt") and the cloudreve:// URIs of Cloudreve 4
    /// ("cloudreve://my/docs/a%20b.txt"). Each segment is escaped on its own (section 4.2 of the v4 notes):
    /// '#', '%', '?', '+' and the rest are always sent escaped, '/' never appears inside a segment.
    /// </summary>
    internal static class CloudreveUris
    {
        public const string MyRoot = "cloudreve://my/";

        /// <summary>"/" -> "cloudreve://my/", "/a b/c#d" -> "cloudreve://my/a%20b/c%23d".</summary>
        public static string FromPath(string normalizedPath)
        {
            if (normalizedPath == RemotePath.Root)
            {
                return MyRoot;
            }

            return MyRoot + string.Join("/", RemotePath.Split(normalizedPath).Select(Uri.EscapeDataString));
        }

        /// <summary>
        /// The remote path of a URI the server returned for the caller's own files; null for other file systems
        /// (trash, shares). The server escapes with encodeURIComponent rules, so one unescape per segment gives the name.
        /// </summary>
        public static string? ToPath(string? uri)
        {
            if (uri == null || !uri.StartsWith("cloudreve://my", StringComparison.Ordinal))
            {
                return null;
            }

            var rest = uri.Substring("cloudreve://my".Length);
            var query = rest.IndexOfAny(new[] { '?', '#' });
            if (query >= 0)
            {
                rest = rest.Substring(0, query);
            }

            var segments = rest.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            return segments.Length == 0 ? RemotePath.Root : "/" + string.Join("/", segments);
        }

        /// <summary>A URI as a query-string value: escaped once more as a whole, so that "%20" travels as "%2520" and '+' stays '+'.</summary>
        public static string ForQuery(string uri) => Uri.EscapeDataString(uri);

        /// <summary>Two URIs name the same item when their unescaped forms agree (the server may escape more or less than we do).</summary>
        public static bool Same(string a, string b) =>
            string.Equals(a, b, StringComparison.Ordinal) || string.Equals(ToPath(a), ToPath(b), StringComparison.Ordinal) && ToPath(a) != null;
    }
}

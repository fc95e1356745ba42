using System.Globalization;
using System.Text;

namespace Cloudreve.Sandbox.V4;

/// <summary>How Cloudreve 4.18 spells a file name in content URLs and in Content-Disposition (reference 12.1, 12.2).</summary>
internal static class DownloadNames
{
    /// <summary>
    /// Go's url.PathEscape (one path segment): A–Z a–z 0–9 - _ . ~ and $ &amp; + : = @ stay literal, everything else
    /// (space, ' ; , ! * ( ) %, non-ASCII) becomes %XX of the UTF-8 bytes: "ü+&amp;'; x.txt" → "%C3%BC+&amp;%27%3B%20x.txt" (cap 382).
    /// </summary>
    public static string PathSegment(string name) => Escape(name, c => c is '$' or '&' or '+' or ':' or '=' or '@', spaceAsPlus: false);

    /// <summary>Go's url.QueryEscape: space → '+', only A–Z a–z 0–9 - _ . ~ stay literal (cap 364, 382).</summary>
    public static string QueryEscape(string s) => Escape(s, _ => false, spaceAsPlus: true);

    /// <summary>
    /// The Content-Disposition of a download=true content GET: ASCII names as they are inside the quotes
    /// (<c>attachment; filename="it's.txt"</c>); any non-ASCII name adds filename* (form-encoded) and replaces each
    /// non-ASCII character of the quoted fallback with '_' (<c>filename="___ _.bin"; filename*=UTF-8''%E6%97%A5...+%C3%BC.bin</c>).
    /// </summary>
    public static string Attachment(string name)
    {
        var ascii = true;
        var fallback = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value < 0x80)
            {
                fallback.Append((char)rune.Value);
            }
            else
            {
                ascii = false;
                fallback.Append('_');
            }
        }
        return ascii
            ? $"attachment; filename=\"{name}\""
            : $"attachment; filename=\"{fallback}\"; filename*=UTF-8''{QueryEscape(name)}";
    }

    /// <summary>The response-content-disposition an s3 download URL carries: the name path-escaped in both forms (cap 570, 571).</summary>
    public static string S3Attachment(string name)
    {
        var escaped = PathSegment(name);
        return $"attachment; filename=\"{escaped}\"; filename*=UTF-8''{escaped}";
    }

    private static string Escape(string s, Func<char, bool> keep, bool spaceAsPlus)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || keep(c)))
                sb.Append(c);
            else if (spaceAsPlus && c == ' ')
                sb.Append('+');
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}

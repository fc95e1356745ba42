using System.Globalization;
using System.Text;

namespace Cloudreve.Sandbox.V4;

/// <summary>Go's url.QueryEscape and url.PathEscape.</summary>
internal static class V4SvcEscape
{
    /// <summary>QueryEscape: unreserved characters stay, space → '+', everything else %XX.</summary>
    public static string Query(string s) => Escape(s, _ => false, spaceAsPlus: true);

    /// <summary>PathEscape (one segment): '$', '&amp;', '+', ':', '=', '@' stay as well; ';', ',', '/', '?' and space are escaped (cap 430).</summary>
    public static string PathSegment(string s) => Escape(s, c => c is '$' or '&' or '+' or ':' or '=' or '@', spaceAsPlus: false);

    private static string Escape(string s, Func<char, bool> keep, bool spaceAsPlus)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || keep(c))) sb.Append(c);
            else if (c == ' ' && spaceAsPlus) sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}


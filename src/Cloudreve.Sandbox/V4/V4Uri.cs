using System.Text;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// A <c>cloudreve://[owner[:password]@]filesystem/segment/...</c> URI (reference 4.1, 4.2), parsed like Go's net/url:
/// '#' starts a fragment, '?' the query (search filters, read by V4Search), the path is percent-decoded once (an invalid escape
/// is 40001 "unknown uri", '+' stays literal, '%2F' separates), then split on '/' and cleaned (empty segments, "." and
/// ".." dropped; a trailing '/' is ignored).
/// </summary>
internal sealed record V4Uri(string FileSystem, string? Owner, string? Password, IReadOnlyList<string> Segments)
{
    public const string Scheme = "cloudreve";
    public const string My = "my", Trash = "trash", Share = "share", SharedWithMe = "shared_with_me";

    public bool IsRoot => Segments.Count == 0;

    /// <summary>The name of the last segment ("" for the root).</summary>
    public string Name => Segments.Count == 0 ? "" : Segments[^1];

    public V4Uri Parent => this with { Segments = Segments.Take(Math.Max(0, Segments.Count - 1)).ToArray() };

    public V4Uri Child(string name) => this with { Segments = Segments.Append(name).ToArray() };

    /// <summary>The canonical form the server writes (owner and password left out).</summary>
    public override string ToString() => Format(FileSystem, Segments);

    /// <summary>Parses a URI or throws 40001 "unknown uri".</summary>
    public static V4Uri Parse(string? raw) => TryParse(raw) ?? throw V4Envelope.UnknownUri();

    public static V4Uri? TryParse(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        if (raw.Any(c => c < 0x20 || c == 0x7f)) return null;
        var sep = raw.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0 || !string.Equals(raw[..sep], Scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = raw[(sep + 3)..];
        var hash = rest.IndexOf('#');
        if (hash >= 0) rest = rest[..hash];
        var q = rest.IndexOf('?');
        if (q >= 0) rest = rest[..q];
        var slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var rawPath = slash >= 0 ? rest[slash..] : "";

        string? owner = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = Unescape(authority[..at]);
            if (userInfo == null) return null;
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            owner = colon >= 0 ? userInfo[..colon] : userInfo;
            password = colon >= 0 ? userInfo[(colon + 1)..] : null;
        }
        var fs = authority.ToLowerInvariant();
        if (fs is not (My or Trash or Share or SharedWithMe)) return null;

        var path = Unescape(rawPath);
        if (path == null) return null;
        var segments = new List<string>();
        foreach (var s in path.Split('/'))
        {
            if (s.Length == 0 || s == ".") continue;
            if (s == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(s);
        }
        return new V4Uri(fs, owner, password, segments);
    }

    /// <summary>"cloudreve://fs/" + segments escaped like JavaScript's encodeURIComponent (reference 4.2).</summary>
    public static string Format(string fileSystem, IEnumerable<string> segments) =>
        $"{Scheme}://{fileSystem}/" + string.Join('/', segments.Select(EncodeSegment));

    /// <summary>encodeURIComponent: A-Z a-z 0-9 - _ . ! ~ * ' ( ) stay, everything else is %XX of the UTF-8 bytes (uppercase).</summary>
    public static string EncodeSegment(string segment)
    {
        var sb = new StringBuilder(segment.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(segment))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Go's path unescape: %XX decoded, '+' literal; null on a malformed escape.</summary>
    private static string? Unescape(string s)
    {
        if (!s.Contains('%', StringComparison.Ordinal)) return s;
        var bytes = new List<byte>(s.Length);
        var run = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '%') continue;
            bytes.AddRange(Encoding.UTF8.GetBytes(s[run..i]));
            if (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2])) return null;
            bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
            i += 2;
            run = i + 1;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(s[run..]));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}

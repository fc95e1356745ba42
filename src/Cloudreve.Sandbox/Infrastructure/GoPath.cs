using System.Text;

namespace Cloudreve.Sandbox;

/// <summary>Slash-path helpers with the semantics of Go's path package (Clean, Dir, Base).</summary>
internal static class GoPath
{
    /// <summary>Lexical cleanup: collapses "//", drops ".", resolves ".." where possible, removes the trailing slash.</summary>
    public static string Clean(string p)
    {
        if (p.Length == 0) return ".";
        var rooted = p[0] == '/';
        var parts = new List<string>();
        foreach (var seg in p.Split('/'))
        {
            if (seg.Length == 0 || seg == ".") continue;
            if (seg == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(seg);
        }
        var body = string.Join('/', parts);
        if (rooted) return "/" + body;
        return body.Length == 0 ? "." : body;
    }

    public static string Dir(string p)
    {
        var i = p.LastIndexOf('/');
        return Clean(p[..(i + 1)]);
    }

    public static string Base(string p)
    {
        if (p.Length == 0) return ".";
        while (p.Length > 0 && p[^1] == '/') p = p[..^1];
        var i = p.LastIndexOf('/');
        if (i >= 0) p = p[(i + 1)..];
        return p.Length == 0 ? "/" : p;
    }

    /// <summary>Joins a folder path and a child name the way Cloudreve builds object paths.</summary>
    public static string Join(string folder, string name) => folder == "/" ? "/" + name : folder + "/" + name;
}

/// <summary>Cloudreve's object name rules (section 6.1).</summary>
internal static class Names
{
    private static readonly char[] Reserved = ['\\', '?', '*', '<', '"', ':', '>', '/', '|'];

    public static bool IsLegal(string name)
    {
        if (name.IndexOfAny(Reserved) >= 0) return false;
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes >= 256 || bytes == 0) return false;
        return !name.EndsWith(' ');
    }

    /// <summary>Extension allowed by the policy list (empty list = anything).</summary>
    public static bool ExtensionAllowed(IReadOnlyList<string> allowed, string name)
    {
        if (allowed.Count == 0) return true;
        var dot = name.LastIndexOf('.');
        if (dot < 0) return false;
        var ext = name[(dot + 1)..].ToLowerInvariant();
        return allowed.Any(a => string.Equals(a, ext, StringComparison.Ordinal));
    }
}

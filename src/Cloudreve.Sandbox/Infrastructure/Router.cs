namespace Cloudreve.Sandbox;

internal delegate Task Handler(Req r);

/// <summary>
/// A gin-like router working on the decoded URL path: static segments win over ":param" segments,
/// which win over a trailing "*catchAll" (whose value keeps its leading slash).
/// </summary>
internal sealed class Router
{
    private sealed record Route(string Method, string[] Parts, Handler Handler)
    {
        public bool IsCatchAll => Parts.Length > 0 && Parts[^1].StartsWith('*');
    }

    private readonly List<Route> _routes = new();

    public void Add(string method, string pattern, Handler handler)
    {
        if (!pattern.StartsWith('/')) throw new ArgumentException("Pattern must start with '/'.", nameof(pattern));
        _routes.Add(new Route(method, pattern[1..].Split('/'), handler));
    }

    public void Get(string pattern, Handler h) => Add("GET", pattern, h);
    public void Post(string pattern, Handler h) => Add("POST", pattern, h);
    public void Put(string pattern, Handler h) => Add("PUT", pattern, h);
    public void Patch(string pattern, Handler h) => Add("PATCH", pattern, h);
    public void Delete(string pattern, Handler h) => Add("DELETE", pattern, h);

    public (Handler Handler, Dictionary<string, string> Params)? Match(string method, string path)
    {
        if (!path.StartsWith('/')) return null;
        var segs = path[1..].Split('/');
        Route? best = null;
        Dictionary<string, string>? bestParams = null;
        int[]? bestScore = null;
        foreach (var r in _routes)
        {
            if (!string.Equals(r.Method, method, StringComparison.Ordinal)) continue;
            var p = TryMatch(r, segs, out var score);
            if (p == null) continue;
            if (bestScore == null || Compare(score, bestScore) > 0)
            {
                best = r;
                bestParams = p;
                bestScore = score;
            }
        }
        return best == null ? null : (best.Handler, bestParams!);
    }

    /// <summary>gin's RedirectTrailingSlash: the same path with the trailing slash toggled, if that one exists.</summary>
    public string? TrailingSlashAlternative(string method, string path)
    {
        if (path.Length > 1 && path.EndsWith('/'))
        {
            var alt = path[..^1];
            return Match(method, alt) != null ? alt : null;
        }
        var withSlash = path + "/";
        return Match(method, withSlash) != null ? withSlash : null;
    }

    private static int Compare(int[] a, int[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        }
        return a.Length.CompareTo(b.Length);
    }

    private static Dictionary<string, string>? TryMatch(Route r, string[] segs, out int[] score)
    {
        var parts = r.Parts;
        score = new int[parts.Length];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.IsCatchAll)
        {
            if (segs.Length < parts.Length) return null;
        }
        else if (segs.Length != parts.Length)
        {
            return null;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith('*'))
            {
                result[part[1..]] = "/" + string.Join('/', segs, i, segs.Length - i);
                score[i] = 0;
                return result;
            }
            if (part.StartsWith(':'))
            {
                if (segs[i].Length == 0) return null;
                result[part[1..]] = segs[i];
                score[i] = 1;
                continue;
            }
            if (!string.Equals(part, segs[i], StringComparison.Ordinal)) return null;
            score[i] = 2;
        }
        return result;
    }
}

/// <summary>Decodes a raw request path like Go's url.Parse (percent escapes, '+' kept literal).</summary>
internal static class PathDecoder
{
    /// <summary>Null when the path holds a malformed escape (Go answers HTTP 400).</summary>
    public static string? Decode(string raw)
    {
        if (!raw.Contains('%', StringComparison.Ordinal)) return raw;
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2])) return null;
                bytes.Add((byte)Convert.ToInt32(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}

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

/// <summary>gin's c.Redirect(302): Location plus Go's tiny HTML body, no Cache-Control (cap 60, 431).</summary>
internal static class V4SvcRedirect
{
    public static Task Found(HttpContext ctx, string location)
    {
        var resp = ctx.Response;
        resp.Headers.Remove("Cache-Control");
        resp.StatusCode = 302;
        resp.Headers.Location = location;
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            resp.ContentLength = 0;
            return Task.CompletedTask;
        }
        var body = "<a href=\"" + Html(location) + "\">Found</a>.\n\n";
        resp.ContentType = "text/html; charset=utf-8";
        resp.ContentLength = Encoding.UTF8.GetByteCount(body);
        return HttpMethods.IsHead(ctx.Request.Method) ? Task.CompletedTask : resp.WriteAsync(body, ctx.RequestAborted);
    }

    private static string Html(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);
}

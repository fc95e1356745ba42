using System.Globalization;

namespace Cloudreve.Sandbox;

/// <summary>
/// gin's c.Redirect(302, url): after a Cache-Control: max-age header, as the v3 source-link and preview routes answer, or
/// with no Cache-Control at all (null max age), as the 4.x share and direct-link redirects answer (cap 60, 431).
/// </summary>
internal static class Redirect
{
    public static Task Found(HttpContext ctx, string location, int? maxAgeSeconds)
    {
        var resp = ctx.Response;
        resp.StatusCode = 302;
        if (maxAgeSeconds is { } maxAge) resp.Headers.CacheControl = "max-age=" + maxAge.ToString(CultureInfo.InvariantCulture);
        else resp.Headers.Remove("Cache-Control");
        resp.Headers.Location = location;
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            resp.ContentLength = 0;
            return Task.CompletedTask;
        }
        // Go's http.Redirect: a tiny HTML body for GET (HEAD: headers only).
        var body = "<a href=\"" + HtmlEscape(location) + "\">Found</a>.\n\n";
        resp.ContentType = "text/html; charset=utf-8";
        resp.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        return HttpMethods.IsHead(ctx.Request.Method) ? Task.CompletedTask : resp.WriteAsync(body, ctx.RequestAborted);
    }

    /// <summary>Go's html.EscapeString set as net/http uses it: &amp; &lt; &gt; &#34; &#39;.</summary>
    private static string HtmlEscape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);
}

using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Sandbox;

/// <summary>The fault settings in force (replaced atomically by POST /_sandbox/faults).</summary>
internal sealed class Faults
{
    private FaultSettings _current;

    public Faults(FaultSettings initial) => _current = initial;

    public FaultSettings Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>True with the given probability.</summary>
    public static bool Roll(double rate) => rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);

    /// <summary>
    /// The one decision for fault <see cref="FaultSettings.DownloadFailureRate"/>: every route that serves file bytes
    /// (any server generation, local or provider origin) calls this just before it would send them, after its own
    /// checks and side effects (a one-time URL is used up), the way a proxy in front of a healthy server fails.
    /// True when it answered HTTP 500 itself; the route then sends nothing more.
    /// </summary>
    public async Task<bool> FailContentGetAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method) || !Roll(Current.DownloadFailureRate)) return false;
        var resp = ctx.Response;
        resp.Headers.Remove("Content-Disposition");
        resp.Headers.Remove("Cache-Control");
        resp.Headers.Remove("Content-Security-Policy");
        resp.Headers.Remove("Last-Modified");
        resp.StatusCode = 500;
        resp.ContentType = "text/html";
        const string body = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n";
        resp.ContentLength = body.Length;
        await resp.WriteAsync(body, ctx.RequestAborted);
        return true;
    }
}

using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace Cloudreve.Sandbox.Hosting;

/// <summary>The single middleware that does gin-like dispatch: decoded path routing, 301/307 slash redirects, text 404s.</summary>
internal sealed class Pipeline
{
    private readonly App _app;
    private readonly Router _router;
    private readonly string _origin;

    /// <param name="origin">Name of the listener this pipeline serves ("api" or "provider"), logged with every request.</param>
    public Pipeline(App app, Router router, string origin = "api")
    {
        _app = app;
        _router = router;
        _origin = origin;
    }

    public async Task Handle(HttpContext ctx)
    {
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (ctx.Request.PathBase + ctx.Request.Path).ToString();
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q >= 0 ? raw[..q] : raw;
        var rawQuery = q >= 0 ? raw[(q + 1)..] : "";
        if (Uri.TryCreate(rawPath, UriKind.Absolute, out var abs) && (abs.Scheme == "http" || abs.Scheme == "https"))
            rawPath = abs.AbsolutePath;

        var isControl = rawPath.StartsWith("/_sandbox/", StringComparison.Ordinal);
        // Logged when the answer starts (so a client that has the answer always finds the entry), or at the end
        // when there was no answer (connection aborted).
        var logged = 0;
        void Log()
        {
            if (!isControl && Interlocked.Exchange(ref logged, 1) == 0)
                _app.Requests.Add(RequestLog.From(ctx, _origin, rawPath, rawQuery));
        }
        ctx.Response.OnStarting(() =>
        {
            Log();
            return Task.CompletedTask;
        });
        try
        {
            await Dispatch(ctx, rawPath, isControl);
        }
        finally
        {
            Log();
        }
    }

    private async Task Dispatch(HttpContext ctx, string rawPath, bool isControl)
    {
        var path = PathDecoder.Decode(rawPath);
        if (path == null)
        {
            ctx.Response.Headers.Connection = "close";
            await PlainText(ctx, 400, "400 Bad Request", "text/plain; charset=utf-8");
            return;
        }

        if (isControl)
        {
            var remote = ctx.Connection.RemoteIpAddress;
            if (remote != null && !IPAddress.IsLoopback(remote))
            {
                await PlainText(ctx, 404, "404 page not found");
                return;
            }
        }
        else
        {
            var latency = _app.Faults.Current.LatencyMs;
            if (latency > 0) await Task.Delay(latency, ctx.RequestAborted);
        }

        var match = _router.Match(ctx.Request.Method, path);
        if (match == null)
        {
            var alt = _router.TrailingSlashAlternative(ctx.Request.Method, path);
            if (alt != null)
            {
                var location = EscapePath(alt);
                ctx.Response.Headers.Location = location;
                if (ctx.Request.Method == "GET")
                {
                    // Go's http.Redirect writes a small HTML body for GET.
                    var html = $"<a href=\"{location}\">Moved Permanently</a>.\n\n";
                    ctx.Response.StatusCode = 301;
                    ctx.Response.ContentType = "text/html; charset=utf-8";
                    ctx.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(html);
                    await ctx.Response.WriteAsync(html, ctx.RequestAborted);
                }
                else
                {
                    ctx.Response.StatusCode = 307;
                    ctx.Response.ContentLength = 0;
                }
                return;
            }
            await PlainText(ctx, 404, "404 page not found");
            return;
        }

        if (path.StartsWith("/api/v3/", StringComparison.Ordinal) || path.StartsWith("/api/v4/", StringComparison.Ordinal))
            ctx.Response.Headers.CacheControl = "private, no-cache";

        var req = new Req(ctx, _app, match.Value.Params);
        try
        {
            await match.Value.Handler(req);
        }
        catch (ApiException ex) when (!ctx.Response.HasStarted)
        {
            await req.Json(Envelope.Err(ex.Code, ex.Message));
        }
        catch (V4.V4Exception ex) when (!ctx.Response.HasStarted)
        {
            await req.Json(ex.ToEnvelope(), ex.HttpStatus);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // client went away
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // gin's recovery: HTTP 500 with an empty body.
            if (ex is not PanicException) Console.Error.WriteLine($"[sandbox] {ctx.Request.Method} {rawPathForLog(ctx)}: {ex}");
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.Clear();
                ctx.Response.StatusCode = 500;
                ctx.Response.ContentLength = 0;
            }
            else
            {
                ctx.Abort();
            }
        }
    }

    private static string rawPathForLog(HttpContext ctx) => ctx.Request.Path.ToString();

    private static string EscapePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static Task PlainText(HttpContext ctx, int status, string text, string contentType = "text/plain")
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = text.Length;
        return ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}


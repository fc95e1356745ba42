using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloudreve.Tests.Transfers;

/// <summary>One request as the recording server saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, Dictionary<string, string> Headers, byte[] Body, bool Chunked)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>What a handler answers; a negative status drops the connection instead.</summary>
public sealed record CannedResponse(int Status, string Body = "", string ContentType = "application/json", Dictionary<string, string>? Headers = null);

/// <summary>
/// A small HTTP server on loopback (HttpListener) that records every request and answers through a
/// handler, used to check that requests to storage providers are formed as the provider expects.
/// </summary>
public sealed class RecordingHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, CannedResponse> _handler;
    private readonly Task _loop;

    public RecordingHttpServer(Func<RecordedRequest, CannedResponse> handler)
    {
        _handler = handler;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public List<RecordedRequest> All => Requests.ToList();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(ctx));
        }
    }

    private async Task Serve(HttpListenerContext ctx)
    {
        try
        {
            using var body = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(body);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string? key in ctx.Request.Headers.AllKeys)
            {
                if (key != null) headers[key] = ctx.Request.Headers[key] ?? string.Empty;
            }

            var chunked = string.Equals(headers.GetValueOrDefault("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase);
            var request = new RecordedRequest(ctx.Request.HttpMethod, ctx.Request.RawUrl ?? "/", headers, body.ToArray(), chunked);
            Requests.Enqueue(request);
            var answer = _handler(request);
            if (answer.Status < 0)
            {
                // Drop the connection without an answer (the request did arrive).
                ctx.Response.Abort();
                return;
            }

            ctx.Response.StatusCode = answer.Status;
            if (answer.Headers != null)
            {
                foreach (var (k, v) in answer.Headers) ctx.Response.AddHeader(k, v);
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            ctx.Response.ContentType = answer.ContentType;
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
        catch (Exception)
        {
            try { ctx.Response.Abort(); } catch (Exception) { }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(2000); } catch (AggregateException) { }
    }
}

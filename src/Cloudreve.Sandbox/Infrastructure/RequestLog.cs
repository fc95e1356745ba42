using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox;

/// <summary>
/// Requests seen since start or the last reset (sandbox control route GET /_sandbox/requests). Bounded: the newest
/// <see cref="Capacity"/> entries are kept (older ones are counted in "dropped"); header values are cut at
/// <see cref="MaxHeaderValue"/> characters, and secrets are never stored (Cookie → &lt;present&gt;, Authorization → &lt;redacted&gt;).
/// </summary>
internal sealed class RequestLog
{
    public const int Capacity = 10000;
    public const int MaxHeaderValue = 512;

    private readonly object _gate = new();
    private readonly Queue<Entry> _entries = new();
    private long _dropped;

    /// <summary>One request: <paramref name="Origin"/> is the listener that took it ("api" or "provider").</summary>
    public sealed record Entry(DateTime TimeUtc, string Method, string Path, string Query, int Status, string Origin,
        long? ContentLength, IReadOnlyList<KeyValuePair<string, string>> Headers);

    public static Entry From(HttpContext ctx, string origin, string rawPath, string rawQuery)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in ctx.Request.Headers)
        {
            var value = Redact(name, values.ToString());
            headers.Add(new KeyValuePair<string, string>(name, value.Length > MaxHeaderValue ? value[..MaxHeaderValue] : value));
        }
        return new Entry(DateTime.UtcNow, ctx.Request.Method, rawPath, rawQuery, ctx.Response.StatusCode, origin, ctx.Request.ContentLength, headers);
    }

    /// <summary>Cookie values become &lt;present&gt; (an empty Cookie header stays empty); credentials become &lt;redacted&gt;.</summary>
    public static string Redact(string name, string value)
    {
        if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)) return value.Length > 0 ? "<present>" : "";
        if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            return "<redacted>";
        return value;
    }

    public void Add(Entry e)
    {
        lock (_gate)
        {
            _entries.Enqueue(e);
            while (_entries.Count > Capacity)
            {
                _entries.Dequeue();
                _dropped++;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _dropped = 0;
        }
    }

    public JsonObject ToJson()
    {
        lock (_gate)
        {
            var arr = new JsonArray();
            foreach (var e in _entries)
            {
                var headers = new JsonObject();
                foreach (var (name, value) in e.Headers) headers[name] = value;
                arr.Add(new JsonObject
                {
                    ["time"] = e.TimeUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["method"] = e.Method,
                    ["path"] = e.Path,
                    ["query"] = e.Query,
                    ["status"] = e.Status,
                    ["origin"] = e.Origin,
                    ["contentLength"] = e.ContentLength,
                    ["headers"] = headers,
                });
            }
            return new JsonObject { ["count"] = _entries.Count, ["dropped"] = _dropped, ["requests"] = arr };
        }
    }
}

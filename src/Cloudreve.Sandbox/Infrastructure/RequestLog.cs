using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox;

/// <summary>Requests seen since start or the last reset (sandbox control route GET /_sandbox/requests).</summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = new();

    public sealed record Entry(DateTime TimeUtc, string Method, string Path, string Query, int Status);

    public void Add(Entry e)
    {
        lock (_gate) _entries.Add(e);
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }

    public JsonObject ToJson()
    {
        lock (_gate)
        {
            var arr = new JsonArray();
            foreach (var e in _entries)
            {
                arr.Add(new JsonObject
                {
                    ["time"] = e.TimeUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["method"] = e.Method,
                    ["path"] = e.Path,
                    ["query"] = e.Query,
                    ["status"] = e.Status,
                });
            }
            return new JsonObject { ["count"] = _entries.Count, ["requests"] = arr };
        }
    }
}

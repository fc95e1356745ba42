using System.Globalization;

namespace Cloudreve.Sandbox;

/// <summary>Streams a stored file like Go's http.ServeContent: Range (single), 206/416, If-Modified-Since.</summary>
internal static class ServeFile
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain; charset=utf-8", [".md"] = "text/markdown; charset=utf-8", [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8", [".css"] = "text/css; charset=utf-8", [".js"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json", [".xml"] = "text/xml; charset=utf-8", [".csv"] = "text/csv; charset=utf-8",
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif", [".webp"] = "image/webp",
        [".svg"] = "image/svg+xml", [".bmp"] = "image/bmp", [".ico"] = "image/vnd.microsoft.icon", [".pdf"] = "application/pdf",
        [".zip"] = "application/zip", [".gz"] = "application/gzip", [".mp4"] = "video/mp4", [".mp3"] = "audio/mpeg",
        [".wav"] = "audio/wav", [".ogg"] = "audio/ogg", [".webm"] = "video/webm", [".wasm"] = "application/wasm",
    };

    public static string ContentType(string name) =>
        Types.TryGetValue(Path.GetExtension(name), out var t) ? t : "application/octet-stream";

    /// <param name="dropConnection">fault injection: abort the connection half-way through the body.</param>
    public static async Task SendAsync(HttpContext ctx, string blobPath, string name, DateTime lastModifiedUtc, bool dropConnection)
    {
        var resp = ctx.Response;
        var length = new FileInfo(blobPath).Length;
        var lastModified = new DateTime(lastModifiedUtc.Ticks - lastModifiedUtc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        if (lastModifiedUtc.Ticks > 0) resp.Headers.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
        resp.ContentType = ContentType(name);

        var ims = ctx.Request.Headers.IfModifiedSince.ToString();
        if (ims.Length > 0 && lastModifiedUtc.Ticks > 0 && !ctx.Request.Headers.ContainsKey("If-None-Match")
            && DateTime.TryParseExact(ims, "R", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var since)
            && lastModified <= since)
        {
            resp.Headers.Remove("Content-Type");
            resp.StatusCode = 304;
            return;
        }

        resp.Headers.AcceptRanges = "bytes";
        long start = 0, count = length;
        var range = ctx.Request.Headers.Range.ToString();
        if (range.Length > 0)
        {
            var parsed = ParseRange(range, length);
            if (parsed == null)
            {
                resp.Headers.ContentRange = $"bytes */{length}";
                resp.Headers.Remove("Accept-Ranges");
                resp.StatusCode = 416;
                resp.ContentType = "text/plain; charset=utf-8";
                const string body = "invalid range: failed to overlap\n";
                resp.ContentLength = body.Length;
                await resp.WriteAsync(body, ctx.RequestAborted);
                return;
            }
            if (parsed.Value.Start >= 0)
            {
                (start, count) = parsed.Value;
                resp.StatusCode = 206;
                resp.Headers.ContentRange = $"bytes {start}-{start + count - 1}/{length}";
            }
        }

        resp.ContentLength = count;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await using var stream = new FileStream(blobPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[81920];
        var remaining = count;
        var dropAt = dropConnection ? count / 2 : -1;
        var sent = 0L;
        while (remaining > 0)
        {
            if (dropAt >= 0 && sent >= dropAt && count > 0)
            {
                await resp.Body.FlushAsync(ctx.RequestAborted);
                ctx.Abort();
                return;
            }
            var want = (int)Math.Min(buffer.Length, remaining);
            if (dropAt > 0) want = (int)Math.Min(want, Math.Max(1, dropAt - sent));
            var n = await stream.ReadAsync(buffer.AsMemory(0, want), ctx.RequestAborted);
            if (n == 0) break;
            await resp.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
            remaining -= n;
            sent += n;
        }
    }

    /// <summary>(start, count) for one satisfiable range; (-1, 0) to ignore the header (several ranges or bad syntax); null when unsatisfiable.</summary>
    private static (long Start, long Count)? ParseRange(string header, long size)
    {
        if (!header.StartsWith("bytes=", StringComparison.Ordinal)) return (-1, 0);
        var spec = header["bytes=".Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal)) return (-1, 0);
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return (-1, 0);
        var a = spec[..dash].Trim();
        var b = spec[(dash + 1)..].Trim();
        if (a.Length == 0)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)) return (-1, 0);
            if (suffix == 0 || size == 0) return null;
            if (suffix > size) suffix = size;
            return (size - suffix, suffix);
        }
        if (!long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var first)) return (-1, 0);
        if (first >= size) return null;
        long last = size - 1;
        if (b.Length > 0)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first) return (-1, 0);
            if (last >= size) last = size - 1;
        }
        return (first, last - first + 1);
    }
}

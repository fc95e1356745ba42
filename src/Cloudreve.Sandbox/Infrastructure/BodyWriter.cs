using System.Security.Cryptography;

namespace Cloudreve.Sandbox;

/// <summary>Copies an exact number of request-body bytes into a file, with the drop-connection fault.</summary>
internal static class BodyWriter
{
    public enum Outcome { Complete, Short, Aborted }

    /// <summary>Writes <paramref name="expected"/> bytes at <paramref name="offset"/> (the file is cut there first). MD5 of the bytes when asked.</summary>
    public static Task<(Outcome Outcome, string? Md5)> WriteAsync(HttpContext ctx, string path, long offset, long expected, bool dropConnection, bool md5 = false) =>
        CopyAsync(ctx, path, offset, expected, dropConnection, md5, cut: true, FileShare.Read);

    /// <summary>
    /// Writes one chunk of <paramref name="expected"/> bytes at <paramref name="offset"/> without cutting the file (chunks
    /// of one upload come in any order, and may be written side by side). True when every byte arrived.
    /// </summary>
    public static async Task<bool> WriteAtAsync(HttpContext ctx, string path, long offset, long expected, bool dropConnection) =>
        (await CopyAsync(ctx, path, offset, expected, dropConnection, md5: false, cut: false, FileShare.ReadWrite)).Outcome == Outcome.Complete;

    private static async Task<(Outcome Outcome, string? Md5)> CopyAsync(HttpContext ctx, string path, long offset, long expected, bool dropConnection, bool md5,
        bool cut, FileShare share)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var hash = md5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var written = 0L;
        try
        {
            await using var output = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, share, 81920, FileOptions.Asynchronous);
            if (cut) output.SetLength(offset);
            output.Seek(offset, SeekOrigin.Begin);
            var dropAt = dropConnection ? expected / 2 : -1;
            var buffer = new byte[81920];
            while (written < expected)
            {
                if (dropAt >= 0 && written >= dropAt)
                {
                    ctx.Abort();
                    return (Outcome.Aborted, null);
                }
                var want = (int)Math.Min(buffer.Length, expected - written);
                if (dropAt > written) want = (int)Math.Min(want, dropAt - written);
                var n = await ctx.Request.Body.ReadAsync(buffer.AsMemory(0, want), ctx.RequestAborted);
                if (n == 0) break;
                await output.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                hash?.AppendData(buffer, 0, n);
                written += n;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            return (Outcome.Aborted, null);
        }
        if (written != expected) return (Outcome.Short, null);
        return (Outcome.Complete, hash == null ? null : Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());
    }

    /// <summary>Cuts a file back to a length (a failed fragment is rolled back); 0 removes it.</summary>
    public static void Truncate(string path, long length)
    {
        try
        {
            if (!File.Exists(path)) return;
            if (length == 0)
            {
                File.Delete(path);
                return;
            }
            using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
            f.SetLength(length);
        }
        catch (IOException)
        {
        }
    }
}

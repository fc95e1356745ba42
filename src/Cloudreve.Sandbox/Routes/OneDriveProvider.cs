using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>
/// Imitation of the Microsoft Graph endpoints a client talks to for the onedrive policy: the pre-authenticated upload
/// session URL (PUT fragments with Content-Range, GET status, DELETE) and the pre-authenticated download URL.
/// Fragments must be contiguous; the item exists only once the last byte arrived (then the client calls
/// POST /api/v3/callback/onedrive/finish/{sessionID}).
/// </summary>
internal static partial class OneDriveProvider
{
    public static void Map(Router r)
    {
        r.Put(Providers.OneDriveUploadRoot + ":token", PutFragment);
        r.Get(Providers.OneDriveUploadRoot + ":token", Status);
        r.Delete(Providers.OneDriveUploadRoot + ":token", Cancel);
        r.Get(Providers.OneDriveContentRoot + "*key", Content);
        r.Add("HEAD", Providers.OneDriveContentRoot + "*key", Content);
    }

    /// <summary>Where the fragments collect until the upload is complete.</summary>
    public static string PartialPath(App app, string sourceName) => app.Blobs.PathOf(sourceName) + ".graph-upload";

    [GeneratedRegex("^bytes (\\d+)-(\\d+)/(\\d+)$")]
    private static partial Regex ContentRange();

    private static Task GraphError(Req req, int status, string code, string message, string? inner = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (inner != null) error["innererror"] = new JsonObject { ["code"] = inner };
        return Json(req, new JsonObject { ["error"] = error }, status);
    }

    private static Task Json(Req req, JsonNode body, int status)
    {
        var bytes = GoJson.Serialize(body);
        req.Http.Response.StatusCode = status;
        req.Http.Response.ContentType = "application/json";
        req.Http.Response.ContentLength = bytes.Length;
        return req.Http.Response.Body.WriteAsync(bytes, req.Http.RequestAborted).AsTask();
    }

    private static JsonObject SessionJson(ProviderUpload u) => new()
    {
        ["expirationDateTime"] = DateTimeOffset.FromUnixTimeSeconds(u.ExpiresUnix).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["nextExpectedRanges"] = new JsonArray(u.Received.ToString(CultureInfo.InvariantCulture) + "-"),
    };

    private static ProviderUpload? Find(Req req) =>
        req.App.ProviderUploads.Get(req.Param("token")) is { Type: PolicyTypes.OneDrive } u ? u : null;

    private static async Task PutFragment(Req req)
    {
        if (Faults.Roll(req.App.Faults.Current.ChunkFailureRate))
        {
            await GraphError(req, 500, "generalException", "An unspecified error has occurred.");
            return;
        }
        var u = Find(req);
        if (u == null)
        {
            await GraphError(req, 404, "itemNotFound", "The upload session was not found.");
            return;
        }
        await u.Gate.WaitAsync(req.Http.RequestAborted);
        try
        {
            var m = ContentRange().Match(req.Http.Request.Headers.ContentRange.ToString());
            if (!m.Success || !long.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var first)
                || !long.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out var last)
                || !long.TryParse(m.Groups[3].Value, CultureInfo.InvariantCulture, out var total))
            {
                await GraphError(req, 400, "invalidRequest", "The Content-Range header is missing or malformed.");
                return;
            }
            if (last < first || last >= total || (u.Total >= 0 && total != u.Total))
            {
                await GraphError(req, 416, "invalidRange", "The Content-Range header does not describe a valid fragment of this upload.");
                return;
            }
            var length = last - first + 1;
            if (req.Http.Request.ContentLength != length)
            {
                await GraphError(req, 400, "invalidRequest", "Declared fragment length does not match the provided number of bytes.");
                return;
            }
            if (first < u.Received)
            {
                await GraphError(req, 416, "invalidRange", "The uploaded fragment overlaps with data that has already been received.", "fragmentOverlap");
                return;
            }
            if (first > u.Received)
            {
                await GraphError(req, 416, "invalidRange", "The uploaded fragment is not contiguous with the data received so far.", "fragmentOutOfOrder");
                return;
            }

            var partial = PartialPath(req.App, u.SourceName);
            var (outcome, _) = await BodyWriter.WriteAsync(req.Http, partial, first, length, Faults.Roll(req.App.Faults.Current.DropConnectionRate));
            if (outcome != BodyWriter.Outcome.Complete)
            {
                BodyWriter.Truncate(partial, first);
                if (outcome == BodyWriter.Outcome.Short && !req.Http.RequestAborted.IsCancellationRequested)
                    await GraphError(req, 400, "invalidRequest", "Declared fragment length does not match the provided number of bytes.");
                return;
            }
            u.Received = last + 1;
            u.Total = total;
            if (u.Received < total)
            {
                await Json(req, SessionJson(u), 202);
                return;
            }

            // Complete: the drive item appears and the session ends.
            System.IO.File.Move(partial, req.App.Blobs.PathOf(u.SourceName), overwrite: false);
            req.App.ProviderUploads.Remove(u.Token);
            await Json(req, new JsonObject
            {
                ["id"] = "SANDBOX!" + u.Token[..16],
                ["name"] = u.Name,
                ["size"] = total,
                ["file"] = new JsonObject { ["mimeType"] = ServeFile.ContentType(u.Name).Split(';')[0] },
            }, 201);
        }
        finally
        {
            u.Gate.Release();
        }
    }

    private static Task Status(Req req)
    {
        var u = Find(req);
        return u == null ? GraphError(req, 404, "itemNotFound", "The upload session was not found.") : Json(req, SessionJson(u), 200);
    }

    private static Task Cancel(Req req)
    {
        var u = Find(req);
        if (u == null) return GraphError(req, 404, "itemNotFound", "The upload session was not found.");
        req.App.ProviderUploads.Remove(u.Token);
        BodyWriter.Truncate(PartialPath(req.App, u.SourceName), 0);
        req.Http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static async Task Content(Req req)
    {
        var key = req.Param("key").TrimStart('/');
        if (!req.App.Providers.OneDriveVerify(key, req.Query("tempauth")))
        {
            await GraphError(req, 401, "unauthenticated", "The pre-authenticated download URL is invalid or has expired.");
            return;
        }
        var file = req.App.Db.Read(c => Objects.FilesWhere(c, "source_name=$s AND upload_session_id IS NULL ORDER BY id LIMIT 1", null, ("$s", key)).FirstOrDefault());
        if (file == null || !req.App.Blobs.Exists(key))
        {
            await GraphError(req, 404, "itemNotFound", "The resource could not be found.");
            return;
        }
        req.Http.Response.Headers.ContentDisposition = "attachment; filename*=UTF-8''" + Uri.EscapeDataString(file.Name);
        if (await req.App.Faults.FailContentGetAsync(req.Http)) return;
        await ServeFile.SendAsync(req.Http, req.App.Blobs.PathOf(key), file.Name, new DateTime(file.UpdatedAt, DateTimeKind.Utc),
            Faults.Roll(req.App.Faults.Current.DropConnectionRate));
    }
}

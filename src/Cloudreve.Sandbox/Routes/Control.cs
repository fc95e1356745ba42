using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Sandbox-only control routes under /_sandbox/ (loopback clients only; not part of Cloudreve).</summary>
internal static class Control
{
    public static void Map(Router r)
    {
        r.Post("/_sandbox/sessions/expire", ExpireSessions);
        r.Post("/_sandbox/sessions/expire-access", ExpireAccessTokens);
        r.Get("/_sandbox/sessions", req => req.Json(new JsonObject { ["tokenFamilies"] = req.App.V4Tokens.LiveFamilies }));
        r.Get("/_sandbox/requests", req => req.Json(req.App.Requests.ToJson()));
        r.Delete("/_sandbox/requests", req =>
        {
            req.App.Requests.Clear();
            return req.Json(new JsonObject { ["count"] = 0 });
        });
        r.Post("/_sandbox/downloads/expire", ExpireDownloads);
        r.Post("/_sandbox/uploads/expire", ExpireUploads);
        r.Get("/_sandbox/faults", req => req.Json(FaultsJson(req.App.Faults.Current)));
        r.Post("/_sandbox/faults", SetFaults);
    }

    private static Task ExpireSessions(Req req)
    {
        var n = ExpireAllLogins(req.App);
        return req.Json(new JsonObject { ["expired"] = n });
    }

    /// <summary>4.18.0: access tokens issued before this second read as expired; refresh tokens keep working.</summary>
    private static Task ExpireAccessTokens(Req req)
    {
        if (!req.App.Options.IsV4) return BadRequest(req, "Only a 4.18.0 sandbox issues access tokens.");
        req.App.V4Tokens.ExpireAccessTokens();
        return req.Json(new JsonObject { ["expired"] = true });
    }

    /// <summary>v3: every cookie session logs out; 4.18.0: every access and refresh token issued so far stops working.</summary>
    public static int ExpireAllLogins(App app)
    {
        var n = app.Sessions.ExpireLogins();
        if (app.Options.IsV4) n += app.V4Tokens.RevokeAll();
        return n;
    }

    /// <summary>Every download URL issued so far expires (local: 40005; S3: 403 AccessDenied; Graph: 401).</summary>
    private static async Task ExpireDownloads(Req req)
    {
        await req.App.DownloadRevocation.ExpireAllAsync(req.Http.RequestAborted);
        req.App.V4Downloads.ForgetAll(); // 4.18.0: cached URLs are not handed out again
        await req.Json(new JsonObject { ["expired"] = true });
    }

    /// <summary>Every open upload session expires now: 40011 on the next chunk; the placeholder stays (40054) until cancelled.</summary>
    private static Task ExpireUploads(Req req)
    {
        var n = req.App.Db.Write((c, tx) => Data.Uploads.ExpireAll(c, tx) + V4.UploadStore.ExpireAll(c, tx));
        req.App.ProviderUploads.ExpireAll();
        return req.Json(new JsonObject { ["expired"] = n });
    }

    private static async Task SetFaults(Req req)
    {
        using var ms = new MemoryStream();
        await req.Http.Request.Body.CopyToAsync(ms, req.Http.RequestAborted);
        var body = JsonBody.Parse(ms.ToArray());
        if (body == null || body.TypeError)
        {
            await BadRequest(req, "Body must be a JSON object.");
            return;
        }

        var f = req.App.Faults.Current;
        try
        {
            if (body.Has("chunkFailureRate")) f = f with { ChunkFailureRate = Rate(body, "chunkFailureRate") };
            if (body.Has("dropConnectionRate")) f = f with { DropConnectionRate = Rate(body, "dropConnectionRate") };
            if (body.Has("downloadFailureRate")) f = f with { DownloadFailureRate = Rate(body, "downloadFailureRate") };
            if (body.Has("lostAnswerRate")) f = f with { LostAnswerRate = Rate(body, "lostAnswerRate") };
            if (body.Has("latencyMs")) f = f with { LatencyMs = (int)NonNegative(body, "latencyMs") };
            if (body.Has("downloadUrlTtlSeconds"))
                f = f with { DownloadUrlTtlSeconds = (int)NonNegative(body, "downloadUrlTtlSeconds") };
            else if (body.Present("downloadUrlTtlSeconds"))
                f = f with { DownloadUrlTtlSeconds = null };
        }
        catch (FormatException ex)
        {
            await BadRequest(req, ex.Message);
            return;
        }
        req.App.Faults.Current = f;
        await req.Json(FaultsJson(f));
    }

    private static double Rate(JsonBody b, string name)
    {
        var el = b.Raw(name)!.Value;
        if (el.ValueKind != System.Text.Json.JsonValueKind.Number || !el.TryGetDouble(out var d) || d < 0 || d > 1)
            throw new FormatException($"{name} must be a number between 0 and 1.");
        return d;
    }

    private static long NonNegative(JsonBody b, string name)
    {
        var el = b.Raw(name)!.Value;
        if (el.ValueKind != System.Text.Json.JsonValueKind.Number || !el.TryGetInt32(out var n) || n < 0)
            throw new FormatException($"{name} must be a non-negative integer.");
        return n;
    }

    private static Task BadRequest(Req req, string message) =>
        req.Json(new JsonObject { ["error"] = message }, 400);

    public static JsonObject FaultsJson(FaultSettings f) => new()
    {
        ["chunkFailureRate"] = f.ChunkFailureRate,
        ["dropConnectionRate"] = f.DropConnectionRate,
        ["downloadFailureRate"] = f.DownloadFailureRate,
        ["lostAnswerRate"] = f.LostAnswerRate,
        ["latencyMs"] = f.LatencyMs,
        ["downloadUrlTtlSeconds"] = f.DownloadUrlTtlSeconds,
    };
}

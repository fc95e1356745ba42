using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The 4.18 image captcha (<c>--login-captcha</c>, type normal): <c>GET /site/captcha</c> answers <c>{image, ticket}</c>
/// and <c>POST /session/token</c> then needs <c>captcha</c> and <c>ticket</c> in its body (reference 2.1, 2.7). As in
/// Cloudreve's CaptchaRequired middleware, a missing, unknown or wrong answer is code 40026 "CAPTCHA not match." with a
/// correlation id, checked before the login body is bound; a ticket is used up by its first check, right or wrong.
/// </summary>
internal sealed class V4Captcha
{
    private const int LifetimeSeconds = 600;
    private readonly ConcurrentDictionary<string, (string Code, long Expires)> _tickets = new();

    public static void Map(Router r) => r.Get(V4Routes.Prefix + "/site/captcha", Image);

    private static Task Image(Req req)
    {
        var ticket = req.App.V4Captcha.Issue(out _);
        return req.Json(V4Envelope.Ok(new JsonObject { ["image"] = CaptchaImage.DataUrl(), ["ticket"] = ticket }));
    }

    /// <summary>A new ticket; <paramref name="code"/> is what the image would show.</summary>
    public string Issue(out string code)
    {
        var ticket = Guid.NewGuid().ToString("N")[..20];
        code = CaptchaImage.NewCode();
        _tickets[ticket] = (code, GoTime.NowUnix() + LifetimeSeconds);
        return ticket;
    }

    /// <summary>Throws 40026 unless <paramref name="body"/> carries a live ticket and its answer (case-insensitive).</summary>
    public void Check(JsonBody? body)
    {
        var fail = new V4Exception(40026, "CAPTCHA not match.");
        if (body == null) throw fail;
        var ticket = body.Str("ticket");
        var answer = body.Str("captcha");
        if (body.TypeError) throw fail;
        if (ticket.Length == 0 || !_tickets.TryRemove(ticket, out var expected)) throw fail;
        if (expected.Expires <= GoTime.NowUnix() || !string.Equals(expected.Code, answer, StringComparison.OrdinalIgnoreCase)) throw fail;
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace Cloudreve.Conformance;

/// <summary>
/// A Cloudreve 4.18 client for the checks: paths relative to /api/v4, <c>Authorization: Bearer</c> with the access
/// token of the last login or refresh (reference section 0, 2). No cookies.
/// </summary>
public sealed class V4Client : IDisposable
{
    private readonly ApiClient _http;

    public V4Client(Uri baseUri) => _http = new ApiClient(baseUri, cookies: false);

    public Uri BaseUri => _http.BaseUri;

    /// <summary>The bearer sent with every call (null: anonymous).</summary>
    public string? AccessToken { get; set; }

    public string? RefreshToken { get; set; }

    /// <summary>The user object of the last login.</summary>
    public JsonElement User { get; private set; }

    /// <summary>Sends to an /api/v4 route ("/file"), or as is to an absolute URL or a path outside the API
    /// ("/api/v3/...", "/_sandbox/...", "/s/...", "/f/...", "/dav...").</summary>
    public Task<Reply> Send(HttpMethod method, string api, object? body = null, Action<System.Net.Http.HttpRequestMessage>? configure = null) =>
        _http.Send(method, IsOutsideApi(api) ? api : "/api/v4" + api, Body(body), m =>
        {
            if (AccessToken != null) m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            configure?.Invoke(m);
        });

    private static bool IsOutsideApi(string path) =>
        new[] { "http://", "https://", "/api/", "/_sandbox/", "/s/", "/f/", "/dav" }.Any(p => path.StartsWith(p, StringComparison.Ordinal));

    public Task<Reply> Get(string api) => Send(HttpMethod.Get, api);
    public Task<Reply> Post(string api, object? body) => Send(HttpMethod.Post, api, body);
    public Task<Reply> Put(string api, object? body) => Send(HttpMethod.Put, api, body);
    public Task<Reply> Patch(string api, object? body) => Send(HttpMethod.Patch, api, body);
    public Task<Reply> Delete(string api, object? body = null) => Send(HttpMethod.Delete, api, body);

    /// <summary>The URI escaped once more for a query string (reference 4.2 rule 3).</summary>
    public static string Q(string uri) => Uri.EscapeDataString(uri);

    /// <summary>GET /file?uri= (one page).</summary>
    public Task<Reply> List(string uri, string extra = "") => Get("/file?uri=" + Q(uri) + extra);

    /// <summary>GET /file/info?uri=.</summary>
    public Task<Reply> Info(string uri, string extra = "") => Get("/file/info?uri=" + Q(uri) + extra);

    public Task<Reply> Create(string uri, string type, bool? errOnConflict = null) =>
        errOnConflict == null ? Post("/file/create", new { uri, type }) : Post("/file/create", new { uri, type, err_on_conflict = errOnConflict });

    /// <summary>Password login (section 2.1), then the second factor when the reply is 203 (section 2.3). Returns the final reply.</summary>
    public async Task<Reply> Login(string email, string password, string? totpSecret)
    {
        AccessToken = null;
        var r = await Post("/session/token", new { email, password });
        if (r.Code == 203)
        {
            if (totpSecret == null) throw new XunitException($"{r.Route}: the account has 2FA; set CLOUDREVE_TEST_TOTP to its base32 secret.");
            r = await Post("/session/token/2fa", new { otp = Totp.Code(totpSecret), session_id = r.Data.GetString() });
        }
        var d = Expect.Ok(r);
        User = d.GetProperty("user").Clone();
        Take(d.GetProperty("token"));
        return r;
    }

    /// <summary>Stores the tokens of a token object {access_token, refresh_token, ...}.</summary>
    public void Take(JsonElement token)
    {
        AccessToken = token.GetProperty("access_token").GetString();
        RefreshToken = token.GetProperty("refresh_token").GetString();
    }

    /// <summary>DELETE /session/token with the refresh token (section 2.6).</summary>
    public async Task SignOut()
    {
        if (RefreshToken != null) await Delete("/session/token", new { refresh_token = RefreshToken });
    }

    private static HttpContent? Body(object? body) => body switch
    {
        null => null,
        HttpContent c => c,
        string s => new StringContent(s, Encoding.UTF8, "application/json"),
        _ => new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };

    public void Dispose() => _http.Dispose();
}

/// <summary>v4-specific assertions.</summary>
public static class V4Expect
{
    /// <summary>HTTP 200, the code and (when given) msg, and a correlation_id (most errors carry one, reference 1.1).</summary>
    public static void Error(Reply r, int code, string? msg = null, bool correlation = true)
    {
        Expect.Code(r, code, msg);
        var has = r.Json.TryGetProperty("correlation_id", out var c) && c.ValueKind == JsonValueKind.String && c.GetString()!.Length > 0;
        Expect.That(r, has == correlation, correlation ? "a correlation_id" : "no correlation_id");
    }

    /// <summary>40081 whose aggregated_error maps <paramref name="key"/> to an inner error with that code.</summary>
    public static JsonElement Aggregated(Reply r, string key, int innerCode)
    {
        Expect.Code(r, 40081);
        Expect.That(r, r.Json.TryGetProperty("aggregated_error", out var agg) && agg.ValueKind == JsonValueKind.Object, "an aggregated_error object");
        Expect.That(r, agg.TryGetProperty(key, out var inner), $"aggregated_error[\"{key}\"]");
        Expect.Equal(r, innerCode, inner.GetProperty("code").GetInt32(), $"aggregated_error[\"{key}\"].code");
        return inner;
    }

    /// <summary>The plain-text 404 of an unknown route (reference 1.2, cap 101, 102).</summary>
    public static void PlainNotFound(Reply r)
    {
        Expect.Status(r, 404);
        Expect.Equal(r, "404 page not found", r.Text, "body");
        Expect.That(r, r.Header("Content-Type").StartsWith("text/plain", StringComparison.Ordinal), "Content-Type text/plain");
    }

    /// <summary>Names of the files of a listing page.</summary>
    public static List<string> Names(JsonElement listing) =>
        listing.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace Cloudreve.Conformance;

/// <summary>One HTTP exchange, kept for assertions and failure messages.</summary>
public sealed class Reply
{
    private JsonElement? _json;

    public Reply(string route, HttpResponseMessage response, byte[] body)
    {
        Route = route;
        Status = response.StatusCode;
        Headers = response.Headers;
        ContentHeaders = response.Content.Headers;
        Bytes = body;
    }

    /// <summary>"METHOD /path" as sent.</summary>
    public string Route { get; }
    public HttpStatusCode Status { get; }
    public HttpResponseHeaders Headers { get; }
    public HttpContentHeaders ContentHeaders { get; }
    public byte[] Bytes { get; }
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>A header as sent (not re-formatted by HttpClient's parsers).</summary>
    public string Header(string name) =>
        Headers.NonValidated.TryGetValues(name, out var v) || ContentHeaders.NonValidated.TryGetValues(name, out v) ? string.Join(", ", v) : "";

    public JsonElement Json
    {
        get
        {
            if (_json != null) return _json.Value;
            try
            {
                _json = JsonDocument.Parse(Bytes).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new XunitException($"{Route}: expected a JSON body, got HTTP {(int)Status} {Shorten(Text)}");
            }
            return _json.Value;
        }
    }

    public int Code => Json.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32()
        : throw new XunitException($"{Route}: expected a Cloudreve envelope, got HTTP {(int)Status} {Shorten(Text)}");

    public JsonElement Data => Json.TryGetProperty("data", out var d) ? d : throw new XunitException($"{Route}: expected a data field, got {Shorten(Text)}");

    public override string ToString() => $"HTTP {(int)Status} {Shorten(Text)}";

    public static string Shorten(string s) => s.Length > 600 ? s[..600] + "…" : s;
}

/// <summary>Assertions whose failure message names the route, what was expected and what came back.</summary>
public static class Expect
{
    private static XunitException Fail(Reply r, string expected) => new($"{r.Route}: expected {expected}; got {r}");

    /// <summary>HTTP 200 with code 0; returns data (or an undefined element when there is none).</summary>
    public static JsonElement Ok(Reply r)
    {
        if (r.Status != HttpStatusCode.OK || r.Code != 0) throw Fail(r, "HTTP 200 with code 0");
        return r.Json.TryGetProperty("data", out var d) ? d : default;
    }

    public static void Code(Reply r, int code, string? msg = null, int http = 200)
    {
        if ((int)r.Status != http || r.Code != code) throw Fail(r, $"HTTP {http} with code {code}{(msg == null ? "" : $" and msg \"{msg}\"")}");
        if (msg != null && r.Json.GetProperty("msg").GetString() != msg) throw Fail(r, $"code {code} with msg \"{msg}\"");
    }

    public static void Status(Reply r, int http)
    {
        if ((int)r.Status != http) throw Fail(r, $"HTTP {http}");
    }

    /// <summary>The object's keys, in this order (Cloudreve's field order).</summary>
    public static void Keys(Reply r, JsonElement e, params string[] keys)
    {
        var actual = e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Select(p => p.Name).ToArray() : [];
        if (!actual.SequenceEqual(keys))
            throw new XunitException($"{r.Route}: expected keys [{string.Join(", ", keys)}]; got [{string.Join(", ", actual)}] in {Reply.Shorten(e.GetRawText())}");
    }

    /// <summary>The object has at least these keys (any order).</summary>
    public static void HasKeys(Reply r, JsonElement e, params string[] keys)
    {
        var actual = e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
        var missing = keys.Where(k => !actual.Contains(k)).ToList();
        if (missing.Count > 0) throw new XunitException($"{r.Route}: missing keys [{string.Join(", ", missing)}] in {Reply.Shorten(e.GetRawText())}");
    }

    public static void That(Reply r, bool condition, string expected)
    {
        if (!condition) throw Fail(r, expected);
    }

    public static void Equal<T>(Reply r, T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual)) throw new XunitException($"{r.Route}: expected {what} = {expected}; got {actual}");
    }
}

/// <summary>An HTTP client with its own cookie jar (one Cloudreve session).</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(Uri baseUri, bool cookies = true)
    {
        BaseUri = baseUri;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    public Uri BaseUri { get; }

    /// <summary>Sends to a path on the server ("/api/v3/..." or "/f/...") or to an absolute URL.</summary>
    public async Task<Reply> Send(HttpMethod method, string pathOrUrl, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var uri = Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var abs) && abs.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? abs : new Uri(BaseUri, pathOrUrl.TrimStart('/'));
        using var msg = new HttpRequestMessage(method, uri) { Content = content };
        configure?.Invoke(msg);
        using var resp = await _http.SendAsync(msg);
        var bytes = await resp.Content.ReadAsByteArrayAsync();
        return new Reply($"{method} {uri.PathAndQuery}", resp, bytes);
    }

    private static HttpContent? Body(object? body) => body switch
    {
        null => null,
        HttpContent c => c,
        string s => new StringContent(s, Encoding.UTF8, "application/json"),
        _ => new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };

    public Task<Reply> Get(string api) => Send(HttpMethod.Get, "/api/v3" + api);
    public Task<Reply> Post(string api, object? body) => Send(HttpMethod.Post, "/api/v3" + api, Body(body));
    public Task<Reply> Put(string api, object? body = null) => Send(HttpMethod.Put, "/api/v3" + api, Body(body));
    public Task<Reply> Patch(string api, object? body) => Send(HttpMethod.Patch, "/api/v3" + api, Body(body));
    public Task<Reply> Delete(string api, object? body = null) => Send(HttpMethod.Delete, "/api/v3" + api, Body(body));

    /// <summary>Password login, then the second factor when the server asks for it (code 203).</summary>
    public async Task Login(string email, string password, string? totpSecret)
    {
        var r = await Post("/user/session", new { userName = email, Password = password, captchaCode = "" });
        if (r.Code == 203)
        {
            if (totpSecret == null) throw new XunitException($"{r.Route}: the account has 2FA; set CLOUDREVE_TEST_TOTP to its base32 secret.");
            r = await Post("/user/2fa", new { code = Totp.Code(totpSecret) });
        }
        Expect.Ok(r);
    }

    public void Dispose() => _http.Dispose();
}

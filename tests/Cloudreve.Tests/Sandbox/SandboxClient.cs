using Xunit;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Tests.Sandbox;

/// <summary>An HTTP client with its own cookie jar talking to a sandbox over loopback.</summary>
public sealed class SandboxClient : IDisposable
{
    private readonly HttpClient _http;

    public SandboxClient(Uri baseUri)
    {
        BaseUri = baseUri;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseUri { get; }
    public CookieContainer Cookies { get; }
    public HttpClient Http => _http;

    public static string ApiPath(string path) => "api/v3" + path;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var msg = new HttpRequestMessage(method, path.StartsWith('/') ? path[1..] : path) { Content = content };
        return _http.SendAsync(msg);
    }

    public async Task<JsonElement> CallAsync(HttpMethod method, string apiPath, object? body = null)
    {
        HttpContent? content = body switch
        {
            null => null,
            string s => new StringContent(s, Encoding.UTF8, "application/json"),
            _ => new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        using var resp = await SendAsync(method, ApiPath(apiPath), content);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("application/json; charset=utf-8", resp.Content.Headers.ContentType?.ToString());
        var text = await resp.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string apiPath) => CallAsync(HttpMethod.Get, apiPath);
    public Task<JsonElement> PostAsync(string apiPath, object? body) => CallAsync(HttpMethod.Post, apiPath, body);
    public Task<JsonElement> PutAsync(string apiPath, object? body) => CallAsync(HttpMethod.Put, apiPath, body);
    public Task<JsonElement> PatchAsync(string apiPath, object? body) => CallAsync(HttpMethod.Patch, apiPath, body);
    public Task<JsonElement> DeleteAsync(string apiPath, object? body = null) => CallAsync(HttpMethod.Delete, apiPath, body);

    public async Task<JsonElement> LoginAsync(string email, string password)
    {
        var r = await PostAsync("/user/session", new { userName = email, Password = password, captchaCode = "" });
        return r;
    }

    public async Task LoginOkAsync(string email, string password)
    {
        var r = await LoginAsync(email, password);
        Assert.Equal(0, Code(r));
    }

    public string? SessionCookie => Cookies.GetCookies(BaseUri)["cloudreve-session"]?.Value;

    public void SetSessionCookie(string value) => Cookies.Add(BaseUri, new Cookie("cloudreve-session", value, "/"));

    public static int Code(JsonElement e) => e.GetProperty("code").GetInt32();

    public static string Msg(JsonElement e) => e.GetProperty("msg").GetString()!;

    public static void AssertCode(int code, JsonElement e, string? msg = null)
    {
        Assert.True(code == Code(e), $"expected code {code}, got {e}");
        if (msg != null) Assert.Equal(msg, Msg(e));
    }

    public static List<string> Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToList();

    public void Dispose() => _http.Dispose();
}

/// <summary>Starts a fresh in-process sandbox per test class instance.</summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    protected const string AdminPassword = "admin-pass-123";
    protected const string UserEmail = "user@example.com";
    protected const string UserPassword = "user-pass-123";

    protected SandboxHost Host { get; private set; } = null!;

    protected virtual void Configure(SandboxOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var o = new SandboxOptions { AdminPassword = AdminPassword };
        o.Users.Add(new SandboxUser(UserEmail, UserPassword));
        Configure(o);
        Host = await SandboxHost.StartAsync(o);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected SandboxClient NewClient() => new(Host.BaseUri);

    protected async Task<SandboxClient> AdminAsync()
    {
        var c = NewClient();
        await c.LoginOkAsync(Host.AdminEmail, AdminPassword);
        return c;
    }

    protected async Task<SandboxClient> UserAsync()
    {
        var c = NewClient();
        await c.LoginOkAsync(UserEmail, UserPassword);
        return c;
    }
}

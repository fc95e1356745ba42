using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// A sandbox of one Cloudreve generation (3.8.3 or 4.18.0) and a runspace with the module's cmdlets, so that
/// one test body runs against both generations over real HTTP on loopback.
/// </summary>
internal sealed class GenerationSandbox : IAsyncDisposable
{
    public const string UserEmail = "dora@example.com";
    public const string UserPassword = "Dora-pass-123";
    public const string TotpEmail = "tess@example.com";
    public const string TotpPassword = "Tess-pass-123";
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    private GenerationSandbox(SandboxHost host, Runspace runspace)
    {
        Host = host;
        Runspace = runspace;
    }

    public SandboxHost Host { get; }

    public Runspace Runspace { get; }

    public bool IsV4 => Host.ServerVersion == ServerVersions.V4;

    public static async Task<GenerationSandbox> StartAsync(string serverVersion, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { AdminPassword = "Admin-pass-123", ServerVersion = serverVersion };
        options.Users.Add(new SandboxUser(UserEmail, UserPassword));
        options.Users.Add(new SandboxUser(TotpEmail, TotpPassword, totpSecret: TotpSecret));
        configure?.Invoke(options);
        var host = await SandboxHost.StartAsync(options);
        return new GenerationSandbox(host, Support.ModuleRunspace.Open());
    }

    public (Collection<PSObject> Output, List<ErrorRecord> Errors) Invoke(string script, IDictionary<string, object>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Runspace;
        foreach (var pair in variables ?? new Dictionary<string, object>())
        {
            Runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
        }

        ps.AddScript(script);
        try
        {
            var output = ps.Invoke();
            return (output, ps.Streams.Error.ToList());
        }
        catch (RuntimeException ex) when (ex.ErrorRecord != null)
        {
            // A terminating error (ThrowTerminatingError): count it like a written one.
            return (new Collection<PSObject>(), ps.Streams.Error.Append(ex.ErrorRecord).ToList());
        }
    }

    /// <summary>Runs a script that must write no error and returns its output objects.</summary>
    public List<object> Run(string script, IDictionary<string, object>? variables = null)
    {
        var (output, errors) = Invoke(script, variables);
        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"'{script}' wrote errors on {Host.ServerVersion}: " + string.Join(" | ", errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
        }

        return output.Select(o => o.BaseObject).ToList();
    }

    public Dictionary<string, object> Login(string user = UserEmail, string password = UserPassword) => new()
    {
        ["uri"] = Host.BaseUri,
        ["cred"] = new PSCredential(user, Internal.Secrets.Protect(password)),
    };

    public void Connect() => Run("Connect-Cloudreve -Uri $uri -Credential $cred", Login());

    /// <summary>The sandbox's request log: method, path and query of every request, oldest first.</summary>
    public async Task<List<(string Method, string Path, string Query)>> RequestsAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseUri };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("_sandbox/requests"));
        return doc.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => (r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!, r.TryGetProperty("query", out var q) ? q.GetString() ?? "" : "")).ToList();
    }

    public async Task ClearRequestsAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseUri };
        using var _ = await http.DeleteAsync("_sandbox/requests");
    }

    /// <summary>
    /// Puts a file on the server as the test user without the module's uploads: the v3 sandbox through
    /// Send-CloudreveFile, the v4 sandbox through its own upload routes (PUT /file/upload, one chunk).
    /// </summary>
    public async Task PutFileAsync(string path, byte[] content)
    {
        if (!IsV4)
        {
            var local = Path.Combine(Path.GetTempPath(), "cr-gen-" + Guid.NewGuid().ToString("N"), Path.GetFileName(path));
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, content);
            try
            {
                var folder = path.Substring(0, path.LastIndexOf('/'));
                Run("Send-CloudreveFile -LiteralPath $local -Destination $folder | Out-Null", new Dictionary<string, object> { ["local"] = local, ["folder"] = folder.Length == 0 ? "/" : folder });
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(local)!, true);
            }

            return;
        }

        using var http = new HttpClient { BaseAddress = new Uri(Host.BaseUri, "api/v4/") };
        static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
        using var login = JsonDocument.Parse(await (await http.PostAsync("session/token", Json(new { email = UserEmail, password = UserPassword }))).Content.ReadAsStringAsync());
        var token = login.RootElement.GetProperty("data").GetProperty("token").GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var uri = Api.V4.CloudreveUris.FromPath(path);
        using var put = new HttpRequestMessage(HttpMethod.Put, "file/upload") { Content = Json(new { uri, size = content.Length }) };
        using var session = JsonDocument.Parse(await (await http.SendAsync(put)).Content.ReadAsStringAsync());
        var sessionId = session.RootElement.GetProperty("data").GetProperty("session_id").GetString();
        var chunk = new ByteArrayContent(content);
        chunk.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var done = JsonDocument.Parse(await (await http.PostAsync($"file/upload/{sessionId}/0", chunk)).Content.ReadAsStringAsync());
        if (done.RootElement.GetProperty("code").GetInt32() != 0)
        {
            throw new InvalidOperationException("The sandbox refused the chunk: " + done.RootElement.GetRawText());
        }
    }

    /// <summary>The raw request log (headers included, secrets redacted by the sandbox).</summary>
    public async Task<JsonElement[]> RawRequestsAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseUri };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("_sandbox/requests"));
        return doc.RootElement.GetProperty("requests").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Runspace.Dispose();
        await Host.DisposeAsync();
    }
}

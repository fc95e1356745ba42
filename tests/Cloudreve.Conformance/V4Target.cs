using System.Globalization;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Conformance;

/// <summary>
/// The Cloudreve generation of the server under test. Without CLOUDREVE_TEST_URI both generations run (a 3.8.3 and a
/// 4.18.0 sandbox in process); with it, the generation is detected by the ping (reference v4 section 3):
/// <c>GET /api/v4/site/ping</c> answering code 0 with a SemVer 4.x means v4, otherwise v3.
/// </summary>
public static class TargetGeneration
{
    private static readonly Lazy<int> Detected = new(() =>
    {
        try
        {
            using var c = new ApiClient(new Uri(TargetEnvironment.Uri!.TrimEnd('/') + "/"), cookies: false);
            var r = c.Send(HttpMethod.Get, "/api/v4/site/ping").GetAwaiter().GetResult();
            if ((int)r.Status == 200 && r.Json.TryGetProperty("code", out var code) && code.GetInt32() == 0
                && r.Json.GetProperty("data").GetString() is { } v && Version.TryParse(v.Split('-')[0], out var ver) && ver.Major >= 4)
                return 4;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or Xunit.Sdk.XunitException or TaskCanceledException)
        {
        }
        return 3;
    });

    /// <summary>True when the v3 checks run (always against sandboxes; a real server when it is not v4).</summary>
    public static bool RunsV3 => !TargetEnvironment.IsReal || Detected.Value == 3;

    /// <summary>True when the v4 checks run (always against sandboxes; a real server when its ping says 4.x).</summary>
    public static bool RunsV4 => !TargetEnvironment.IsReal || Detected.Value == 4;
}

/// <summary>
/// The accounts of a real v4 server: CLOUDREVE_TEST_USER/PASSWORD (CLOUDREVE_TEST_TOTP for a 2FA admin) and
/// optionally CLOUDREVE_TEST_USER2/CLOUDREVE_TEST_PASSWORD2, an ordinary user.
/// </summary>
public static class V4Environment
{
    public static readonly string? User2 = Environment.GetEnvironmentVariable("CLOUDREVE_TEST_USER2") is { Length: > 0 } u ? u : null;
    public static readonly string? Password2 = Environment.GetEnvironmentVariable("CLOUDREVE_TEST_PASSWORD2") is { Length: > 0 } p ? p : null;

    private static readonly Lazy<bool> AdminProbe = new(() =>
    {
        try
        {
            using var c = new V4Client(new Uri(TargetEnvironment.Uri!.TrimEnd('/') + "/"));
            c.Login(TargetEnvironment.User ?? "", TargetEnvironment.Password ?? "", TargetEnvironment.Totp).GetAwaiter().GetResult();
            var r = c.Get("/admin/user/1").GetAwaiter().GetResult();
            c.SignOut().GetAwaiter().GetResult();
            return r.Code == 0;
        }
        catch (Exception)
        {
            return false;
        }
    });

    /// <summary>The main account is an administrator (always in the sandbox).</summary>
    public static bool IsAdmin => !TargetEnvironment.IsReal || AdminProbe.Value;
}

/// <summary>A Cloudreve 4.18 check: runs against the 4.18.0 sandbox, and against a real server whose ping says 4.x.</summary>
public class V4CheckAttribute : FactAttribute
{
    public V4CheckAttribute()
    {
        if (!TargetGeneration.RunsV4) Skip = "The server under test is Cloudreve 3.x; this is a 4.18 check.";
    }
}

/// <summary>A v4 check that changes server state or needs sandbox control routes/options; never runs against a real server.</summary>
public sealed class V4SandboxCheckAttribute : V4CheckAttribute
{
    public V4SandboxCheckAttribute()
    {
        if (TargetEnvironment.IsReal) Skip = "Needs a 4.18.0 sandbox (changes accounts or settings, or uses /_sandbox routes); not run against a real server.";
    }
}

/// <summary>A v4 check of the 2FA login of the main account (on a real server only when CLOUDREVE_TEST_TOTP is set).</summary>
public sealed class V4TotpCheckAttribute : V4CheckAttribute
{
    public V4TotpCheckAttribute()
    {
        if (TargetEnvironment.IsReal && TargetEnvironment.Totp == null) Skip = "The account has no 2FA secret in CLOUDREVE_TEST_TOTP.";
    }
}

/// <summary>A v4 check needing a second, ordinary account (sandbox: built in; real server: CLOUDREVE_TEST_USER2/PASSWORD2).</summary>
public sealed class V4SecondUserCheckAttribute : V4CheckAttribute
{
    public V4SecondUserCheckAttribute()
    {
        if (TargetEnvironment.IsReal && (V4Environment.User2 == null || V4Environment.Password2 == null))
            Skip = "No second account: set CLOUDREVE_TEST_USER2 and CLOUDREVE_TEST_PASSWORD2.";
    }
}

/// <summary>A read-only v4 admin check (on a real server only when the main account is an administrator).</summary>
public sealed class V4AdminCheckAttribute : V4CheckAttribute
{
    public V4AdminCheckAttribute()
    {
        if (!V4Environment.IsAdmin) Skip = "The CLOUDREVE_TEST_USER account is not an administrator.";
    }
}

[CollectionDefinition(Name)]
public sealed class V4TargetCollection : ICollectionFixture<V4Target>
{
    public const string Name = "target-v4";
}

/// <summary>
/// The 4.18 server under test: an in-process 4.18.0 sandbox (admin with a known password, a second user, a 2FA
/// user, chunk size 1000), or the real server of CLOUDREVE_TEST_URI. Everything the checks create lives below one
/// work folder, <c>cloudreve://my/cr-conformance-v4-&lt;time&gt;-&lt;random&gt;</c>; at the end the suite deletes from the
/// trash whatever came from that folder, deletes the folder for good and signs its logins out.
/// </summary>
public sealed class V4Target : IAsyncLifetime
{
    public const string SandboxAdminPassword = "conformance-admin-4";
    public const string SecondEmail = "second@conformance.local";
    public const string SecondPassword = "second-pass-4";
    public const string TotpEmail = "totp@conformance.local";
    public const string TotpPassword = "totp-pass-4";
    public const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private readonly List<V4Client> _clients = new();
    private int _counter;

    public SandboxHost? Sandbox { get; private set; }
    public Uri BaseUri { get; private set; } = null!;
    public string Email { get; private set; } = "";
    public string Password { get; private set; } = "";
    public string? TotpSecretOfAccount { get; private set; }

    /// <summary>A client logged in as the main account, shared by the checks (they run one after the other).</summary>
    public V4Client Main { get; private set; } = null!;

    /// <summary>Name of the suite's own folder in the account's root.</summary>
    public string WorkName { get; } = "cr-conformance-v4-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..4];

    /// <summary>cloudreve://my/&lt;work folder&gt;</summary>
    public string WorkUri => "cloudreve://my/" + WorkName;

    public async Task InitializeAsync()
    {
        if (!TargetGeneration.RunsV4) return; // a real 3.x server: every v4 check is skipped
        if (TargetEnvironment.IsReal)
        {
            BaseUri = new Uri(TargetEnvironment.Uri!.TrimEnd('/') + "/");
            Email = TargetEnvironment.User ?? throw new InvalidOperationException("CLOUDREVE_TEST_USER is not set.");
            Password = TargetEnvironment.Password ?? throw new InvalidOperationException("CLOUDREVE_TEST_PASSWORD is not set.");
            TotpSecretOfAccount = TargetEnvironment.Totp;
        }
        else
        {
            var o = new SandboxOptions { AdminPassword = SandboxAdminPassword, ChunkSize = 1000, ServerVersion = ServerVersions.V4 };
            o.Users.Add(new SandboxUser(SecondEmail, SecondPassword));
            o.Users.Add(new SandboxUser(TotpEmail, TotpPassword, totpSecret: TotpSecret));
            Sandbox = await SandboxHost.StartAsync(o);
            BaseUri = Sandbox.BaseUri;
            Email = Sandbox.AdminEmail;
            Password = SandboxAdminPassword;
        }
        Main = await LoginAsync();
        Expect.Ok(await Main.Create(WorkUri, "folder", errOnConflict: true));
    }

    /// <summary>A fresh login of the main account (signed out at the end).</summary>
    public async Task<V4Client> LoginAsync()
    {
        var c = Track(new V4Client(BaseUri));
        await c.Login(Email, Password, TotpSecretOfAccount);
        return c;
    }

    /// <summary>A fresh login of the second, ordinary account (sandbox: built in; real: CLOUDREVE_TEST_USER2).</summary>
    public async Task<V4Client> LoginSecondAsync()
    {
        var c = Track(new V4Client(BaseUri));
        if (TargetEnvironment.IsReal) await c.Login(V4Environment.User2!, V4Environment.Password2!, null);
        else await c.Login(SecondEmail, SecondPassword, null);
        return c;
    }

    /// <summary>An anonymous client (disposed at the end).</summary>
    public V4Client Anonymous() => Track(new V4Client(BaseUri));

    /// <summary>Replaces <see cref="Main"/> after a check revoked every token.</summary>
    public async Task Relogin() => Main = await LoginAsync();

    private V4Client Track(V4Client c)
    {
        lock (_clients) _clients.Add(c);
        return c;
    }

    /// <summary>A fresh URI below the work folder (not created), e.g. cloudreve://my/cr-conformance-v4-.../name-3.</summary>
    public string NewUri(string name) => $"{WorkUri}/{Uri.EscapeDataString(name)}-{Interlocked.Increment(ref _counter)}";

    /// <summary>Creates a fresh folder below the work folder and returns its URI.</summary>
    public async Task<string> NewFolder(string name)
    {
        var uri = NewUri(name);
        Expect.Ok(await Main.Create(uri, "folder"));
        return uri;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Main != null)
            {
                // A check may have revoked every token: log in again for the clean-up.
                if ((await Main.Get("/user/me")).Code != 0) await Relogin();
                await EmptyOwnTrash(Main);
                await Main.Delete("/file", new { uris = new[] { WorkUri }, skip_soft_delete = true });
            }
        }
        finally
        {
            foreach (var c in _clients)
            {
                try
                {
                    await c.SignOut();
                }
                catch (HttpRequestException)
                {
                }
                c.Dispose();
            }
            if (Sandbox != null) await Sandbox.DisposeAsync();
        }
    }

    /// <summary>Deletes for good the trash entries whose restore URI lies in the work folder.</summary>
    private async Task EmptyOwnTrash(V4Client c)
    {
        string? next = null;
        var mine = new List<string>();
        do
        {
            var r = await c.List("cloudreve://trash/", next == null ? "&page_size=2000" : "&page_size=2000&next_page_token=" + Uri.EscapeDataString(next));
            if (r.Code != 0) return;
            foreach (var f in r.Data.GetProperty("files").EnumerateArray())
            {
                var restore = f.GetProperty("metadata").TryGetProperty("sys:restore_uri", out var ru) ? ru.GetString() : null;
                if (restore != null && (restore == WorkUri || restore.StartsWith(WorkUri + "/", StringComparison.Ordinal)))
                    mine.Add(f.GetProperty("path").GetString()!);
            }
            next = r.Data.GetProperty("pagination").TryGetProperty("next_token", out var t) ? t.GetString() : null;
        }
        while (next != null);
        foreach (var chunk in mine.Chunk(1000))
            await c.Delete("/file", new { uris = chunk, skip_soft_delete = true });
    }
}

/// <summary>Base of the v4 check classes: the shared target and small helpers.</summary>
[Collection(V4TargetCollection.Name)]
public abstract class V4Checks
{
    protected V4Checks(V4Target target) => T = target;

    protected V4Target T { get; }
    protected V4Client Main => T.Main;

    /// <summary>Every entry of a folder, following next_token (or page numbers) to the end.</summary>
    protected async Task<List<JsonElement>> ListAll(string uri, int pageSize = 100)
    {
        var all = new List<JsonElement>();
        string? next = null;
        var page = 0;
        while (true)
        {
            var extra = $"&page_size={pageSize}" + (next != null ? "&next_page_token=" + Uri.EscapeDataString(next) : page > 0 ? $"&page={page}" : "");
            var r = await Main.List(uri, extra);
            var d = Expect.Ok(r);
            all.AddRange(d.GetProperty("files").EnumerateArray().Select(e => e.Clone()));
            var p = d.GetProperty("pagination");
            if (p.TryGetProperty("is_cursor", out var isCursor) && isCursor.GetBoolean())
            {
                next = p.TryGetProperty("next_token", out var t) ? t.GetString() : null;
                if (next == null) return all;
            }
            else
            {
                page++;
                if (page * pageSize >= p.GetProperty("total_items").GetInt32()) return all;
            }
        }
    }

    /// <summary>The listing entry of a child, or a failure naming the folder.</summary>
    protected async Task<JsonElement> Entry(string folderUri, string name)
    {
        foreach (var e in await ListAll(folderUri))
        {
            if (e.GetProperty("name").GetString() == name) return e;
        }
        throw new Xunit.Sdk.XunitException($"GET /file?uri={folderUri}: expected an entry named {name}");
    }
}

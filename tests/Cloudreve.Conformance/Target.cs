using System.Globalization;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Conformance;

/// <summary>Which server the suite talks to, from the environment.</summary>
public static class TargetEnvironment
{
    public static readonly string? Uri = Environment.GetEnvironmentVariable("CLOUDREVE_TEST_URI");
    public static readonly string? User = Environment.GetEnvironmentVariable("CLOUDREVE_TEST_USER");
    public static readonly string? Password = Environment.GetEnvironmentVariable("CLOUDREVE_TEST_PASSWORD");
    public static readonly string? Totp = Environment.GetEnvironmentVariable("CLOUDREVE_TEST_TOTP") is { Length: > 0 } t ? t : null;

    /// <summary>True when a real server is named; false: the suite starts a sandbox.</summary>
    public static bool IsReal => !string.IsNullOrEmpty(Uri);

    private static readonly Lazy<(bool Admin, string PolicyType)> Probe = new(() =>
    {
        try
        {
            using var c = new ApiClient(new Uri(Uri!.TrimEnd('/') + "/"));
            c.Login(User ?? "", Password ?? "", Totp).GetAwaiter().GetResult();
            var me = c.Get("/user/me").GetAwaiter().GetResult();
            var dir = c.Get("/directory/").GetAwaiter().GetResult();
            return (me.Data.GetProperty("group").GetProperty("id").GetInt32() == 1, dir.Data.GetProperty("policy").GetProperty("type").GetString() ?? "");
        }
        catch (Exception)
        {
            return (false, "");
        }
    });

    /// <summary>The account may use /api/v3/admin (always in the sandbox; probed once on a real server).</summary>
    public static bool IsAdmin => !IsReal || Probe.Value.Admin;

    /// <summary>The account's storage policy type (the sandbox's main account uses local).</summary>
    public static string PolicyType => IsReal ? Probe.Value.PolicyType : "local";
}

/// <summary>A Cloudreve 3.8.3 conformance check; runs against the 3.8.3 sandbox and any real server that is not v4.</summary>
public class CheckAttribute : FactAttribute
{
    public CheckAttribute()
    {
        if (!TargetGeneration.RunsV3) Skip = "The server under test is Cloudreve 4.x; this is a 3.8.3 check.";
    }
}

/// <summary>A check needing an admin account (skipped on a real server when the account is not an admin).</summary>
public sealed class AdminCheckAttribute : CheckAttribute
{
    public AdminCheckAttribute()
    {
        if (!TargetEnvironment.IsAdmin) Skip = "The CLOUDREVE_TEST_USER account is not an administrator.";
    }
}

/// <summary>A check of the local policy's own upload route (skipped when the account's policy is another type).</summary>
public sealed class LocalPolicyCheckAttribute : CheckAttribute
{
    public LocalPolicyCheckAttribute()
    {
        if (TargetEnvironment.PolicyType != "local") Skip = $"The account's storage policy is '{TargetEnvironment.PolicyType}', not local.";
    }
}

/// <summary>A check of the 2FA login (on a real server only when CLOUDREVE_TEST_TOTP names the account's secret).</summary>
public sealed class TotpCheckAttribute : CheckAttribute
{
    public TotpCheckAttribute()
    {
        if (TargetEnvironment.IsReal && TargetEnvironment.Totp == null) Skip = "The account has no 2FA secret in CLOUDREVE_TEST_TOTP.";
    }
}

/// <summary>
/// A check that needs control of the server (a second account, other storage policies, fault injection, sandbox control
/// routes, state-changing admin calls); skipped on a real server.
/// </summary>
public sealed class SandboxCheckAttribute : CheckAttribute
{
    public SandboxCheckAttribute()
    {
        if (TargetEnvironment.IsReal) Skip = "Needs a sandbox (starts its own or changes server state); not run against a real server.";
    }
}

[CollectionDefinition(Name)]
public sealed class TargetCollection : ICollectionFixture<Target>
{
    public const string Name = "target";
}

/// <summary>
/// The server under test and the account used. Everything the suite creates lives below one work folder
/// (<see cref="WorkFolder"/>), which is removed at the end together with WebDAV accounts and upload sessions it made.
/// The account's password, nickname and 2FA are never changed.
/// </summary>
public sealed class Target : IAsyncLifetime
{
    public const string SandboxAdminPassword = "conformance-admin-1";
    public const string SecondEmail = "second@conformance.local";
    public const string SecondPassword = "second-pass-1";
    public const string TotpEmail = "totp@conformance.local";
    public const string TotpPassword = "totp-pass-1";
    public const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private readonly List<long> _webDavAccounts = new();
    private readonly List<string> _uploadSessions = new();
    private int _counter;

    public SandboxHost? Sandbox { get; private set; }
    public Uri BaseUri { get; private set; } = null!;
    public string Email { get; private set; } = "";
    public string Password { get; private set; } = "";
    public string? TotpSecretOfAccount { get; private set; }

    /// <summary>A client logged in as the account, shared by the checks (they run one after the other).</summary>
    public ApiClient Main { get; private set; } = null!;

    /// <summary>Absolute path of the suite's own folder, e.g. /cr-conformance-20261127T203000-ab12.</summary>
    public string WorkFolder { get; } = "/cr-conformance-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..4];

    public async Task InitializeAsync()
    {
        if (!TargetGeneration.RunsV3) return; // a real 4.x server: every v3 check is skipped
        if (TargetEnvironment.IsReal)
        {
            BaseUri = new Uri(TargetEnvironment.Uri!.TrimEnd('/') + "/");
            Email = TargetEnvironment.User ?? throw new InvalidOperationException("CLOUDREVE_TEST_USER is not set.");
            Password = TargetEnvironment.Password ?? throw new InvalidOperationException("CLOUDREVE_TEST_PASSWORD is not set.");
            TotpSecretOfAccount = TargetEnvironment.Totp;
        }
        else
        {
            var o = new SandboxOptions { AdminPassword = SandboxAdminPassword, ChunkSize = 1000 };
            o.Users.Add(new SandboxUser(SecondEmail, SecondPassword));
            o.Users.Add(new SandboxUser(TotpEmail, TotpPassword, totpSecret: TotpSecret));
            Sandbox = await SandboxHost.StartAsync(o);
            BaseUri = Sandbox.BaseUri;
            Email = Sandbox.AdminEmail;
            Password = SandboxAdminPassword;
        }
        Main = await LoginAsync();
        Expect.Ok(await Main.Put("/directory", new { path = WorkFolder }));
    }

    /// <summary>Replaces <see cref="Main"/> with a fresh login (after a check logged every session out).</summary>
    public async Task Relogin()
    {
        var old = Main;
        Main = await LoginAsync();
        old.Dispose();
    }

    public async Task<ApiClient> LoginAsync()
    {
        var c = new ApiClient(BaseUri);
        await c.Login(Email, Password, TotpSecretOfAccount);
        return c;
    }

    /// <summary>A fresh folder path below the work folder (not created).</summary>
    public string NewPath(string name) => $"{WorkFolder}/{name}-{Interlocked.Increment(ref _counter)}";

    /// <summary>Creates a fresh folder below the work folder and returns its path.</summary>
    public async Task<string> NewFolder(string name)
    {
        var path = NewPath(name);
        Expect.Ok(await Main.Put("/directory", new { path }));
        return path;
    }

    public void TrackWebDav(long id) => _webDavAccounts.Add(id);

    public void TrackUpload(string sessionId) => _uploadSessions.Add(sessionId);

    public async Task DisposeAsync()
    {
        try
        {
            if (Main != null)
            {
                foreach (var id in _webDavAccounts) await Main.Delete($"/webdav/accounts/{id}");
                foreach (var s in _uploadSessions) await Main.Delete($"/file/upload/{s}");
                var parent = WorkFolder[..WorkFolder.LastIndexOf('/')];
                var listing = await Main.Get("/directory" + (parent.Length == 0 ? "/" : parent));
                if (listing.Code == 0)
                {
                    var name = WorkFolder[(WorkFolder.LastIndexOf('/') + 1)..];
                    foreach (var o in listing.Data.GetProperty("objects").EnumerateArray())
                    {
                        if (o.GetProperty("name").GetString() == name && o.GetProperty("type").GetString() == "dir")
                            await Main.Delete("/object", new { items = Array.Empty<string>(), dirs = new[] { o.GetProperty("id").GetString() } });
                    }
                }
                Main.Dispose();
            }
        }
        finally
        {
            if (Sandbox != null) await Sandbox.DisposeAsync();
        }
    }
}

/// <summary>Base of the check classes: the shared target and small helpers.</summary>
[Collection(TargetCollection.Name)]
public abstract class Checks
{
    protected Checks(Target target) => T = target;

    protected Target T { get; }
    protected ApiClient Main => T.Main;

    /// <summary>Lists a folder; id of the named child.</summary>
    protected async Task<string> IdOf(string folder, string name)
    {
        var r = await Main.Get("/directory" + folder);
        foreach (var o in Expect.Ok(r).GetProperty("objects").EnumerateArray())
        {
            if (o.GetProperty("name").GetString() == name) return o.GetProperty("id").GetString()!;
        }
        throw new Xunit.Sdk.XunitException($"{r.Route}: expected an object named {name}; got {r}");
    }

    protected async Task<JsonElement> Policy() => Expect.Ok(await Main.Get("/directory/")).GetProperty("policy");
}

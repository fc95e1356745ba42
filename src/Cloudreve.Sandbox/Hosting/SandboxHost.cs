using System.Security.Cryptography;
using Cloudreve.Sandbox.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cloudreve.Sandbox.Hosting;

/// <summary>A running sandbox server (Kestrel on loopback by default). Dispose to stop it.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly WebApplication? _providerWeb;
    private readonly App _app;
    private readonly bool _ownsDataFolder;
    private int _disposed;

    private SandboxHost(WebApplication web, WebApplication? providerWeb, App app, bool ownsDataFolder, Uri baseUri, IReadOnlyList<string> addresses, Seeder.Result accounts)
    {
        _web = web;
        _providerWeb = providerWeb;
        _app = app;
        _ownsDataFolder = ownsDataFolder;
        BaseUri = baseUri;
        Addresses = addresses;
        AdminEmail = accounts.AdminEmail;
        AdminPassword = accounts.AdminPassword;
        AdminTwoFactorEnabled = accounts.AdminTwoFactor;
    }

    /// <summary>Origin to talk to, e.g. http://127.0.0.1:41234/ (API under BaseUri + "api/v3/").</summary>
    public Uri BaseUri { get; }

    /// <summary>Every address Kestrel bound.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Origin of the provider imitations (onedrive/s3 URLs) when they have a listener of their own, else null.</summary>
    public Uri? ProviderUri => _app.Providers.PublicOrigin is { } o ? new Uri(o + "/") : null;

    public string AdminEmail { get; }
    public string AdminPassword { get; }
    public bool AdminTwoFactorEnabled { get; }

    /// <summary>The folder holding the database and file bytes.</summary>
    public string DataFolder => _app.DataFolder;

    /// <summary>Current fault settings; settable (same effect as POST /_sandbox/faults).</summary>
    public FaultSettings Faults
    {
        get => _app.Faults.Current;
        set => _app.Faults.Current = value;
    }

    /// <summary>The Cloudreve version this sandbox plays ("3.8.3" or "4.18.0").</summary>
    public string ServerVersion => _app.Options.ServerVersion;

    /// <summary>Logs every session out (same as POST /_sandbox/sessions/expire): v3 cookies, and on 4.18.0 every issued token.</summary>
    public int ExpireSessions() => Routes.Control.ExpireAllLogins(_app);

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var owns = options.DataFolder == null;
        var dataFolder = options.DataFolder != null
            ? Path.GetFullPath(options.DataFolder)
            : Path.Combine(Path.GetTempPath(), "cloudreve-sandbox-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
        Directory.CreateDirectory(dataFolder);

        App? app = null;
        WebApplication? web = null;
        WebApplication? providerWeb = null;
        try
        {
            app = new App(options, dataFolder);
            var accounts = Seeder.ApplyAccounts(app.Db, options);

            web = BuildWeb(dataFolder, options.Urls ?? "http://127.0.0.1:0");
            var router = new Router();
            // One generation per sandbox: the other generation's routes are simply absent (plain-text 404).
            if (options.IsV4)
            {
                V4.V4Routes.Map(router);
                Routes.OneDriveProvider.Map(router);
                Routes.S3Provider.Map(router);
            }
            else
            {
                MapV3(router);
            }
            Routes.Control.Map(router);
            web.Run(new Pipeline(app, router, "api").Handle);

            var providerUrls = ProviderUrls(options);
            if (providerUrls != null)
            {
                // The storage-provider imitations on an origin of their own, as S3 or Graph would be.
                providerWeb = BuildWeb(dataFolder, providerUrls);
                var providerRouter = new Router();
                Routes.OneDriveProvider.Map(providerRouter);
                Routes.S3Provider.Map(providerRouter);
                providerWeb.Run(new Pipeline(app, providerRouter, "provider").Handle);
                await providerWeb.StartAsync(ct);
                var providerAddress = ListenAddresses(providerWeb).FirstOrDefault() ?? throw new InvalidOperationException("The provider listener has no address.");
                app.Providers.PublicOrigin = ToClientUri(providerAddress).GetLeftPart(UriPartial.Authority);
            }

            await web.StartAsync(ct);
            var addresses = ListenAddresses(web);
            var baseUri = ToClientUri(addresses.FirstOrDefault() ?? "http://127.0.0.1:5212");
            return new SandboxHost(web, providerWeb, app, owns, baseUri, addresses, accounts);
        }
        catch
        {
            if (web != null) await web.DisposeAsync();
            if (providerWeb != null) await providerWeb.DisposeAsync();
            app?.Dispose();
            if (owns) TryDelete(dataFolder);
            throw;
        }
    }

    /// <summary>The Cloudreve 3.8.3 routes (everything under /api/v3, /f/, /dav and the provider imitations).</summary>
    private static void MapV3(Router router)
    {
        Routes.Site.Map(router);
        Routes.User.Map(router);
        Routes.Directory.Map(router);
        Routes.Object.Map(router);
        Routes.Upload.Map(router);
        Routes.Callback.Map(router);
        Routes.OneDriveProvider.Map(router);
        Routes.S3Provider.Map(router);
        Routes.File.Map(router);
        Routes.Share.Map(router);
        Routes.ShareDownload.Map(router);
        Routes.WebDav.Map(router);
        Routes.Source.Map(router);
        Routes.Admin.Map(router);
        Routes.AdminGroups.Map(router);
    }

    /// <summary>Completes when the host is stopped.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => _web.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _web.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _web.DisposeAsync();
        if (_providerWeb != null)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _providerWeb.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await _providerWeb.DisposeAsync();
        }
        _app.Dispose();
        if (_ownsDataFolder) TryDelete(_app.DataFolder);
    }

    private static WebApplication BuildWeb(string contentRoot, string urls)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxHost).Assembly.GetName().Name,
            ContentRootPath = contentRoot,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NullLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return builder.Build();
    }

    private static List<string> ListenAddresses(WebApplication web) =>
        web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? new List<string>();

    /// <summary>The provider listener's URLs: the option, "none" for no listener, or a free loopback port when a policy is not local.</summary>
    private static string? ProviderUrls(SandboxOptions options)
    {
        if (options.ProviderUrls != null)
            return string.Equals(options.ProviderUrls.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? null : options.ProviderUrls;
        var nonLocal = options.PolicyType is { } t && t != Data.PolicyTypes.Local
            || options.Groups.Any(g => g.PolicyType != Data.PolicyTypes.Local);
        return nonLocal ? "http://127.0.0.1:0" : null;
    }

    private static Uri ToClientUri(string address)
    {
        var b = new UriBuilder(address);
        if (b.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+") b.Host = "127.0.0.1";
        b.Path = "/";
        return b.Uri;
    }

    private static void TryDelete(string folder)
    {
        for (var i = 0; i < 5; i++)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>No console/signal handling: the owner (Program or a test) decides when to stop.</summary>
    private sealed class NullLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

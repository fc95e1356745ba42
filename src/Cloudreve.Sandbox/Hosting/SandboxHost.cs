using System.Security.Cryptography;
using Cloudreve.Sandbox.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cloudreve.Sandbox.Hosting;

/// <summary>A running sandbox server (Kestrel on loopback by default). Dispose to stop it.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly App _app;
    private readonly bool _ownsDataFolder;
    private int _disposed;

    private SandboxHost(WebApplication web, App app, bool ownsDataFolder, Uri baseUri, IReadOnlyList<string> addresses, Seeder.Result accounts)
    {
        _web = web;
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

    /// <summary>Logs every session out (same as POST /_sandbox/sessions/expire).</summary>
    public int ExpireSessions() => _app.Sessions.ExpireLogins();

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
        try
        {
            app = new App(options, dataFolder);
            var accounts = Seeder.ApplyAccounts(app.Db, options);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(SandboxHost).Assembly.GetName().Name,
                ContentRootPath = dataFolder,
                Args = [],
            });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, NullLifetime>();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = null;
                k.AddServerHeader = false;
            });
            builder.WebHost.UseUrls((options.Urls ?? "http://127.0.0.1:0").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            web = builder.Build();

            var router = new Router();
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
            Routes.Control.Map(router);
            var pipeline = new Pipeline(app, router);
            web.Run(pipeline.Handle);

            await web.StartAsync(ct);
            var addresses = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? new List<string>();
            var baseUri = ToClientUri(addresses.FirstOrDefault() ?? "http://127.0.0.1:5212");
            return new SandboxHost(web, app, owns, baseUri, addresses, accounts);
        }
        catch
        {
            if (web != null) await web.DisposeAsync();
            app?.Dispose();
            if (owns) TryDelete(dataFolder);
            throw;
        }
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
        _app.Dispose();
        if (_ownsDataFolder) TryDelete(_app.DataFolder);
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

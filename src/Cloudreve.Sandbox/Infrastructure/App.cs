using Cloudreve.Sandbox.Data;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Sandbox;

/// <summary>Shared state of one sandbox instance.</summary>
internal sealed class App : IDisposable
{
    public App(SandboxOptions options, string dataFolder)
    {
        Options = options;
        DataFolder = dataFolder;
        FilesFolder = Path.Combine(dataFolder, "uploads");
        Directory.CreateDirectory(FilesFolder);
        Db = new Database(Path.Combine(dataFolder, "cloudreve.db"));
        Seeder.Install(Db);
        var (salt, secret) = Db.Read(c => (Settings.Get(c, "hashid_salt")!, Settings.Get(c, "sign_secret")!));
        Ids = new HashIds(salt);
        SignSecret = secret;
        Faults = new Faults(options.Faults);
        Blobs = new Blobs(FilesFolder);
        Signer = new Signer(secret);
        Providers = new Providers(secret, DownloadRevocation);
        V4Tokens = new V4.V4Tokens(Db, options.AccessTokenTtlSeconds);
        V4Downloads = new V4.DownloadLinks(secret, DownloadRevocation);
        V4Entities = new V4.Entities(Db);
    }

    public SandboxOptions Options { get; }
    public string DataFolder { get; }
    public string FilesFolder { get; }
    public Database Db { get; }
    public HashIds Ids { get; }
    public string SignSecret { get; }
    public SessionStore Sessions { get; } = new();
    public RequestLog Requests { get; } = new();
    public Faults Faults { get; }
    public Blobs Blobs { get; }
    public Signer Signer { get; }
    public DownloadSessions Downloads { get; } = new();
    public DownloadRevocation DownloadRevocation { get; } = new();
    public Providers Providers { get; }
    public ProviderUploads ProviderUploads { get; } = new();

    /// <summary>4.18.0: JWT issue/verify, refresh families, 2FA login sessions.</summary>
    public V4.V4Tokens V4Tokens { get; }

    /// <summary>4.18.0: image captcha tickets of GET /site/captcha (--login-captcha).</summary>
    public V4.V4Captcha V4Captcha { get; } = new();

    /// <summary>4.18.0: signed content URLs and their cache (reference 12).</summary>
    public V4.DownloadLinks V4Downloads { get; }

    /// <summary>4.18.0: content entities (versions) of files.</summary>
    public V4.Entities V4Entities { get; }

    /// <summary>"share_{shareId}_{userId}" → expiry (unix s): logged-in visitors whose share download was counted.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<(long ShareId, long UserId), long> ShareDownloadMarks { get; } = new();

    public void Dispose() => Db.Dispose();
}

using System.Collections.Concurrent;
using System.IO.Compression;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Archive downloads (reference 12.1, cap 374): POST /file/url with archive:true answers one
/// <c>{site}/api/v4/file/archive/{uuid}/archive.zip?sign=...</c> URL valid 10 minutes; its GET serves a zip of the
/// files and folders (folders recursively) through ServeFile, so Range and the download faults apply. The zip is built
/// once per archive in the data folder (streamed file by file, constant memory) and removed when the archive expires.
/// </summary>
internal sealed class Archives
{
    public const string Root = "/api/v4/file/archive/";
    public const long TtlSeconds = 600;
    private const string Name = "archive.zip";

    private sealed record Entry(long UserId, List<XferTarget> Items, long Expires, SemaphoreSlim Gate);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public static void Map(Router r)
    {
        r.Get(Root + ":id/:name", Serve);
        r.Add("HEAD", Root + ":id/:name", Serve);
    }

    private static string ZipPath(App app, string id) => Path.Combine(app.DataFolder, "archives", id + ".zip");

    /// <summary>Registers an archive of the items; returns its URL (path + query) and expiry.</summary>
    public (string PathAndQuery, long Expires) Create(App app, long userId, List<XferTarget> items)
    {
        var now = GoTime.NowUnix();
        foreach (var (k, v) in _entries)
        {
            if (v.Expires > now || !_entries.TryRemove(k, out _)) continue;
            try
            {
                System.IO.File.Delete(ZipPath(app, k));
            }
            catch (IOException)
            {
            }
        }
        var id = Guid.NewGuid().ToString();
        var expires = now + TtlSeconds;
        _entries[id] = new Entry(userId, items, expires, new SemaphoreSlim(1, 1));
        return (Root + id + "/" + Name + "?sign=" + Uri.EscapeDataString(app.V4Downloads.SignFor("archive:" + id, Name, expires)), expires);
    }

    private static async Task Serve(Req req)
    {
        var app = req.App;
        var id = req.Param("id");
        app.V4Downloads.Check("archive:" + id, req.Param("name"), req.Query("sign"));
        if (!app.V4Downloads.Archives._entries.TryGetValue(id, out var entry) || entry.Expires < GoTime.NowUnix())
            throw V4Envelope.Fail(V4Codes.NotFound, "Archive session not exist");
        var path = ZipPath(app, id);
        await entry.Gate.WaitAsync(req.Http.RequestAborted);
        try
        {
            if (!System.IO.File.Exists(path)) Build(app, entry, path);
        }
        finally
        {
            entry.Gate.Release();
        }
        req.Http.Response.Headers.ContentDisposition = DownloadNames.Attachment(Name);
        await ServeFile.SendAsync(req.Http, path, Name, default, Faults.Roll(app.Faults.Current.DropConnectionRate));
    }

    private static void Build(App app, Entry entry, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (var item in entry.Items)
            {
                if (item.File != null) AddFile(app, zip, item.File, item.File.Name);
                else if (item.Folder != null) AddFolder(app, zip, item.Folder, item.Folder.Name + "/");
            }
        }
        System.IO.File.Move(temp, path, overwrite: true);
    }

    private static void AddFolder(App app, ZipArchive zip, FolderRow folder, string prefix)
    {
        var (subs, files) = app.Db.Read(c => (Objects.SubFolders(c, folder.Id), Objects.FilesIn(c, folder.Id)));
        if (subs.Count == 0 && files.Count == 0) zip.CreateEntry(prefix);
        foreach (var f in files) AddFile(app, zip, f, prefix + f.Name);
        foreach (var s in subs) AddFolder(app, zip, s, prefix + s.Name + "/");
    }

    private static void AddFile(App app, ZipArchive zip, FileRow file, string entryName)
    {
        var e = zip.CreateEntry(entryName, CompressionLevel.Fastest);
        e.LastWriteTime = new DateTimeOffset(file.UpdatedAt, TimeSpan.Zero);
        using var target = e.Open();
        if (file.Size == 0 || !app.Blobs.Exists(file.SourceName)) return;
        using var source = app.Blobs.OpenRead(file.SourceName);
        source.CopyTo(target, 81920);
    }
}

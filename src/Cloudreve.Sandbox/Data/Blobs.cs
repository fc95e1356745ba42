namespace Cloudreve.Sandbox.Data;

/// <summary>File bytes on disk under the data folder ("uploads/&lt;uid&gt;/&lt;random&gt;"); records point at them by source name.</summary>
internal sealed class Blobs
{
    private readonly string _root;

    public Blobs(string root)
    {
        _root = root;
        Directory.CreateDirectory(root);
    }

    public static string NewSourceName(long uid) => $"{uid}/{Guid.NewGuid():N}";

    public string PathOf(string sourceName) => Path.Combine(_root, sourceName.Replace('/', Path.DirectorySeparatorChar));

    public bool Exists(string sourceName) => File.Exists(PathOf(sourceName));

    public FileStream OpenRead(string sourceName) =>
        new(PathOf(sourceName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void EnsureEmpty(string sourceName)
    {
        var p = PathOf(sourceName);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        using var _ = new FileStream(p, FileMode.Create, FileAccess.Write);
    }

    public void Delete(string sourceName)
    {
        try
        {
            var p = PathOf(sourceName);
            if (File.Exists(p)) File.Delete(p);
        }
        catch (IOException)
        {
            // best effort, like a storage driver failing to delete
        }
    }
}

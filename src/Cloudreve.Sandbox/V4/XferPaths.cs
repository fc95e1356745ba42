using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>What a cloudreve://my/... URI names for the transfer routes: a folder, a file, or the first segment that is missing.</summary>
internal sealed record XferTarget(FolderRow? Folder, FileRow? File, string? Missing)
{
    public bool Found => Folder != null || File != null;
}

/// <summary>Walks cloudreve://my/ URIs of the caller for downloads, naming the first missing segment (reference 12.1, cap 372).</summary>
internal static class XferPaths
{
    public static XferTarget Find(SqliteConnection c, long uid, V4Uri uri, SqliteTransaction? tx = null)
    {
        var folder = Objects.Root(c, uid, tx);
        for (var i = 0; i < uri.Segments.Count; i++)
        {
            var seg = uri.Segments[i];
            var sub = Objects.ChildFolder(c, folder.Id, seg, tx);
            if (sub != null)
            {
                folder = sub;
                continue;
            }
            var file = i == uri.Segments.Count - 1 ? Objects.ChildFile(c, folder.Id, seg, tx) : null;
            return file != null ? new XferTarget(null, file, null) : new XferTarget(null, null, seg);
        }
        return new XferTarget(folder, null, null);
    }
}

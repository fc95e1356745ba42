using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

/// <summary>Share records (only what object deletion needs so far).</summary>
internal static class Shares
{
    /// <summary>Deleting a file or folder also deletes its shares.</summary>
    public static void DeleteForObject(SqliteConnection c, SqliteTransaction tx, long sourceId, bool isDir) =>
        c.Exec("DELETE FROM shares WHERE source_id=$s AND is_dir=$d", tx, ("$s", sourceId), ("$d", isDir));
}

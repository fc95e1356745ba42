using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>The admin batch delete of a user's data (v3 tables and the 4.18 transfer state).</summary>
internal static class V4SvcGlue
{
    /// <summary>
    /// Everything of a user the 4.x admin batch delete removes: what <see cref="FileSystem.DeleteUserData"/> removes, plus
    /// direct links, version entities, 4.x upload sessions and the trash. Returns the blobs no file uses any more (delete them after the commit).
    /// </summary>
    public static List<string> DeleteUserData(SqliteConnection c, SqliteTransaction tx, long uid)
    {
        // 4.18 state of the transfer area: version entities of the user's files and open upload sessions (with their staged bytes).
        c.Exec("DELETE FROM v4_entities WHERE file_id IN (SELECT id FROM files WHERE user_id=$u)", tx, ("$u", uid));
        var staged = c.Query("SELECT source_name FROM v4_upload_sessions WHERE user_id=$u", r => r.GetString(0), tx, ("$u", uid));
        c.Exec("DELETE FROM v4_upload_sessions WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM source_links WHERE file_id IN (SELECT id FROM files WHERE user_id=$u)", tx, ("$u", uid));
        var blobs = FileSystem.DeleteUserData(c, tx, uid);
        c.Exec("DELETE FROM v4_trash WHERE user_id=$u", tx, ("$u", uid));
        c.Exec("DELETE FROM v4_trash_roots WHERE user_id=$u", tx, ("$u", uid));
        foreach (var name in staged.Distinct())
        {
            if (!blobs.Contains(name) && Objects.SourceReferences(c, name, -1, tx) == 0) blobs.Add(name);
        }
        return blobs;
    }
}

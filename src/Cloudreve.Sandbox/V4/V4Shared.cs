using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>Which of a user's objects have a share (the FileResponse "shared" flag, cap 230).</summary>
internal static class V4Shared
{
    public static HashSet<(bool IsFolder, long Id)> SharedIds(SqliteConnection c, long uid, SqliteTransaction? tx = null) =>
        c.Query("SELECT is_dir, source_id FROM shares WHERE user_id=$u", r => (r.GetInt64(0) != 0, r.GetInt64(1)), tx, ("$u", uid)).ToHashSet();
}

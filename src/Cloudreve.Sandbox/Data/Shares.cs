using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

internal sealed record ShareRow(long Id, string Password, bool IsDir, long UserId, long SourceId, long Views, long Downloads,
    long RemainDownloads, long? Expires, bool PreviewEnabled, string SourceName, long CreatedAt);

/// <summary>Share records.</summary>
internal static class Shares
{
    private const string Cols = "id,password,is_dir,user_id,source_id,views,downloads,remain_downloads,expires,preview_enabled,source_name,created_at";

    private static ShareRow Map(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt64(2) != 0, r.GetInt64(3), r.GetInt64(4),
        r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.NullableLong(8), r.GetInt64(9) != 0, r.GetString(10), r.GetInt64(11));

    /// <summary>Deleting a file or folder also deletes its shares.</summary>
    public static void DeleteForObject(SqliteConnection c, SqliteTransaction tx, long sourceId, bool isDir) =>
        c.Exec("DELETE FROM shares WHERE source_id=$s AND is_dir=$d", tx, ("$s", sourceId), ("$d", isDir));

    public static ShareRow? ById(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {Cols} FROM shares WHERE id=$id", Map, tx, ("$id", id));

    public static List<ShareRow> OfUser(SqliteConnection c, long uid, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {Cols} FROM shares WHERE user_id=$u ORDER BY id", Map, tx, ("$u", uid));

    public static long Insert(SqliteConnection c, SqliteTransaction tx, ShareRow s)
    {
        var now = GoTime.Now();
        return c.InsertId("""
            INSERT INTO shares(password,is_dir,user_id,source_id,views,downloads,remain_downloads,expires,preview_enabled,source_name,created_at,updated_at)
            VALUES($pw,$dir,$u,$src,0,0,$remain,$exp,$prev,$name,$now,$now)
            """, tx, ("$pw", s.Password), ("$dir", s.IsDir), ("$u", s.UserId), ("$src", s.SourceId), ("$remain", s.RemainDownloads),
            ("$exp", s.Expires), ("$prev", s.PreviewEnabled), ("$name", s.SourceName), ("$now", now));
    }

    /// <summary>(name, size) of the shared object, or null when it is gone.</summary>
    public static (string Name, long Size)? Source(SqliteConnection c, ShareRow s, SqliteTransaction? tx = null)
    {
        if (s.IsDir)
        {
            var f = Objects.OwnFolder(c, s.UserId, s.SourceId, tx);
            return f == null ? null : (f.Name, 0);
        }
        var file = Objects.OwnFile(c, s.UserId, s.SourceId, tx);
        return file == null || file.IsPlaceholder ? null : (file.Name, file.Size);
    }

    /// <summary>Cloudreve's IsAvailable: downloads left, not expired, owner active, source present.</summary>
    public static bool IsAvailable(SqliteConnection c, ShareRow s, SqliteTransaction? tx = null)
    {
        if (s.RemainDownloads == 0) return false;
        if (s.Expires is { } e && e <= GoTime.NowUnix()) return false;
        var owner = Users.ById(c, s.UserId, tx);
        if (owner == null || owner.Status != UserStatus.Active) return false;
        return Source(c, s, tx) != null;
    }
}

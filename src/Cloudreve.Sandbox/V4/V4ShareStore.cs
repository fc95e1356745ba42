using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>A share as 4.18 sees it: the v3 shares row (remain_downloads -1 = unlimited, expires in unix seconds) plus the view flags.</summary>
internal sealed record V4ShareRow(long Id, string Password, bool IsDir, long UserId, long SourceId, long Views, long Downloads,
    long RemainDownloads, long? Expires, string SourceName, long CreatedAt, bool ShareView, bool ShowReadMe)
{
    public bool Limited => RemainDownloads >= 0;
}

/// <summary>Share rows and the checks of inventory.IsValidShare (reference 11).</summary>
internal static class V4ShareStore
{
    private const string Cols = "id,password,is_dir,user_id,source_id,views,downloads,remain_downloads,expires,source_name,created_at,share_view,show_readme";

    private static V4ShareRow Map(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt64(2) != 0, r.GetInt64(3), r.GetInt64(4),
        r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.NullableLong(8), r.GetString(9), r.GetInt64(10), r.GetInt64(11) != 0, r.GetInt64(12) != 0);

    public static V4ShareRow? ById(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {Cols} FROM shares WHERE id=$id", Map, tx, ("$id", id));

    public static List<V4ShareRow> OfUser(SqliteConnection c, long uid, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {Cols} FROM shares WHERE user_id=$u ORDER BY id", Map, tx, ("$u", uid));

    public static List<V4ShareRow> OfObject(SqliteConnection c, V4Node n, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {Cols} FROM shares WHERE source_id=$s AND is_dir=$d ORDER BY id", Map, tx, ("$s", n.Id), ("$d", n.IsFolder));

    public static long Insert(SqliteConnection c, SqliteTransaction tx, long uid, V4Node n, string password, long remain, long? expires, bool shareView, bool showReadMe)
    {
        var now = GoTime.Now();
        return c.InsertId("""
            INSERT INTO shares(password,is_dir,user_id,source_id,views,downloads,remain_downloads,expires,preview_enabled,source_name,created_at,updated_at,share_view,show_readme)
            VALUES($pw,$dir,$u,$src,0,0,$remain,$exp,1,$name,$now,$now,$sv,$sr)
            """, tx, ("$pw", password), ("$dir", n.IsFolder), ("$u", uid), ("$src", n.Id), ("$remain", remain), ("$exp", expires),
            ("$name", n.Name), ("$now", now), ("$sv", shareView), ("$sr", showReadMe));
    }

    /// <summary>An edit sets (or clears) the download limit and the expiry and the view flags; never the password (cap 416, 417).</summary>
    public static void Update(SqliteConnection c, SqliteTransaction tx, long id, long remain, long? expires, bool shareView, bool showReadMe) =>
        c.Exec("UPDATE shares SET remain_downloads=$remain, expires=$exp, share_view=$sv, show_readme=$sr, updated_at=$now WHERE id=$id", tx,
            ("$remain", remain), ("$exp", expires), ("$sv", shareView), ("$sr", showReadMe), ("$now", GoTime.Now()), ("$id", id));

    public static void CountView(SqliteConnection c, SqliteTransaction tx, long id) =>
        c.Exec("UPDATE shares SET views=views+1 WHERE id=$id", tx, ("$id", id));

    /// <summary>The shared file or folder, wherever it is now (null when it is gone).</summary>
    public static V4Node? Source(SqliteConnection c, V4ShareRow s, SqliteTransaction? tx = null)
    {
        if (s.IsDir) return Objects.Folder(c, s.SourceId, tx) is { } d && d.OwnerId == s.UserId ? V4Node.Of(d) : null;
        return Objects.File(c, s.SourceId, tx) is { IsPlaceholder: false } f && f.UserId == s.UserId ? V4Node.Of(f) : null;
    }

    /// <summary>IsShareExpired: past its expiry or out of downloads.</summary>
    public static bool IsExpired(V4ShareRow s) =>
        s.Expires is { } e && e <= GoTime.NowUnix() || s.Limited && s.RemainDownloads <= 0;

    /// <summary>IsValidShare: not expired, owner active, source present and not in the trash.</summary>
    public static bool IsValid(SqliteConnection c, V4ShareRow s, SqliteTransaction? tx = null)
    {
        if (IsExpired(s)) return false;
        if (Users.ById(c, s.UserId, tx) is not { Status: UserStatus.Active }) return false;
        return Source(c, s, tx) is { } n && V4Fs.Segments(c, n, tx) != null;
    }
}

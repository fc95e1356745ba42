using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Schema additions of the 4.18 shares, WebDAV accounts and admin groups (idempotent). V4Shares, direct links and
/// WebDAV accounts keep living in the v3 tables (shares, source_links, webdavs); v4 adds the columns only it uses, and
/// a table for group permission bits and settings the v3 columns cannot hold.
/// </summary>
internal static class V4SvcSchema
{
    public static void Apply(Database db)
    {
        Schema.AddColumnIfMissing(db, "shares", "share_view", "INTEGER NOT NULL DEFAULT 0");
        Schema.AddColumnIfMissing(db, "shares", "show_readme", "INTEGER NOT NULL DEFAULT 0");
        Schema.AddColumnIfMissing(db, "webdavs", "uri", "TEXT NULL");
        Schema.AddColumnIfMissing(db, "webdavs", "disable_sys_files", "INTEGER NOT NULL DEFAULT 0");
        db.Exec("""
            CREATE TABLE IF NOT EXISTS v4_group_props (
                group_id INTEGER PRIMARY KEY,
                permissions TEXT NOT NULL,
                settings TEXT NOT NULL
            );
            """);
    }
}

/// <summary>Hashid type tags of the objects these routes hand out (pkg/hashid: ShareID 0, UserID 1, SourceLinkID 6, DavAccountID 12).</summary>
internal static class V4SvcIds
{
    public const int Share = HashIds.Share, User = HashIds.User, DirectLink = HashIds.SourceLink, DavAccount = 12;
}

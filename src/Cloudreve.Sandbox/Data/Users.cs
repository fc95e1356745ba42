using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

/// <summary>Queries on users, groups and policies.</summary>
internal static class Users
{
    private const string UserCols = "id,email,nick,password,status,group_id,two_factor,storage,avatar,preferred_theme,profile_off,created_at,updated_at";
    private const string GroupCols = "id,name,policy_id,max_storage,allow_share,allow_remote_download,allow_archive_download,share_download,compress,webdav,source_batch,advance_delete,allow_webdav_proxy,created_at,updated_at,one_time_download";
    private const string PolicyCols = "id,name,type,max_size,file_types,chunk_size,created_at,updated_at";

    private static UserRow MapUser(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt64(5), r.GetString(6),
        r.GetInt64(7), r.GetString(8), r.GetString(9), r.GetInt64(10) != 0, r.GetInt64(11), r.GetInt64(12));

    private static GroupRow MapGroup(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4) != 0, r.GetInt64(5) != 0,
        r.GetInt64(6) != 0, r.GetInt64(7) != 0, r.GetInt64(8) != 0, r.GetInt64(9) != 0, r.GetInt32(10),
        r.GetInt64(11) != 0, r.GetInt64(12) != 0, r.GetInt64(13), r.GetInt64(14), r.GetInt64(15) != 0);

    private static PolicyRow MapPolicy(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7));

    public static UserRow? ById(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {UserCols} FROM users WHERE id=$id", MapUser, tx, ("$id", id));

    /// <summary>SQL equality: case-sensitive as on Cloudreve's default SQLite install.</summary>
    public static UserRow? ByEmail(SqliteConnection c, string email, SqliteTransaction? tx = null) =>
        c.One($"SELECT {UserCols} FROM users WHERE email=$e", MapUser, tx, ("$e", email));

    public static List<UserRow> All(SqliteConnection c, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {UserCols} FROM users ORDER BY id", MapUser, tx);

    public static GroupRow? Group(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {GroupCols} FROM groups WHERE id=$id", MapGroup, tx, ("$id", id));

    public static List<GroupRow> Groups(SqliteConnection c, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {GroupCols} FROM groups ORDER BY id", MapGroup, tx);

    public static List<PolicyRow> Policies(SqliteConnection c, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {PolicyCols} FROM policies ORDER BY id", MapPolicy, tx);

    /// <summary>Number of users in a group.</summary>
    public static long CountInGroup(SqliteConnection c, long groupId, SqliteTransaction? tx = null) =>
        (long)(c.Scalar("SELECT COUNT(*) FROM users WHERE group_id=$g", tx, ("$g", groupId)) ?? 0L);

    public static PolicyRow? Policy(SqliteConnection c, long id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {PolicyCols} FROM policies WHERE id=$id", MapPolicy, tx, ("$id", id));

    public static long Create(SqliteConnection c, SqliteTransaction tx, string email, string nick, string passwordHash, long groupId, int status, string twoFactor)
    {
        var now = GoTime.Now();
        var id = c.InsertId(
            "INSERT INTO users(email,nick,password,status,group_id,two_factor,storage,created_at,updated_at) VALUES($e,$n,$p,$s,$g,$t,0,$now,$now)",
            tx, ("$e", email), ("$n", nick), ("$p", passwordHash), ("$s", status), ("$g", groupId), ("$t", twoFactor), ("$now", now));
        c.Exec("INSERT INTO folders(name,parent_id,owner_id,created_at,updated_at) VALUES('/',NULL,$u,$now,$now)", tx, ("$u", id), ("$now", now));
        return id;
    }

    public static void SetPassword(SqliteConnection c, SqliteTransaction tx, long id, string hash) =>
        c.Exec("UPDATE users SET password=$p, updated_at=$now WHERE id=$id", tx, ("$p", hash), ("$now", GoTime.Now()), ("$id", id));

    public static void SetTwoFactor(SqliteConnection c, SqliteTransaction tx, long id, string secret) =>
        c.Exec("UPDATE users SET two_factor=$t, updated_at=$now WHERE id=$id", tx, ("$t", secret), ("$now", GoTime.Now()), ("$id", id));

    /// <summary>Adds (or with a negative delta subtracts, floored at 0) bytes to the user's used storage.</summary>
    public static void AddStorage(SqliteConnection c, SqliteTransaction tx, long id, long delta) =>
        c.Exec("UPDATE users SET storage=MAX(0, storage+$d) WHERE id=$id", tx, ("$d", delta), ("$id", id));
}

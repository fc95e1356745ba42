using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

internal sealed record UploadSessionRow(string Id, long UserId, long FileId, long FolderId, string Name, long Size, long ChunkSize, long LastModified, long PolicyId, long Expires);

/// <summary>Upload sessions (Cloudreve keeps them in its cache; here they live in SQLite with an expiry).</summary>
internal static class Uploads
{
    private const string Cols = "id,user_id,file_id,folder_id,name,size,chunk_size,last_modified,policy_id,expires";

    private static UploadSessionRow Map(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9));

    /// <summary>The session if it exists and has not expired.</summary>
    public static UploadSessionRow? Live(SqliteConnection c, string id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {Cols} FROM upload_sessions WHERE id=$id AND expires>$now", Map, tx, ("$id", id), ("$now", GoTime.NowUnix()));

    public static void Insert(SqliteConnection c, SqliteTransaction tx, UploadSessionRow s) =>
        c.Exec($"INSERT INTO upload_sessions({Cols}) VALUES($id,$u,$f,$fo,$n,$s,$cs,$lm,$p,$e)", tx,
            ("$id", s.Id), ("$u", s.UserId), ("$f", s.FileId), ("$fo", s.FolderId), ("$n", s.Name), ("$s", s.Size),
            ("$cs", s.ChunkSize), ("$lm", s.LastModified), ("$p", s.PolicyId), ("$e", s.Expires));

    /// <summary>Every open session expires now (sandbox control); returns how many. Placeholders stay, as in 3.8.3.</summary>
    public static int ExpireAll(SqliteConnection c, SqliteTransaction tx) =>
        c.Exec("UPDATE upload_sessions SET expires=0 WHERE expires>$now", tx, ("$now", GoTime.NowUnix()));

    public static void Delete(SqliteConnection c, SqliteTransaction tx, string id) =>
        c.Exec("DELETE FROM upload_sessions WHERE id=$id", tx, ("$id", id));
}

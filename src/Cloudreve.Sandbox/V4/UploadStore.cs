using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// One 4.18 upload session. <see cref="FileId"/> is the placeholder (a new file, listed with size 0 and
/// sys:upload_session_id until it completes) or, for entity_type "version", the existing file that gets a new
/// primary entity. The bytes collect in <see cref="SourceName"/>; <see cref="Chunks"/> holds the indices received.
/// </summary>
internal sealed record V4UploadSession(
    string Id, long UserId, long FileId, bool IsVersion, string SourceName, long Size, long ChunkSize, long LastModified,
    long PolicyId, string PolicyType, long Expires, string CallbackSecret, string UploadId, string Uri, string Chunks)
{
    /// <summary>Number of chunks: at least one, so a zero-byte file is sent as one empty chunk 0 (cap 310, 311).</summary>
    public long ChunkCount => Size == 0 || ChunkSize == 0 ? 1 : (Size + ChunkSize - 1) / ChunkSize;

    public bool Live => Expires > GoTime.NowUnix();

    public HashSet<long> Received =>
        Chunks.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToHashSet();
}

/// <summary>The 4.18 upload sessions (table v4_upload_sessions; the v3 table keeps its shape).</summary>
internal static class UploadStore
{
    private const string Cols = "id,user_id,file_id,is_version,source_name,size,chunk_size,last_modified,policy_id,policy_type,expires,callback_secret,upload_id,uri,chunks";

    public static void Apply(Database db) => db.Exec("""
        CREATE TABLE IF NOT EXISTS v4_upload_sessions (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            file_id INTEGER NOT NULL,
            is_version INTEGER NOT NULL DEFAULT 0,
            source_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            chunk_size INTEGER NOT NULL,
            last_modified INTEGER NOT NULL DEFAULT 0,
            policy_id INTEGER NOT NULL,
            policy_type TEXT NOT NULL,
            expires INTEGER NOT NULL,
            callback_secret TEXT NOT NULL,
            upload_id TEXT NOT NULL DEFAULT '',
            uri TEXT NOT NULL,
            chunks TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX IF NOT EXISTS idx_v4_upload_sessions_file ON v4_upload_sessions(file_id);
        """);

    private static V4UploadSession Map(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3) != 0, r.GetString(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7),
        r.GetInt64(8), r.GetString(9), r.GetInt64(10), r.GetString(11), r.GetString(12), r.GetString(13), r.GetString(14));

    /// <summary>The session, expired or not (a cancel works on expired sessions, cap 349).</summary>
    public static V4UploadSession? Get(SqliteConnection c, string id, SqliteTransaction? tx = null) =>
        c.One($"SELECT {Cols} FROM v4_upload_sessions WHERE id=$id", Map, tx, ("$id", id));

    public static List<V4UploadSession> ForFile(SqliteConnection c, long fileId, SqliteTransaction? tx = null) =>
        c.Query($"SELECT {Cols} FROM v4_upload_sessions WHERE file_id=$f", Map, tx, ("$f", fileId));

    public static void Insert(SqliteConnection c, SqliteTransaction tx, V4UploadSession s) =>
        c.Exec($"INSERT INTO v4_upload_sessions({Cols}) VALUES($id,$u,$f,$v,$src,$s,$cs,$lm,$p,$pt,$e,$cb,$up,$uri,'')", tx,
            ("$id", s.Id), ("$u", s.UserId), ("$f", s.FileId), ("$v", s.IsVersion ? 1 : 0), ("$src", s.SourceName), ("$s", s.Size),
            ("$cs", s.ChunkSize), ("$lm", s.LastModified), ("$p", s.PolicyId), ("$pt", s.PolicyType), ("$e", s.Expires),
            ("$cb", s.CallbackSecret), ("$up", s.UploadId), ("$uri", s.Uri));

    /// <summary>Records a received chunk; returns the session as updated.</summary>
    public static V4UploadSession AddChunk(SqliteConnection c, SqliteTransaction tx, V4UploadSession s, long index)
    {
        var set = s.Received;
        set.Add(index);
        var chunks = string.Join(',', set.OrderBy(i => i));
        c.Exec("UPDATE v4_upload_sessions SET chunks=$c WHERE id=$id", tx, ("$c", chunks), ("$id", s.Id));
        return s with { Chunks = chunks };
    }

    /// <summary>Every open session expires now (sandbox control); returns how many. Placeholders stay and keep their names.</summary>
    public static int ExpireAll(SqliteConnection c, SqliteTransaction tx) =>
        c.Exec("UPDATE v4_upload_sessions SET expires=0 WHERE expires>$now", tx, ("$now", GoTime.NowUnix()));

    public static void Delete(SqliteConnection c, SqliteTransaction tx, string id) =>
        c.Exec("DELETE FROM v4_upload_sessions WHERE id=$id", tx, ("$id", id));
}

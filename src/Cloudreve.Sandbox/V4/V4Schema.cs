using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Tables only Cloudreve 4.18 needs (idempotent; the v3 tables keep their shape). Each v4 area adds its own method
/// here and calls it from <see cref="Apply"/> (CREATE TABLE IF NOT EXISTS / Schema.AddColumnIfMissing).
/// </summary>
internal static class V4Schema
{
    public static void Apply(Database db)
    {
        Core(db);
        UploadStore.Apply(db);
        Entities.Apply(db);
    }

    /// <summary>Sign-out revocations and the trash (section 2.6, 8).</summary>
    private static void Core(Database db) => db.Exec("""
        CREATE TABLE IF NOT EXISTS v4_revoked_tokens (
            root_token_id TEXT PRIMARY KEY,
            expires INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS v4_trash_roots (
            user_id INTEGER PRIMARY KEY,
            folder_id INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS v4_trash (
            uuid TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            is_folder INTEGER NOT NULL,
            object_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            restore_uri TEXT NOT NULL,
            trashed_at INTEGER NOT NULL,
            collect_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_v4_trash_user ON v4_trash(user_id);
        """);
}

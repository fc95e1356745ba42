namespace Cloudreve.Sandbox.Data;

/// <summary>Creates the tables (idempotent).</summary>
internal static class Schema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS policies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            max_size INTEGER NOT NULL DEFAULT 0,
            file_types TEXT NOT NULL DEFAULT '',
            chunk_size INTEGER NOT NULL DEFAULT 26214400,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            policy_id INTEGER NOT NULL,
            max_storage INTEGER NOT NULL,
            allow_share INTEGER NOT NULL,
            allow_remote_download INTEGER NOT NULL,
            allow_archive_download INTEGER NOT NULL,
            share_download INTEGER NOT NULL,
            compress INTEGER NOT NULL,
            webdav INTEGER NOT NULL,
            source_batch INTEGER NOT NULL,
            advance_delete INTEGER NOT NULL,
            allow_webdav_proxy INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            one_time_download INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL UNIQUE,
            nick TEXT NOT NULL,
            password TEXT NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,
            group_id INTEGER NOT NULL,
            two_factor TEXT NOT NULL DEFAULT '',
            storage INTEGER NOT NULL DEFAULT 0,
            avatar TEXT NOT NULL DEFAULT '',
            preferred_theme TEXT NOT NULL DEFAULT '',
            profile_off INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS folders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            parent_id INTEGER NULL REFERENCES folders(id),
            owner_id INTEGER NOT NULL REFERENCES users(id),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS idx_folders_parent_name ON folders(parent_id, name);
        CREATE INDEX IF NOT EXISTS idx_folders_owner ON folders(owner_id);
        CREATE TABLE IF NOT EXISTS files (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            source_name TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            size INTEGER NOT NULL DEFAULT 0,
            folder_id INTEGER NOT NULL REFERENCES folders(id),
            policy_id INTEGER NOT NULL,
            upload_session_id TEXT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS idx_files_folder_name ON files(folder_id, name, user_id);
        CREATE INDEX IF NOT EXISTS idx_files_user ON files(user_id);
        CREATE TABLE IF NOT EXISTS upload_sessions (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            file_id INTEGER NOT NULL,
            folder_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            chunk_size INTEGER NOT NULL,
            received INTEGER NOT NULL DEFAULT 0,
            last_modified INTEGER NOT NULL DEFAULT 0,
            policy_id INTEGER NOT NULL,
            expires INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS shares (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            password TEXT NOT NULL DEFAULT '',
            is_dir INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            views INTEGER NOT NULL DEFAULT 0,
            downloads INTEGER NOT NULL DEFAULT 0,
            remain_downloads INTEGER NOT NULL DEFAULT -1,
            expires INTEGER NULL,
            preview_enabled INTEGER NOT NULL DEFAULT 0,
            source_name TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS webdavs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            password TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            root TEXT NOT NULL,
            readonly INTEGER NOT NULL DEFAULT 0,
            use_proxy INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS source_links (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            file_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            downloads INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """;

    public static void Apply(Database db)
    {
        db.Exec(Ddl);
        // Data folders made by older sandbox builds lack the later columns.
        AddColumnIfMissing(db, "groups", "one_time_download", "INTEGER NOT NULL DEFAULT 0");
        // Cloudreve 4.18 state (tables of their own; the v3 tables keep their shape).
        V4.V4Schema.Apply(db);
    }

    internal static void AddColumnIfMissing(Database db, string table, string column, string definition)
    {
        var exists = db.Read(c => c.Query($"PRAGMA table_info({table})", r => r.GetString(1)).Contains(column, StringComparer.Ordinal));
        if (!exists) db.Exec($"ALTER TABLE {table} ADD COLUMN {column} {definition}");
    }
}

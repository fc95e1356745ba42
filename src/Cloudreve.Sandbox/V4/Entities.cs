using System.Collections.Concurrent;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Content entities (reference 5.1, 10.2): a file's first content is entity <c>hashid(fileId, Entity)</c>; an
/// overwrite through entity_type "version" gives the file a new entity (row in v4_entities, raw id
/// <see cref="VersionBase"/> + row id) while the file keeps its id. Old versions are not kept (version retention is
/// off for new users, cap 536, 549, 580). Folders and empty files share the empty entity (raw id 0).
/// The newest version of each file is also kept in memory, so the FileResponse writer needs no query.
/// </summary>
internal sealed class Entities
{
    /// <summary>Raw ids at or above this are version rows; below it they are file ids.</summary>
    public const long VersionBase = 1L << 40;

    private readonly ConcurrentDictionary<long, (long Raw, string Source)> _current = new();

    public Entities(Database db)
    {
        foreach (var (file, id, source) in db.Read(c => c.Query("SELECT file_id, id, source_name FROM v4_entities ORDER BY id",
                     r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2)))))
            _current[file] = (VersionBase + id, source);
    }

    public static void Apply(Database db) => db.Exec("""
        CREATE TABLE IF NOT EXISTS v4_entities (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            file_id INTEGER NOT NULL,
            source_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_v4_entities_file ON v4_entities(file_id);
        """);

    /// <summary>The raw id of the file's current entity: its newest version, else the file id; 0 for empty content.</summary>
    public long CurrentRaw(FileRow f)
    {
        if (f.Size == 0 && f.UploadSessionId == null) return 0;
        return _current.TryGetValue(f.Id, out var v) && v.Source == f.SourceName ? v.Raw : f.Id;
    }

    /// <summary>Records the new content of a version upload (older version rows of the file go); returns its raw id.</summary>
    public long AddVersion(SqliteConnection c, SqliteTransaction tx, long fileId, string sourceName, long size)
    {
        c.Exec("DELETE FROM v4_entities WHERE file_id=$f", tx, ("$f", fileId));
        var raw = VersionBase + c.InsertId("INSERT INTO v4_entities(file_id,source_name,size,created_at) VALUES($f,$s,$size,$now)", tx,
            ("$f", fileId), ("$s", sourceName), ("$size", size), ("$now", GoTime.Now()));
        _current[fileId] = (raw, sourceName);
        return raw;
    }

    /// <summary>What a content URL's entity id stands for: (file, stored bytes); null when that content no longer exists.</summary>
    public (FileRow File, string SourceName)? Resolve(SqliteConnection c, long raw)
    {
        if (raw >= VersionBase)
        {
            var rows = c.Query("SELECT file_id, source_name FROM v4_entities WHERE id=$id", r => (FileId: r.GetInt64(0), Source: r.GetString(1)), null, ("$id", raw - VersionBase));
            if (rows.Count == 0) return null;
            var f = Objects.File(c, rows[0].FileId);
            return f == null || f.SourceName != rows[0].Source ? null : (f, rows[0].Source);
        }
        var file = Objects.File(c, raw);
        if (file == null || file.UploadSessionId != null || CurrentRaw(file) != raw) return null;
        return (file, file.SourceName);
    }
}

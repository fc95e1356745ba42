using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

/// <summary>Key/value settings (Cloudreve's settings table, plus sandbox secrets).</summary>
internal static class Settings
{
    public static string? Get(SqliteConnection c, string name, SqliteTransaction? tx = null) =>
        c.Scalar("SELECT value FROM settings WHERE name=$n", tx, ("$n", name)) as string;

    public static void Set(SqliteConnection c, string name, string value, SqliteTransaction? tx = null) =>
        c.Exec("INSERT INTO settings(name,value) VALUES($n,$v) ON CONFLICT(name) DO UPDATE SET value=excluded.value", tx, ("$n", name), ("$v", value));
}

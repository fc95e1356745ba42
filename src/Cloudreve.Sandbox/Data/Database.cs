using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

/// <summary>
/// The sandbox's SQLite database: one connection guarded by a lock, so concurrent requests are serialised;
/// every write runs in a transaction.
/// </summary>
internal sealed class Database : IDisposable
{
    private readonly SqliteConnection _conn;
    private readonly object _gate = new();

    public Database(string file)
    {
        _conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _conn.Open();
        Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
        Schema.Apply(this);
    }

    public T Read<T>(Func<SqliteConnection, T> f)
    {
        lock (_gate) return f(_conn);
    }

    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> f)
    {
        lock (_gate)
        {
            using var tx = _conn.BeginTransaction();
            var result = f(_conn, tx);
            tx.Commit();
            return result;
        }
    }

    public void Write(Action<SqliteConnection, SqliteTransaction> f) => Write<bool>((c, t) =>
    {
        f(c, t);
        return true;
    });

    public void Exec(string sql)
    {
        lock (_gate)
        {
            using var cmd = _conn.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _conn.Dispose();
        }
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>Small helpers for parameterised commands.</summary>
internal static class Sql
{
    public static SqliteCommand Cmd(this SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public static int Exec(this SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = c.Cmd(sql, tx, args);
        return cmd.ExecuteNonQuery();
    }

    public static long InsertId(this SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = c.Cmd(sql + "; SELECT last_insert_rowid();", tx, args);
        return (long)cmd.ExecuteScalar()!;
    }

    public static object? Scalar(this SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = c.Cmd(sql, tx, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static List<T> Query<T>(this SqliteConnection c, string sql, Func<SqliteDataReader, T> map, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = c.Cmd(sql, tx, args);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(map(r));
        return list;
    }

    public static T? One<T>(this SqliteConnection c, string sql, Func<SqliteDataReader, T> map, SqliteTransaction? tx = null, params (string, object?)[] args)
        where T : class
    {
        var list = c.Query(sql, map, tx, args);
        return list.Count > 0 ? list[0] : null;
    }

    public static long? NullableLong(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public static string? NullableString(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

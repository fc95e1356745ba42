using System.Security.Cryptography;
using Cloudreve.Sandbox.Hosting;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Data;

/// <summary>First-run installation (policy, groups, secrets) and the accounts given on the command line.</summary>
internal static class Seeder
{
    public const long AdminGroup = 1, UserGroup = 2, AnonymousGroup = 3;
    private const long GiB = 1L << 30;

    public sealed record Result(string AdminEmail, string AdminPassword, bool AdminTwoFactor);

    public static void Install(Database db) => db.Write((c, tx) =>
    {
        if (Settings.Get(c, "hashid_salt", tx) != null) return;
        var now = GoTime.Now();
        Settings.Set(c, "hashid_salt", RandomString(), tx);
        Settings.Set(c, "sign_secret", RandomString() + RandomString(), tx);
        c.Exec("INSERT INTO policies(id,name,type,max_size,file_types,chunk_size,created_at,updated_at) VALUES(1,'Default storage policy','local',0,'',26214400,$n,$n)", tx, ("$n", now));
        InsertGroup(c, tx, AdminGroup, "Admin", 1, GiB, share: true, aria2: true, archive: true, shareDownload: true, compress: true, webdav: true, sourceBatch: 1000, advanceDelete: true, now);
        InsertGroup(c, tx, UserGroup, "User", 1, GiB, share: true, aria2: false, archive: false, shareDownload: true, compress: false, webdav: true, sourceBatch: 10, advanceDelete: false, now);
        InsertGroup(c, tx, AnonymousGroup, "Anonymous", 0, 0, share: false, aria2: false, archive: false, shareDownload: true, compress: false, webdav: false, sourceBatch: 0, advanceDelete: false, now);
    });

    /// <summary>Creates or updates the admin (user #1) and the extra users.</summary>
    public static Result ApplyAccounts(Database db, SandboxOptions o) => db.Write((c, tx) =>
    {
        ApplyStorage(c, tx, o);
        var admin = Users.ById(c, 1, tx);
        string password;
        if (admin == null)
        {
            password = o.AdminPassword ?? Passwords.Random();
            Users.Create(c, tx, o.AdminEmail, "admin", Passwords.Hash(password), AdminGroup, UserStatus.Active, o.AdminTotpSecret ?? "");
        }
        else
        {
            password = o.AdminPassword ?? Settings.Get(c, "sandbox_admin_password", tx) ?? Passwords.Random();
            if (o.AdminPassword != null || Settings.Get(c, "sandbox_admin_password", tx) == null)
                Users.SetPassword(c, tx, 1, Passwords.Hash(password));
            if (!string.Equals(admin.Email, o.AdminEmail, StringComparison.Ordinal))
            {
                var clash = Users.ByEmail(c, o.AdminEmail, tx);
                if (clash != null) throw new InvalidOperationException($"The e-mail {o.AdminEmail} already belongs to user #{clash.Id}.");
                c.Exec("UPDATE users SET email=$e WHERE id=1", tx, ("$e", o.AdminEmail));
            }
            if (o.AdminTotpSecret != null) Users.SetTwoFactor(c, tx, 1, o.AdminTotpSecret);
        }
        Settings.Set(c, "sandbox_admin_password", password, tx);

        var groups = Users.Groups(c, tx);
        foreach (var u in o.Users)
        {
            var group = groups.FirstOrDefault(g => string.Equals(g.Name, u.Group, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"Unknown group '{u.Group}' for user {u.Email} (groups: {string.Join(", ", groups.Select(g => g.Name))}).");
            var existing = Users.ByEmail(c, u.Email, tx);
            if (existing == null)
            {
                var nick = u.Email.Split('@')[0];
                Users.Create(c, tx, u.Email, nick, Passwords.Hash(u.Password), group.Id, UserStatus.Active, u.TotpSecret ?? "");
            }
            else
            {
                Users.SetPassword(c, tx, existing.Id, Passwords.Hash(u.Password));
                if (existing.Id != 1) c.Exec("UPDATE users SET group_id=$g WHERE id=$id", tx, ("$g", group.Id), ("$id", existing.Id));
                if (u.TotpSecret != null) Users.SetTwoFactor(c, tx, existing.Id, u.TotpSecret);
            }
        }

        var final = Users.ById(c, 1, tx)!;
        return new Result(final.Email, password, final.TwoFactor.Length > 0);
    });

    /// <summary>Storage options: policy per type, group policies and quotas, policy limits, one-time download.</summary>
    private static void ApplyStorage(SqliteConnection c, SqliteTransaction tx, SandboxOptions o)
    {
        var now = GoTime.Now();
        long EnsurePolicy(string type)
        {
            if (c.Scalar("SELECT id FROM policies WHERE type=$t ORDER BY id LIMIT 1", tx, ("$t", type)) is long id) return id;
            return c.InsertId("INSERT INTO policies(name,type,max_size,file_types,chunk_size,created_at,updated_at) VALUES($n,$t,0,'',26214400,$now,$now)",
                tx, ("$n", PolicyTypes.DefaultName(type)), ("$t", type), ("$now", now));
        }

        if (o.PolicyType != null)
        {
            var p = EnsurePolicy(o.PolicyType);
            c.Exec("UPDATE groups SET policy_id=$p WHERE id IN ($a,$u)", tx, ("$p", p), ("$a", AdminGroup), ("$u", UserGroup));
        }
        foreach (var g in o.Groups)
        {
            var p = EnsurePolicy(g.PolicyType);
            if (c.Scalar("SELECT id FROM groups WHERE name=$n COLLATE NOCASE AND id>3", tx, ("$n", g.Name)) is long existing)
            {
                c.Exec("UPDATE groups SET policy_id=$p, max_storage=$m, one_time_download=$o, updated_at=$now WHERE id=$id", tx,
                    ("$p", p), ("$m", g.MaxStorage), ("$o", g.OneTimeDownload), ("$now", now), ("$id", existing));
                continue;
            }
            var id = Math.Max(4, (long)(c.Scalar("SELECT MAX(id) FROM groups", tx) ?? 0L) + 1);
            InsertGroup(c, tx, id, g.Name, p, g.MaxStorage, share: true, aria2: false, archive: false, shareDownload: true, compress: false, webdav: true, sourceBatch: 10, advanceDelete: false, now);
            if (g.OneTimeDownload) c.Exec("UPDATE groups SET one_time_download=1 WHERE id=$id", tx, ("$id", id));
        }
        if (o.ChunkSize is { } chunk) c.Exec("UPDATE policies SET chunk_size=$c", tx, ("$c", chunk));
        if (o.PolicyFileTypes is { } types) c.Exec("UPDATE policies SET file_types=$f", tx, ("$f", string.Join(',', types)));
        if (o.PolicyMaxSize is { } maxSize) c.Exec("UPDATE policies SET max_size=$m", tx, ("$m", maxSize));
        if (o.UserMaxStorage is { } quota) c.Exec("UPDATE groups SET max_storage=$m WHERE id=$id", tx, ("$m", quota), ("$id", UserGroup));
        if (o.OneTimeDownload) c.Exec("UPDATE groups SET one_time_download=1 WHERE id<>$a", tx, ("$a", AdminGroup));
    }

    private static void InsertGroup(SqliteConnection c, SqliteTransaction tx, long id, string name, long policy, long maxStorage,
        bool share, bool aria2, bool archive, bool shareDownload, bool compress, bool webdav, int sourceBatch, bool advanceDelete, long now)
    {
        c.Exec("""
            INSERT INTO groups(id,name,policy_id,max_storage,allow_share,allow_remote_download,allow_archive_download,share_download,
                               compress,webdav,source_batch,advance_delete,allow_webdav_proxy,created_at,updated_at)
            VALUES($id,$name,$p,$max,$share,$aria2,$archive,$sd,$compress,$webdav,$sb,$ad,0,$now,$now)
            """, tx, ("$id", id), ("$name", name), ("$p", policy), ("$max", maxStorage), ("$share", share), ("$aria2", aria2),
            ("$archive", archive), ("$sd", shareDownload), ("$compress", compress), ("$webdav", webdav), ("$sb", sourceBatch),
            ("$ad", advanceDelete), ("$now", now));
    }

    private static string RandomString() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}

using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// A group's 4.18 permission boolset and settings. The sandbox keeps one group table: a group the v4 admin API never
/// wrote has 4.18's defaults (system groups) or follows its v3 columns (share, WebDAV, archive, ...); once written
/// through PUT /admin/group the bits and settings are kept in v4_group_props, and the v3 columns follow the bits.
/// </summary>
internal static class V4GroupPerms
{
    public static HashSet<int> Of(Req req, GroupRow g) => req.App.Db.Read(c => Of(c, g));

    public static HashSet<int> Of(SqliteConnection c, GroupRow g, SqliteTransaction? tx = null)
    {
        if (Stored(c, g.Id, tx) is { } s && V4BoolSet.Decode(s.Permissions) is { } bits) return bits;
        return Derived(g);
    }

    /// <summary>
    /// The three system groups have 4.18's defaults (Admin "/RoB", User "hAg=", Anonymous "gg==", cap 35, 139); other
    /// groups follow their v3 columns.
    /// </summary>
    public static HashSet<int> Derived(GroupRow g) => g.Id switch
    {
        Seeder.AdminGroup => [V4Bits.IsAdmin, V4Bits.Share, V4Bits.WebDav, V4Bits.ArchiveDownload, V4Bits.ArchiveTask, V4Bits.WebDavProxy,
            V4Bits.ShareDownload, V4Bits.RemoteDownload, V4Bits.RedirectedSource, V4Bits.AdvanceDelete, V4Bits.IgnoreFileOwnership],
        Seeder.UserGroup => [V4Bits.Share, V4Bits.ShareDownload, V4Bits.RedirectedSource],
        Seeder.AnonymousGroup => [V4Bits.IsAnonymous, V4Bits.ShareDownload],
        _ => FromColumns(g),
    };

    private static HashSet<int> FromColumns(GroupRow g)
    {
        var bits = new HashSet<int> { V4Bits.RedirectedSource };
        if (g.AllowShare) bits.Add(V4Bits.Share);
        if (g.WebDav) bits.Add(V4Bits.WebDav);
        if (g.AllowArchiveDownload) bits.Add(V4Bits.ArchiveDownload);
        if (g.Compress) bits.Add(V4Bits.ArchiveTask);
        if (g.AllowWebDavProxy) bits.Add(V4Bits.WebDavProxy);
        if (g.ShareDownload) bits.Add(V4Bits.ShareDownload);
        if (g.AllowRemoteDownload) bits.Add(V4Bits.RemoteDownload);
        if (g.AdvanceDelete) bits.Add(V4Bits.AdvanceDelete);
        return bits;
    }

    /// <summary>The settings object (GroupSetting, every key omitempty), e.g. {source_batch:10, aria2_batch:1, max_walked_files:100000, trash_retention:604800, redirected_source:true}.</summary>
    public static JsonObject Settings(SqliteConnection c, GroupRow g, SqliteTransaction? tx = null)
    {
        if (Stored(c, g.Id, tx) is { } s && JsonNode.Parse(s.Settings) is JsonObject o) return o;
        var d = new JsonObject();
        if (g.SourceBatch > 0) d["source_batch"] = g.SourceBatch;
        var aria2 = g.Id == Seeder.AdminGroup ? 50 : g.Id == Seeder.AnonymousGroup ? 0 : 1;
        if (aria2 > 0) d["aria2_batch"] = aria2;
        d["max_walked_files"] = 100000;
        if (g.Id != Seeder.AnonymousGroup) d["trash_retention"] = 7 * 24 * 3600;
        d["redirected_source"] = true;
        return d;
    }

    /// <summary>The group's direct-link batch size (settings.source_batch).</summary>
    public static int SourceBatch(SqliteConnection c, GroupRow g) =>
        Settings(c, g)["source_batch"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;

    private static (string Permissions, string Settings)? Stored(SqliteConnection c, long groupId, SqliteTransaction? tx)
    {
        var rows = c.Query("SELECT permissions, settings FROM v4_group_props WHERE group_id=$g", r => (r.GetString(0), r.GetString(1)), tx, ("$g", groupId));
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Stores the v4 form and mirrors the bits that have a v3 column.</summary>
    public static void Save(SqliteConnection c, SqliteTransaction tx, long groupId, HashSet<int> bits, JsonObject settings)
    {
        c.Exec("INSERT INTO v4_group_props(group_id,permissions,settings) VALUES($g,$p,$s) ON CONFLICT(group_id) DO UPDATE SET permissions=$p, settings=$s", tx,
            ("$g", groupId), ("$p", V4BoolSet.Encode(bits)), ("$s", settings.ToJsonString()));
        var sourceBatch = settings["source_batch"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
        c.Exec("""
            UPDATE groups SET allow_share=$share, webdav=$dav, allow_archive_download=$ad, compress=$at, allow_webdav_proxy=$proxy,
                share_download=$sd, allow_remote_download=$rd, advance_delete=$del, source_batch=$sb WHERE id=$g
            """, tx, ("$share", bits.Contains(V4Bits.Share)), ("$dav", bits.Contains(V4Bits.WebDav)), ("$ad", bits.Contains(V4Bits.ArchiveDownload)),
            ("$at", bits.Contains(V4Bits.ArchiveTask)), ("$proxy", bits.Contains(V4Bits.WebDavProxy)), ("$sd", bits.Contains(V4Bits.ShareDownload)),
            ("$rd", bits.Contains(V4Bits.RemoteDownload)), ("$del", bits.Contains(V4Bits.AdvanceDelete)), ("$sb", sourceBatch), ("$g", groupId));
    }

    public static void Forget(SqliteConnection c, SqliteTransaction tx, long groupId) =>
        c.Exec("DELETE FROM v4_group_props WHERE group_id=$g", tx, ("$g", groupId));
}

using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;
using Microsoft.Data.Sqlite;

namespace Cloudreve.Sandbox.Routes;

/// <summary>Raw Group and Policy models as the admin API serialises them (PascalCase, gorm.Model fields first).</summary>
internal static class AdminModels
{
    /// <summary>The Group model; null (a user whose group does not exist) gives the zero model with PolicyList null.</summary>
    public static JsonObject Group(SqliteConnection c, GroupRow? g)
    {
        var options = new JsonObject();
        if (g != null)
        {
            // GroupOption field order; every key is omitempty.
            if (g.AllowArchiveDownload) options["archive_download"] = true;
            if (g.Compress) options["archive_task"] = true;
            if (g.OneTimeDownload) options["one_time_download"] = true;
            if (g.ShareDownload) options["share_download"] = true;
            if (g.AllowRemoteDownload) options["aria2"] = true;
            if (g.SourceBatch > 0) options["source_batch"] = g.SourceBatch;
            if (g.Id != Seeder.AnonymousGroup) options["redirected_source"] = true;
            var aria2Batch = g.Id == Seeder.AdminGroup ? 50 : g.Id == Seeder.AnonymousGroup ? 0 : 1;
            if (aria2Batch > 0) options["aria2_batch"] = aria2Batch;
            if (g.AdvanceDelete) options["advance_delete"] = true;
            if (g.AllowWebDavProxy) options["webdav_proxy"] = true;
        }
        return new JsonObject
        {
            ["ID"] = g?.Id ?? 0,
            ["CreatedAt"] = GoTime.Format(g?.CreatedAt ?? 0),
            ["UpdatedAt"] = GoTime.Format(g?.UpdatedAt ?? 0),
            ["DeletedAt"] = null,
            ["Name"] = g?.Name ?? "",
            ["Policies"] = g == null ? "" : g.PolicyId == 0 ? "[]" : $"[{g.PolicyId}]",
            ["MaxStorage"] = g?.MaxStorage ?? 0,
            ["ShareEnabled"] = g?.AllowShare ?? false,
            ["WebDAVEnabled"] = g?.WebDav ?? false,
            ["SpeedLimit"] = 0,
            ["PolicyList"] = g == null ? null : g.PolicyId == 0 ? new JsonArray() : new JsonArray(g.PolicyId),
            ["OptionsSerialized"] = options,
        };
    }

    /// <summary>The Policy model; null gives the zero model.</summary>
    public static JsonObject Policy(PolicyRow? p)
    {
        var fileTypes = p == null ? new JsonArray() : GoJson.Array(p.FileTypeList.Select(t => (JsonNode?)t));
        var opts = new JsonObject
        {
            ["token"] = "",
            ["file_type"] = fileTypes,
            ["mimetype"] = "",
            ["chunk_size"] = p?.ChunkSize ?? 0,
            ["s3_path_style"] = p?.Type == PolicyTypes.S3,
        };
        var optionsText = p == null ? "" : "{\"token\":\"\",\"file_type\":" + (p.FileTypeList.Count == 0 ? "null" : fileTypes.ToJsonString()) +
            ",\"mimetype\":\"\",\"chunk_size\":" + p.ChunkSize.ToString(CultureInfo.InvariantCulture) + ",\"s3_path_style\":" + (p.Type == PolicyTypes.S3 ? "true" : "false") + "}";
        return new JsonObject
        {
            ["ID"] = p?.Id ?? 0,
            ["CreatedAt"] = GoTime.Format(p?.CreatedAt ?? 0),
            ["UpdatedAt"] = GoTime.Format(p?.UpdatedAt ?? 0),
            ["DeletedAt"] = null,
            ["Name"] = p?.Name ?? "",
            ["Type"] = p?.Type ?? "",
            ["Server"] = p == null || p.IsLocal ? "" : ProviderServer(p.Type),
            ["BucketName"] = p?.Type == PolicyTypes.S3 ? Providers.S3Bucket : "",
            ["IsPrivate"] = p != null && !p.IsLocal,
            ["BaseURL"] = "",
            ["AccessKey"] = "",
            ["SecretKey"] = "",
            ["MaxSize"] = p?.MaxSize ?? 0,
            ["AutoRename"] = p != null,
            ["DirNameRule"] = p == null ? "" : "uploads/{uid}/{path}",
            ["FileNameRule"] = p == null ? "" : "{uid}_{randomkey8}_{originname}",
            ["IsOriginLinkEnable"] = false,
            ["Options"] = optionsText,
            ["OptionsSerialized"] = opts,
            ["MasterID"] = "",
        };
    }

    /// <summary>The provider imitations live on the sandbox's own origin; the model names their path.</summary>
    private static string ProviderServer(string type) => type == PolicyTypes.S3 ? "/_provider/s3" : "/_provider/onedrive";
}

using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>JSON shapes shared by several routes (field order as Cloudreve 3.8.3 writes them).</summary>
internal static class Views
{
    public const string Themes = """{"#3f51b5":{"palette":{"primary":{"main":"#3f51b5"},"secondary":{"main":"#f50057"}}},"#2196f3":{"palette":{"primary":{"main":"#2196f3"},"secondary":{"main":"#FFC107"}}},"#673AB7":{"palette":{"primary":{"main":"#673AB7"},"secondary":{"main":"#2196F3"}}},"#E91E63":{"palette":{"primary":{"main":"#E91E63"},"secondary":{"main":"#42A5F5","contrastText":"#fff"}}},"#FF5722":{"palette":{"primary":{"main":"#FF5722"},"secondary":{"main":"#3F51B5"}}},"#FFC107":{"palette":{"primary":{"main":"#FFC107"},"secondary":{"main":"#26C6DA"}}},"#8BC34A":{"palette":{"primary":{"main":"#8BC34A","contrastText":"#fff"},"secondary":{"main":"#FF8A65","contrastText":"#fff"}}},"#009688":{"palette":{"primary":{"main":"#009688"},"secondary":{"main":"#4DD0E1","contrastText":"#fff"}}},"#607D8B":{"palette":{"primary":{"main":"#607D8B"},"secondary":{"main":"#F06292"}}},"#795548":{"palette":{"primary":{"main":"#795548"},"secondary":{"main":"#4CAF50","contrastText":"#fff"}}}}""";

    public static JsonObject Group(GroupRow g, long? idOverride = null) => new()
    {
        ["id"] = idOverride ?? g.Id,
        ["name"] = g.Name,
        ["allowShare"] = g.AllowShare,
        ["allowRemoteDownload"] = g.AllowRemoteDownload,
        ["allowArchiveDownload"] = g.AllowArchiveDownload,
        ["shareDownload"] = g.ShareDownload,
        ["compress"] = g.Compress,
        ["webdav"] = g.WebDav,
        ["sourceBatch"] = g.SourceBatch,
        ["advanceDelete"] = g.AdvanceDelete,
        ["allowWebDAVProxy"] = g.AllowWebDavProxy,
    };

    public static JsonObject User(App app, UserRow u, GroupRow g) => new()
    {
        ["id"] = app.Ids.Encode(u.Id, HashIds.User),
        ["user_name"] = u.Email,
        ["nickname"] = u.Nick,
        ["status"] = u.Status,
        ["avatar"] = u.Avatar,
        ["created_at"] = GoTime.Format(u.CreatedAt),
        ["preferred_theme"] = u.PreferredTheme,
        ["anonymous"] = false,
        ["group"] = Group(g),
        ["tags"] = new JsonArray(),
    };

    /// <summary>The anonymous pseudo-user: raw id 0, group #3's name and flags with id 0.</summary>
    public static JsonObject Anonymous(App app)
    {
        var g = app.Db.Read(c => Users.Group(c, Seeder.AnonymousGroup)) ?? Req.UnknownGroup(0);
        return new JsonObject
        {
            ["id"] = app.Ids.Encode(0, HashIds.User),
            ["user_name"] = "",
            ["nickname"] = "",
            ["status"] = 0,
            ["avatar"] = "",
            ["created_at"] = GoTime.Zero,
            ["preferred_theme"] = "",
            ["anonymous"] = true,
            ["group"] = Group(g, 0),
            ["tags"] = new JsonArray(),
        };
    }
}

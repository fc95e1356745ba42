using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>Section 3 and 16: <c>GET /site/ping</c> and <c>GET /site/config/{section}</c> (anonymous routes).</summary>
internal static class V4Site
{
    public const string Version = "4.18.0";

    private const string Themes = "{\"#1976d2\":{\"light\":{\"palette\":{\"primary\":{\"main\":\"#1976d2\",\"light\":\"#42a5f5\",\"dark\":\"#1565c0\"},\"secondary\":{\"main\":\"#9c27b0\",\"light\":\"#ba68c8\",\"dark\":\"#7b1fa2\"}}},\"dark\":{\"palette\":{\"primary\":{\"main\":\"#90caf9\",\"light\":\"#e3f2fd\",\"dark\":\"#42a5f5\"},\"secondary\":{\"main\":\"#ce93d8\",\"light\":\"#f3e5f5\",\"dark\":\"#ab47bc\"}}}}}";

    public static void Map(Router r)
    {
        r.Get(V4Routes.Prefix + "/site/ping", req => req.Json(V4Envelope.Ok(req.App.Options.PingVersion(Version))));
        r.Get(V4Routes.Prefix + "/site/config/:section", Config);
    }

    private static Task Config(Req req)
    {
        JsonObject data = req.Param("section") switch
        {
            "login" => Login(req),
            "explorer" => new JsonObject
            {
                ["icons"] = "[]",
                ["file_viewers"] = new JsonArray(),
                ["max_batch_size"] = 3000,
                ["thumbnail_width"] = 400,
                ["thumbnail_height"] = 300,
            },
            "app" => new JsonObject { ["app_promotion"] = true, ["desktop_app_promotion"] = true },
            "thumb" => new JsonObject { ["thumb_exts"] = new JsonArray("jpg", "jpeg", "png", "gif", "webp") },
            "emojis" => new JsonObject { ["emoji_preset"] = "{}" },
            _ => Basic(req),
        };
        return req.Json(V4Envelope.Ok(data));
    }

    /// <summary>login: login_captcha is there only when the captcha is on (omitempty, reference 16; cap 461 is without).</summary>
    private static JsonObject Login(Req req)
    {
        var data = new JsonObject();
        if (req.App.Options.LoginCaptcha) data["login_captcha"] = true;
        data["authn"] = true;
        data["register_enabled"] = false;
        data["tos_url"] = "";
        data["privacy_policy_url"] = "";
        return data;
    }

    /// <summary>basic (and any unknown section): the caller or an anonymous user, no version, no site URL (cap 02, 460).</summary>
    private static JsonObject Basic(Req req)
    {
        var app = req.App;
        var instance = app.Db.Write((c, tx) =>
        {
            var id = Settings.Get(c, "v4_instance_id", tx);
            if (id == null)
            {
                id = Guid.NewGuid().ToString();
                Settings.Set(c, "v4_instance_id", id, tx);
            }
            return id;
        });
        JsonObject user;
        if (req.Caller() is { } caller)
        {
            user = V4Json.User(app, caller.User, caller.Group);
        }
        else
        {
            var anon = app.Db.Read(c => Users.Group(c, Seeder.AnonymousGroup)) ?? Req.UnknownGroup(Seeder.AnonymousGroup);
            user = new JsonObject
            {
                ["id"] = app.Ids.Encode(0, HashIds.User),
                ["nickname"] = "",
                ["created_at"] = GoTime.Zero,
                ["anonymous"] = true,
                ["group"] = new JsonObject
                {
                    ["id"] = app.Ids.Encode(anon.Id, V4Ids.Group),
                    ["name"] = anon.Name,
                    ["permission"] = V4Json.Permission(anon),
                },
            };
        }
        return new JsonObject
        {
            ["instance_id"] = instance,
            ["title"] = "Cloudreve",
            ["themes"] = Themes,
            ["default_theme"] = "#1976d2",
            ["user"] = user,
            ["logo"] = "/static/img/logo.svg",
            ["logo_light"] = "/static/img/logo_light.svg",
            ["custom_html"] = new JsonObject(),
            ["captcha_ReCaptchaKey"] = "defaultKey",
            ["captcha_type"] = "normal",
            ["captcha_cap_asset_server"] = "jsdelivr",
            ["app_promotion"] = true,
        };
    }
}

using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox.Routes;

/// <summary>/site/ping, /site/config, /site/captcha and /manifest.json.</summary>
internal static class Site
{
    public const string Version = "3.8.3";

    public static void Map(Router r)
    {
        r.Get("/api/v3/site/ping", req => req.Ok(req.App.Options.PingVersion(Version)));
        r.Get("/api/v3/site/config", Config);
        r.Get("/api/v3/site/captcha", Captcha);
        r.Get("/manifest.json", Manifest);
    }

    private static Task Config(Req req)
    {
        var current = req.CurrentUser;
        lock (req.Session) req.Session.Csrf = true;
        req.SaveSession();
        var user = current is { } cu ? Views.User(req.App, cu.User, cu.Group) : Views.Anonymous(req.App);
        var data = new JsonObject
        {
            ["title"] = "Cloudreve",
            ["loginCaptcha"] = req.App.Options.LoginCaptcha,
            ["regCaptcha"] = false,
            ["forgetCaptcha"] = false,
            ["emailActive"] = false,
            ["themes"] = Views.Themes,
            ["defaultTheme"] = "#3f51b5",
            ["home_view_method"] = "icon",
            ["share_view_method"] = "list",
            ["authn"] = false,
            ["user"] = user,
            ["captcha_ReCaptchaKey"] = "defaultKey",
            ["captcha_type"] = "normal",
            ["tcaptcha_captcha_app_id"] = "",
            ["registerEnabled"] = true,
            ["app_promotion"] = true,
            ["wopi_exts"] = null,
        };
        return req.Ok(data);
    }

    private static Task Captcha(Req req)
    {
        var code = CaptchaImage.NewCode();
        lock (req.Session) req.Session.CaptchaCode = code;
        req.SaveSession();
        return req.Ok(CaptchaImage.DataUrl());
    }

    private static Task Manifest(Req req)
    {
        // Go marshals a map: keys in sorted order.
        var data = new JsonObject
        {
            ["background_color"] = "#ffffff",
            ["display"] = "standalone",
            ["icons"] = new JsonArray(
                new JsonObject { ["sizes"] = "64x64 32x32 24x24 16x16", ["src"] = "/static/img/favicon.ico", ["type"] = "image/x-icon" },
                new JsonObject { ["sizes"] = "192x192", ["src"] = "/static/img/logo192.png", ["type"] = "image/png" },
                new JsonObject { ["sizes"] = "512x512", ["src"] = "/static/img/logo512.png", ["type"] = "image/png" }),
            ["name"] = "Inclusive cloud storage for everyone",
            ["short_name"] = "Cloudreve",
            ["start_url"] = ".",
            ["theme_color"] = "#000000",
        };
        return req.Json(data);
    }
}

namespace Cloudreve.Conformance;

/// <summary>v4 reference sections 1, 3, 16, 17: envelope conventions, version detection, site config, user routes.</summary>
public sealed class V4SiteChecks : V4Checks
{
    public V4SiteChecks(V4Target t) : base(t)
    {
    }

    [V4Check]
    public async Task Cap100_GET_site_ping_answers_4_18_0()
    {
        var r = await T.Anonymous().Get("/site/ping");
        var d = Expect.Ok(r);
        Expect.That(r, d.GetString()!.StartsWith("4.", StringComparison.Ordinal), "a 4.x version");
        if (T.Sandbox != null) Expect.Equal(r, "4.18.0", d.GetString(), "data");
        Expect.Equal(r, "private, no-cache", r.Header("Cache-Control"), "Cache-Control");
        Expect.Equal(r, "application/json; charset=utf-8", r.Header("Content-Type"), "Content-Type");
        Expect.Keys(r, r.Json, "code", "data", "msg");
    }

    [V4Check]
    public async Task Cap101_v3_ping_path_on_a_v4_server_is_a_plain_text_404()
    {
        V4Expect.PlainNotFound(await T.Anonymous().Get("/api/v3/site/ping"));
    }

    [V4Check]
    public async Task Section1_2_unknown_route_and_wrong_method_are_plain_text_404s()
    {
        var anon = T.Anonymous();
        V4Expect.PlainNotFound(await anon.Get("/no/such/route"));
        V4Expect.PlainNotFound(await anon.Send(HttpMethod.Put, "/site/ping"));
    }

    [V4Check]
    public async Task Cap02_site_config_basic_has_an_anonymous_user_and_no_version()
    {
        var r = await T.Anonymous().Get("/site/config/basic");
        var d = Expect.Ok(r);
        Expect.HasKeys(r, d, "instance_id", "title", "themes", "default_theme", "user", "logo", "logo_light", "captcha_type", "app_promotion");
        var user = d.GetProperty("user");
        Expect.Equal(r, true, user.GetProperty("anonymous").GetBoolean(), "user.anonymous");
        Expect.Equal(r, "Anonymous", user.GetProperty("group").GetProperty("name").GetString(), "user.group.name");
        Expect.That(r, !r.Text.Contains("4.18", StringComparison.Ordinal), "no version number (section 16)");
    }

    [V4Check]
    public async Task Cap461_site_config_login_has_the_documented_fields()
    {
        var r = await T.Anonymous().Get("/site/config/login");
        Expect.HasKeys(r, Expect.Ok(r), "authn", "register_enabled", "tos_url", "privacy_policy_url");
    }

    [V4Check]
    public async Task Section16_unknown_config_section_answers_basic()
    {
        var r = await T.Anonymous().Get("/site/config/no-such-section");
        Expect.HasKeys(r, Expect.Ok(r), "instance_id", "title", "user");
    }

    [V4Check]
    public async Task Cap07_user_me_answers_the_caller()
    {
        var r = await Main.Get("/user/me");
        var d = Expect.Ok(r);
        Expect.HasKeys(r, d, "id", "email", "nickname", "status", "created_at", "group");
        Expect.Equal(r, T.Email, d.GetProperty("email").GetString(), "email");
        Expect.Equal(r, "active", d.GetProperty("status").GetString(), "status");
        Expect.HasKeys(r, d.GetProperty("group"), "id", "name", "permission", "direct_link_batch_size", "trash_retention");
        Expect.That(r, d.GetProperty("id").ValueKind == System.Text.Json.JsonValueKind.String, "a hashid string id");
    }

    [V4Check]
    public async Task Cap03_user_capacity_without_a_token_is_code_401()
    {
        V4Expect.Error(await T.Anonymous().Get("/user/capacity"), 401, "Login required");
    }

    [V4Check]
    public async Task Cap08_user_capacity_has_total_and_used_but_no_free()
    {
        var r = await Main.Get("/user/capacity");
        var d = Expect.Ok(r);
        Expect.Keys(r, d, "total", "used");
        Expect.That(r, d.GetProperty("total").GetInt64() >= d.GetProperty("used").GetInt64(), "total >= used");
    }
}

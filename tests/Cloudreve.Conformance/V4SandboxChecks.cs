using System.Text;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Conformance;

/// <summary>4.18.0 sandbox only: control routes, token lifetime option, the request log and fault injection on /api/v4.</summary>
public sealed class V4SandboxChecks : V4Checks
{
    public V4SandboxChecks(V4Target t) : base(t)
    {
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    [V4SandboxCheck]
    public async Task Sessions_expire_control_route_revokes_every_access_and_refresh_token()
    {
        var victim = await T.LoginAsync();
        Expect.Ok(await victim.Get("/user/me"));
        var r = await victim.Send(HttpMethod.Post, "/_sandbox/sessions/expire");
        Expect.Status(r, 200);
        Expect.That(r, r.Json.GetProperty("expired").GetInt32() >= 1, "at least one login family revoked");
        V4Expect.Error(await victim.Get("/user/me"), 401, "Login required");
        V4Expect.Error(await victim.Post("/session/token/refresh", new { refresh_token = victim.RefreshToken }), 40020, "Failed to issue token pair");
        await T.Relogin();
        Expect.Ok(await Main.Get("/user/me"));
    }

    [V4SandboxCheck]
    public async Task Cap122_to_127_an_expired_access_token_is_401_but_refresh_still_works()
    {
        // --access-token-ttl plays the admin's 5 s access TTL of cap 121.
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { ServerVersion = ServerVersions.V4, AdminPassword = "ttl-admin-1", AccessTokenTtlSeconds = 1 });
        using var c = new V4Client(host.BaseUri);
        var login = await c.Login(host.AdminEmail, "ttl-admin-1", null);
        var token = login.Data.GetProperty("token");
        var access = DateTimeOffset.Parse(token.GetProperty("access_expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var refresh = DateTimeOffset.Parse(token.GetProperty("refresh_expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Expect.That(login, access - DateTimeOffset.UtcNow < TimeSpan.FromSeconds(5), "access_expires about 1 s away");
        Expect.That(login, refresh - DateTimeOffset.UtcNow > TimeSpan.FromDays(13), "refresh_expires about 14 days away");
        await Task.Delay(2100);
        V4Expect.Error(await c.Get("/user/me"), 401, "Login required"); // cap 124
        V4Expect.Error(await c.List("cloudreve://my/"), 401, "Login required"); // cap 125
        Expect.Ok(await c.Get("/site/config/basic")); // cap 126: anonymous routes treat it as anonymous
        var r = await c.Post("/session/token/refresh", new { refresh_token = c.RefreshToken }); // cap 127
        c.Take(Expect.Ok(r));
        Expect.Ok(await c.Get("/user/me"));
    }

    [V4SandboxCheck]
    public async Task Request_log_records_v4_calls_with_the_bearer_redacted()
    {
        var r0 = await Main.Send(HttpMethod.Delete, "/_sandbox/requests");
        Expect.Status(r0, 200);
        Expect.Ok(await Main.Get("/user/me"));
        var log = await Main.Send(HttpMethod.Get, "/_sandbox/requests");
        var entry = log.Json.GetProperty("requests").EnumerateArray().FirstOrDefault(e => e.GetProperty("path").GetString() == "/api/v4/user/me");
        Expect.That(log, entry.ValueKind == JsonValueKind.Object, "an entry for /api/v4/user/me");
        Expect.That(log, !log.Text.Contains(Main.AccessToken!, StringComparison.Ordinal), "the access token never appears in the log");
        Expect.Equal(log, "<redacted>", entry.GetProperty("headers").GetProperty("Authorization").GetString(), "the Authorization header");
    }

    [V4SandboxCheck]
    public async Task Latency_fault_applies_to_v4_routes()
    {
        try
        {
            Expect.Status(await Main.Send(HttpMethod.Post, "/_sandbox/faults", JsonContent("{\"latencyMs\":300}")), 200);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var r = await Main.Get("/site/ping");
            Expect.Ok(r);
            Expect.That(r, sw.ElapsedMilliseconds >= 280, "at least the injected 300 ms");
        }
        finally
        {
            await Main.Send(HttpMethod.Post, "/_sandbox/faults", JsonContent("{\"latencyMs\":0}"));
        }
    }

    [V4SandboxCheck]
    public async Task Tokens_survive_a_restart_on_the_same_data_folder()
    {
        // cap 47: the signing secret is stored, so a restarted server accepts the tokens it issued.
        var data = Path.Combine(Path.GetTempPath(), "v4-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            string access;
            var o = new SandboxOptions { ServerVersion = ServerVersions.V4, AdminPassword = "restart-admin", DataFolder = data };
            await using (var host = await SandboxHost.StartAsync(o))
            {
                using var c = new V4Client(host.BaseUri);
                await c.Login(host.AdminEmail, "restart-admin", null);
                access = c.AccessToken!;
            }
            await using (var host = await SandboxHost.StartAsync(new SandboxOptions { ServerVersion = ServerVersions.V4, AdminPassword = "restart-admin", DataFolder = data }))
            {
                using var c = new V4Client(host.BaseUri) { AccessToken = access };
                Expect.Ok(await c.Get("/user/me"));
            }
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}

using Xunit;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

public sealed class HostingTests
{
    [Fact]
    public async Task Binds_loopback_port_zero_and_reports_real_port()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions());
        Assert.Equal("127.0.0.1", host.BaseUri.Host);
        Assert.NotEqual(0, host.BaseUri.Port);
        Assert.True(host.AdminPassword.Length >= 8);
        Assert.Equal("admin@cloudreve.local", host.AdminEmail);
        using var c = new SandboxClient(host.BaseUri);
        AssertCode(0, await c.GetAsync("/site/ping"));
    }

    [Fact]
    public async Task Temp_data_folder_is_deleted_on_dispose()
    {
        var host = await SandboxHost.StartAsync(new SandboxOptions());
        var folder = host.DataFolder;
        Assert.True(Directory.Exists(folder));
        await host.DisposeAsync();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task State_persists_across_restart_on_same_data_folder()
    {
        var data = Path.Combine(Path.GetTempPath(), "sandbox-persist-" + Guid.NewGuid().ToString("N"));
        try
        {
            string oldCookie, adminId, createdAt, password;
            var o1 = new SandboxOptions { DataFolder = data };
            o1.Users.Add(new SandboxUser("keep@example.com", "keep-pass"));
            await using (var h1 = await SandboxHost.StartAsync(o1))
            {
                password = h1.AdminPassword;
                using var c = new SandboxClient(h1.BaseUri);
                var r = await c.LoginAsync(h1.AdminEmail, password);
                AssertCode(0, r);
                adminId = r.GetProperty("data").GetProperty("id").GetString()!;
                createdAt = r.GetProperty("data").GetProperty("created_at").GetString()!;
                oldCookie = c.SessionCookie!;
            }
            Assert.True(File.Exists(Path.Combine(data, "cloudreve.db")));

            await using (var h2 = await SandboxHost.StartAsync(new SandboxOptions { DataFolder = data }))
            {
                Assert.Equal(password, h2.AdminPassword);
                using var stale = new SandboxClient(h2.BaseUri);
                stale.SetSessionCookie(oldCookie);
                AssertCode(401, await stale.GetAsync("/user/me"));

                using var c = new SandboxClient(h2.BaseUri);
                var r = await c.LoginAsync(h2.AdminEmail, password);
                AssertCode(0, r);
                Assert.Equal(adminId, r.GetProperty("data").GetProperty("id").GetString());
                Assert.Equal(createdAt, r.GetProperty("data").GetProperty("created_at").GetString());
                using var k = new SandboxClient(h2.BaseUri);
                AssertCode(0, await k.LoginAsync("keep@example.com", "keep-pass"));
            }
            Assert.True(Directory.Exists(data));
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, true);
        }
    }

    [Fact]
    public async Task Admin_totp_secret_turns_on_2fa()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { AdminPassword = "pw-1234", AdminTotpSecret = "JBSWY3DPEHPK3PXP" });
        Assert.True(host.AdminTwoFactorEnabled);
        using var c = new SandboxClient(host.BaseUri);
        AssertCode(203, await c.LoginAsync(host.AdminEmail, "pw-1234"));
    }

    [Fact]
    public async Task Request_log_and_reset()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions());
        using var c = new SandboxClient(host.BaseUri);
        await c.GetAsync("/site/ping");
        using (await c.SendAsync(HttpMethod.Get, "/nope")) { }
        using (var resp = await c.SendAsync(HttpMethod.Get, "/_sandbox/requests"))
        {
            var j = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(2, j.GetProperty("count").GetInt32());
            var first = j.GetProperty("requests")[0];
            Assert.Equal("GET", first.GetProperty("method").GetString());
            Assert.Equal("/api/v3/site/ping", first.GetProperty("path").GetString());
            Assert.Equal(200, first.GetProperty("status").GetInt32());
            Assert.Equal(404, j.GetProperty("requests")[1].GetProperty("status").GetInt32());
        }
        using (var del = await c.SendAsync(HttpMethod.Delete, "/_sandbox/requests")) del.EnsureSuccessStatusCode();
        using (var resp = await c.SendAsync(HttpMethod.Get, "/_sandbox/requests"))
        {
            var j = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(0, j.GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task Faults_can_be_set_over_http()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions());
        using var c = new SandboxClient(host.BaseUri);
        using var resp = await c.SendAsync(HttpMethod.Post, "/_sandbox/faults",
            new StringContent("{\"chunkFailureRate\":0.5,\"latencyMs\":5,\"downloadUrlTtlSeconds\":2}"));
        resp.EnsureSuccessStatusCode();
        Assert.Equal(0.5, host.Faults.ChunkFailureRate);
        Assert.Equal(5, host.Faults.LatencyMs);
        Assert.Equal(2, host.Faults.DownloadUrlTtlSeconds);
        using var bad = await c.SendAsync(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"chunkFailureRate\":2}"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_download_failure_fault_is_set_over_http_and_on_the_command_line()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions());
        using var c = new SandboxClient(host.BaseUri);
        using (var resp = await c.SendAsync(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"downloadFailureRate\":0.25}")))
        {
            resp.EnsureSuccessStatusCode();
            Assert.Equal(0.25, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.GetProperty("downloadFailureRate").GetDouble());
        }

        Assert.Equal(0.25, host.Faults.DownloadFailureRate);
        using (var bad = await c.SendAsync(HttpMethod.Post, "/_sandbox/faults", new StringContent("{\"downloadFailureRate\":-0.1}")))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        }

        Assert.Equal(0.25, host.Faults.DownloadFailureRate);
        Assert.Equal(0.1, CommandLine.Parse(["--fault-download-failure-rate", "0.1"]).Options!.Faults.DownloadFailureRate);
        Assert.NotNull(CommandLine.Parse(["--fault-download-failure-rate", "1.5"]).Error);
        Assert.Contains("--fault-download-failure-rate", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, false)]
    [InlineData(new[] { "--user", "nopassword" }, false)]
    [InlineData(new[] { "--fault-chunk-failure-rate", "3" }, false)]
    [InlineData(new[] { "--user-totp", "x@y.z:JBSWY3DPEHPK3PXP" }, false)]
    [InlineData(new[] { "--user", "x@y.z:pw12:Admin", "--user-totp", "x@y.z:JBSWY3DPEHPK3PXP", "--login-captcha", "--urls", "http://127.0.0.1:0" }, true)]
    public void Command_line_parsing(string[] args, bool ok)
    {
        var r = CommandLine.Parse(args);
        Assert.Equal(ok, r.Options != null);
        if (!ok) Assert.False(string.IsNullOrEmpty(r.Error));
        else
        {
            Assert.Equal("Admin", r.Options!.Users[0].Group);
            Assert.Equal("JBSWY3DPEHPK3PXP", r.Options.Users[0].TotpSecret);
            Assert.True(r.Options.LoginCaptcha);
        }
    }

    [Fact]
    public void Default_url_is_loopback_5212()
    {
        var r = CommandLine.Parse([]);
        Assert.Equal("http://127.0.0.1:5212", r.Options!.Urls);
    }
}

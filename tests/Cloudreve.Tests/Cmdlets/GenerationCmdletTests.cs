using System.Management.Automation;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// The same cmdlet scripts against a Cloudreve 3.8.3 and a 4.18.0 sandbox: the cmdlets do not know which
/// generation they talk to, and the results must not differ.
/// </summary>
public sealed class GenerationCmdletTests
{
    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task ConnectFindsTheGenerationAndReadsTheQuota(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        var output = env.Run("Connect-Cloudreve -Uri $uri -Credential $cred -PassThru; Get-CloudreveQuota", env.Login());
        var session = Assert.IsType<CloudreveSession>(output[0]);
        Assert.Equal(version, session.ServerVersion);
        Assert.Equal(env.IsV4 ? "v4" : "v3", session.ApiVersion);
        Assert.Equal(GenerationSandbox.UserEmail, session.UserName);
        Assert.False(session.IsAdmin);
        var quota = Assert.IsType<CloudreveQuota>(output[1]);
        Assert.True(quota.Total > 0);
        Assert.Equal(quota.Total, quota.Used + quota.Free);
        Assert.Equal(GenerationSandbox.UserEmail, quota.UserName);

        var admin = Assert.IsType<CloudreveSession>(Assert.Single(env.Run("Connect-Cloudreve -Uri $uri -Credential $cred -PassThru -NoDrive", env.Login(env.Host.AdminEmail, "Admin-pass-123"))));
        Assert.True(admin.IsAdmin);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task FoldersFilesAndListingsLookTheSame(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        var folder = Assert.IsType<CloudreveFolder>(Assert.Single(env.Run("New-CloudreveFolder '/docs/a b#1'")));
        Assert.Equal("/docs/a b#1", folder.Path);
        env.Run("New-CloudreveFile '/docs/a b#1/100% [x].txt', '/docs/plus+it''s.txt' | Out-Null");

        var item = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem -LiteralPath '/docs/a b#1/100% [x].txt'")));
        Assert.Equal("/docs/a b#1", item.ParentPath);
        Assert.Equal(0, item.Size);

        var children = env.Run("Get-CloudreveChildItem /docs").Cast<CloudreveItem>().ToList();
        Assert.Equal(new[] { "/docs/a b#1", "/docs/plus+it's.txt" }, children.Select(c => c.Path).OrderBy(p => p, StringComparer.Ordinal));
        Assert.True(children.Single(c => c.Name == "a b#1").IsFolder);

        var all = env.Run("Get-CloudreveChildItem / -Recurse -File").Cast<CloudreveFile>().Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(new[] { "/docs/a b#1/100% [x].txt", "/docs/plus+it's.txt" }, all);

        var (_, errors) = env.Invoke("Get-CloudreveItem -LiteralPath /docs/missing.txt");
        Assert.Equal("CloudreveNotFound", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);

        var (_, again) = env.Invoke("New-CloudreveFile '/docs/plus+it''s.txt'");
        Assert.Equal(ErrorCategory.ResourceExists, Assert.Single(again).CategoryInfo.Category);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task ManyItemsComeBackFromAPagedListing(string version)
    {
        // The 4.18 sandbox pages at 7 items (as a server with a small page limit would): the listing follows every page.
        await using var env = await GenerationSandbox.StartAsync(version, o => o.PageSizeLimit = 7);
        env.Connect();
        env.Run("New-CloudreveFile (1..20 | ForEach-Object { '/many/f{0:d2}.txt' -f $_ }) | Out-Null");
        await env.ClearRequestsAsync();
        var names = env.Run("Get-CloudreveChildItem /many").Cast<CloudreveItem>().Select(i => i.Name).ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"f{i:d2}.txt"), names.OrderBy(n => n, StringComparer.Ordinal));
        if (env.IsV4)
        {
            var pages = (await env.RequestsAsync()).Where(r => r.Method == "GET" && r.Path == "/api/v4/file" && Uri.UnescapeDataString(r.Query).Contains("cloudreve://my/many")).ToList();
            Assert.Equal(3, pages.Count); // 7 + 7 + 6 items
            Assert.Equal(2, pages.Count(p => p.Query.Contains("next_page_token=")));
        }
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task RenameMoveCopyAndRemove(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFolder /a, /b, /dst | Out-Null; New-CloudreveFile /a/one.txt, /a/two.txt, /b/three.txt, /b/copy-me.txt | Out-Null");

        var renamed = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Rename-CloudreveItem /a/two.txt -NewName 'two 2.txt' -PassThru")));
        Assert.Equal("/a/two 2.txt", renamed.Path);

        // Items from two folders in one pipeline.
        var moved = env.Run("Get-CloudreveItem /a/one.txt, '/a/two 2.txt', /b/three.txt | Move-CloudreveItem -Destination /dst -PassThru").Cast<CloudreveItem>();
        Assert.Equal(new[] { "/dst/one.txt", "/dst/three.txt", "/dst/two 2.txt" }, moved.Select(m => m.Path).OrderBy(p => p, StringComparer.Ordinal));
        Assert.Empty(env.Run("Get-CloudreveChildItem /a"));

        var copied = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Copy-CloudreveItem /b/copy-me.txt -Destination /dst -PassThru")));
        Assert.Equal("/dst/copy-me.txt", copied.Path);
        Assert.Single(env.Run("Get-CloudreveItem /b/copy-me.txt"));

        // A name taken in the destination: one error naming the item, the other item still moves.
        env.Run("New-CloudreveFile /b/one.txt, /b/four.txt | Out-Null");
        var (output, errors) = env.Invoke("Get-CloudreveItem /b/one.txt, /b/four.txt | Move-CloudreveItem -Destination /dst -PassThru");
        Assert.Equal("/dst/four.txt", Assert.IsType<CloudreveFile>(Assert.Single(output).BaseObject).Path);
        Assert.Equal(ErrorCategory.ResourceExists, Assert.Single(errors).CategoryInfo.Category);

        env.Run("Remove-CloudreveItem /dst -Confirm:$false");
        var (_, gone) = env.Invoke("Get-CloudreveItem /dst");
        Assert.Equal("CloudreveNotFound", Assert.Single(gone).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(new[] { "/a", "/b" }, env.Run("Get-CloudreveChildItem /").Cast<CloudreveItem>().Select(i => i.Path).OrderBy(p => p, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task TwoFactorLoginWithATotpSecretAndDisconnect(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        var variables = env.Login(GenerationSandbox.TotpEmail, GenerationSandbox.TotpPassword);
        variables["secret"] = Internal.Secrets.Protect(GenerationSandbox.TotpSecret);

        var (_, missing) = env.Invoke("Connect-Cloudreve -Uri $uri -Credential $cred", variables);
        Assert.Equal("CloudreveOtpRequired", Assert.Single(missing).FullyQualifiedErrorId.Split(',')[0]);

        var session = Assert.IsType<CloudreveSession>(Assert.Single(env.Run("Connect-Cloudreve -Uri $uri -Credential $cred -TotpSecret $secret -PassThru", variables)));
        Assert.Equal(GenerationSandbox.TotpEmail, session.UserName);
        Assert.Single(env.Run("Get-CloudreveQuota"));

        // The server forgets the login: the module logs in again with the password and a code from the secret.
        Assert.True(env.Host.ExpireSessions() > 0);
        Assert.Single(env.Run("Get-CloudreveQuota"));

        await env.ClearRequestsAsync();
        env.Run("Disconnect-Cloudreve");
        var requests = await env.RequestsAsync();
        Assert.Contains(requests, r => r.Method == "DELETE" && r.Path == (env.IsV4 ? "/api/v4/session/token" : "/api/v3/user/session"));
        var (_, after) = env.Invoke("Get-CloudreveQuota");
        Assert.Equal("CloudreveNotLoggedIn", Assert.Single(after).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task WrongPasswordIsTheSameError(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        using var ps = PowerShell.Create();
        ps.Runspace = env.Runspace;
        ps.AddCommand("Connect-Cloudreve")
            .AddParameter("Uri", env.Host.BaseUri)
            .AddParameter("Credential", new PSCredential(GenerationSandbox.UserEmail, Internal.Secrets.Protect("not-the-password")));

        // A terminating error: a script cannot go on as if it were logged in.
        var error = Assert.ThrowsAny<RuntimeException>(() => ps.Invoke()).ErrorRecord;
        Assert.Equal("CloudreveInvalidCredential,Cloudreve.Commands.ConnectCloudreveCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task LogsInAgainWhenTheServerForgetsTheLogin(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        Assert.True(env.Host.ExpireSessions() > 0);
        var folder = Assert.IsType<CloudreveFolder>(Assert.Single(env.Run("New-CloudreveFolder /after-expiry")));
        Assert.Equal("/after-expiry", folder.Path);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task ReceivesFilesAndReadsThemOnTheDrive(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        var text = "hello from " + version + " \u00fc\n";
        await env.PutFileAsync("/dl/a b.txt", System.Text.Encoding.UTF8.GetBytes(text));
        var local = Path.Combine(Path.GetTempPath(), "cr-recv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(local);
        try
        {
            await env.ClearRequestsAsync();
            env.Run("Receive-CloudreveFile -LiteralPath '/dl/a b.txt' -Destination $dest | Out-Null", new Dictionary<string, object> { ["dest"] = local });
            Assert.Equal(text, await File.ReadAllTextAsync(Path.Combine(local, "a b.txt")));

            var content = Assert.Single(env.Run("Get-Content -LiteralPath 'Cloudreve:\\dl\\a b.txt' -Raw"));
            Assert.Equal(text, content);
            var url = Assert.IsType<string>(Assert.Single(env.Run("Get-CloudreveDownloadUrl -LiteralPath '/dl/a b.txt'")));
            Assert.StartsWith("http://127.0.0.1:", url);

            if (env.IsV4)
            {
                // The signed content URLs are fetched without the bearer token; the API routes carry it.
                var requests = await env.RawRequestsAsync();
                var downloads = requests.Where(r => r.GetProperty("path").GetString()!.StartsWith("/api/v4/file/content/")).ToList();
                Assert.NotEmpty(downloads);
                Assert.All(downloads, r => Assert.False(r.GetProperty("headers").TryGetProperty("Authorization", out _)));
                Assert.Contains(requests, r => r.GetProperty("path").GetString() == "/api/v4/file/url" && r.GetProperty("headers").TryGetProperty("Authorization", out _));
            }
        }
        finally
        {
            Directory.Delete(local, true);
        }
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task SendsFilesInChunksAndWritesOnTheDrive(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version, o => o.ChunkSize = 64 * 1024);
        env.Connect();
        var local = Path.Combine(Path.GetTempPath(), "cr-send-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(local);
        try
        {
            var big = new byte[200_000];
            new Random(42).NextBytes(big);
            var bigPath = Path.Combine(local, "big #1.bin");
            await File.WriteAllBytesAsync(bigPath, big);
            await env.ClearRequestsAsync();

            var sent = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Send-CloudreveFile -LiteralPath $f -Destination /up -PassThru", new Dictionary<string, object> { ["f"] = bigPath })));
            Assert.Equal("/up/big #1.bin", sent.Path);
            Assert.Equal(big.Length, sent.Size);
            if (env.IsV4)
            {
                var chunks = (await env.RawRequestsAsync()).Where(r => r.GetProperty("method").GetString() == "POST" && r.GetProperty("path").GetString()!.StartsWith("/api/v4/file/upload/")).ToList();
                Assert.Equal(4, chunks.Count); // 3 x 64 KiB + the rest
                Assert.All(chunks, r => Assert.True(r.GetProperty("headers").TryGetProperty("Authorization", out _)));
            }

            var back = Path.Combine(local, "back");
            Directory.CreateDirectory(back);
            env.Run("Receive-CloudreveFile -LiteralPath '/up/big #1.bin' -Destination $d | Out-Null", new Dictionary<string, object> { ["d"] = back });
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(back, "big #1.bin")));

            // A name that is taken: an error without -Force, a replacement with it.
            var (_, conflict) = env.Invoke("Send-CloudreveFile -LiteralPath $f -Destination /up", new Dictionary<string, object> { ["f"] = bigPath });
            Assert.Equal(ErrorCategory.ResourceExists, Assert.Single(conflict).CategoryInfo.Category);
            await File.WriteAllTextAsync(bigPath, "small now");
            env.Run("Send-CloudreveFile -LiteralPath $f -Destination /up -Force | Out-Null", new Dictionary<string, object> { ["f"] = bigPath });
            var replaced = env.Run("Get-CloudreveChildItem /up").Cast<CloudreveItem>().ToList();
            Assert.Equal("big #1.bin", Assert.Single(replaced).Name);
            Assert.Equal(9, replaced[0].Size);

            env.Run("Set-Content -Path Cloudreve:\\up\\note.txt -Value one; Add-Content -Path Cloudreve:\\up\\note.txt -Value two");
            Assert.Equal(new object[] { "one", "two" }, env.Run("Get-Content -LiteralPath Cloudreve:\\up\\note.txt -Force"));
        }
        finally
        {
            Directory.Delete(local, true);
        }
    }
}

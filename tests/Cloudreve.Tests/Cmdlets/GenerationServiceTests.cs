using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>Shares, direct links and administration with the same cmdlet scripts on 3.8.3 and 4.18.0.</summary>
public sealed class GenerationServiceTests
{
    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task SharesAreCreatedListedAndRemoved(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFile '/pub/report 1.txt' | Out-Null; New-CloudreveFolder /pub/photos | Out-Null");

        var share = Assert.IsType<CloudreveShare>(Assert.Single(env.Run("New-CloudreveShare -Path '/pub/report 1.txt'")));
        Assert.False(string.IsNullOrEmpty(share.Key));
        Assert.Equal(new Uri(env.Host.BaseUri, "s/" + share.Key), share.Url);
        Assert.False(share.HasPassword);
        var secret = Assert.IsType<CloudreveShare>(Assert.Single(env.Run(
            "New-CloudreveShare -Path /pub/photos -Password (ConvertTo-SecureString 'abc123' -AsPlainText -Force) -DownloadLimit 3")));
        Assert.True(secret.HasPassword);
        Assert.DoesNotContain("abc123", secret.Url!.ToString());

        var listed = env.Run("Get-CloudreveShare").Cast<CloudreveShare>().ToList();
        Assert.Equal(new[] { secret.Key, share.Key }.OrderBy(k => k), listed.Select(s => s.Key).OrderBy(k => k));
        var file = listed.Single(s => s.Key == share.Key);
        Assert.Equal("report 1.txt", file.Name);
        Assert.False(file.IsFolder);
        var folder = listed.Single(s => s.Key == secret.Key);
        Assert.True(folder.IsFolder);
        Assert.True(folder.HasPassword);
        Assert.Equal(3, folder.RemainingDownloads);

        env.Run("Get-CloudreveShare | Where-Object Key -eq $k | Remove-CloudreveShare -Confirm:$false", new Dictionary<string, object> { ["k"] = share.Key });
        Assert.Equal(secret.Key, Assert.IsType<CloudreveShare>(Assert.Single(env.Run("Get-CloudreveShare"))).Key);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task DirectLinksPairWithTheirFiles(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        await env.PutFileAsync("/links/a.txt", "alpha"u8.ToArray());
        await env.PutFileAsync("/links/b c.txt", "bravo!"u8.ToArray());

        var links = env.Run("Get-CloudreveChildItem /links -File | Get-CloudreveSourceLink").Cast<CloudreveSourceLink>().ToList();
        Assert.Equal(new[] { "a.txt", "b c.txt" }, links.Select(l => l.Name).OrderBy(n => n, StringComparer.Ordinal));
        using var http = new HttpClient();
        foreach (var link in links)
        {
            Assert.NotNull(link.Url);
            Assert.Equal(link.Name, link.Item!.Name);
            var body = await http.GetStringAsync(link.Url);
            Assert.Equal(link.Name == "a.txt" ? "alpha" : "bravo!", body);
        }
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task RemoveSourceLinkDeletesOn4xAndNamesTheVersionNeededOn3x(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        await env.PutFileAsync("/links/keep.txt", "kept"u8.ToArray());
        var link = Assert.IsType<CloudreveSourceLink>(Assert.Single(env.Run("Get-CloudreveSourceLink -Path /links/keep.txt")));
        using var http = new HttpClient();
        Assert.Equal("kept", await http.GetStringAsync(link.Url));

        if (env.IsV4)
        {
            Assert.Empty(env.Run("$link | Remove-CloudreveSourceLink -WhatIf", new Dictionary<string, object> { ["link"] = link }));
            Assert.Equal("kept", await http.GetStringAsync(link.Url));
        }

        var (_, errors) = env.Invoke("$link | Remove-CloudreveSourceLink", new Dictionary<string, object> { ["link"] = link });
        if (!env.IsV4)
        {
            var error = Assert.Single(errors);
            Assert.Equal("CloudreveNotSupportedByServer", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(System.Management.Automation.ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Contains("4.1 or later", error.Exception.Message);
            Assert.Equal("kept", await http.GetStringAsync(link.Url));
            return;
        }

        Assert.Empty(errors);
        using (var gone = await http.GetAsync(link.Url))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        }

        var (_, again) = env.Invoke("$link | Remove-CloudreveSourceLink", new Dictionary<string, object> { ["link"] = link });
        Assert.Equal("CloudreveNotFound", Assert.Single(again).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(4, Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem -LiteralPath /links/keep.txt"))).Size);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task WebDavAccountsAreCreatedChangedWithoutLosingFlagsAndRemoved(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        // The default user group of 4.18 has no WebDAV permission; the administrators' group has it on both.
        env.Run("Connect-Cloudreve -Uri $uri -Credential $cred", env.Login(env.Host.AdminEmail, "Admin-pass-123"));
        env.Run("New-CloudreveFolder '/dav root' | Out-Null");
        var account = Assert.IsType<CloudreveWebDavAccount>(Assert.Single(env.Run("New-CloudreveWebDavAccount -Name laptop -Root '/dav root' -ReadOnly")));
        Assert.False(string.IsNullOrEmpty(account.Id));
        Assert.Equal(env.IsV4, !int.TryParse(account.Id, out _)); // 3.x numbers its accounts, 4.x uses hashids
        Assert.True(account.ReadOnly);
        Assert.NotEmpty(account.GetCredential().GetNetworkCredential().Password);

        // Changing one flag keeps the other (4.x replaces every field on update).
        env.Run("Set-CloudreveWebDavAccount -Id $i -UseProxy $true -Confirm:$false", new Dictionary<string, object> { ["i"] = account.Id });
        var listed = Assert.IsType<CloudreveWebDavAccount>(Assert.Single(env.Run("Get-CloudreveWebDavAccount -Name laptop")));
        Assert.Equal(account.Id, listed.Id);
        Assert.Equal("/dav root", listed.Root);
        Assert.True(listed.ReadOnly);
        Assert.True(listed.UseProxy);
        Assert.Equal(env.Host.AdminEmail, listed.UserName);
        Assert.DoesNotContain(account.GetCredential().GetNetworkCredential().Password, listed.ToString());

        var (_, errors) = env.Invoke("Remove-CloudreveWebDavAccount -Id nosuch -Confirm:$false");
        Assert.Equal("CloudreveNotFound", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);
        env.Run("Get-CloudreveWebDavAccount | Remove-CloudreveWebDavAccount -Confirm:$false");
        Assert.Empty(env.Run("Get-CloudreveWebDavAccount"));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task AdministratorsListGroupsAndUsersWithNumericIds(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Run("Connect-Cloudreve -Uri $uri -Credential $cred", env.Login(env.Host.AdminEmail, "Admin-pass-123"));
        var groups = env.Run("Get-CloudreveGroup").Cast<CloudreveGroup>().ToList();
        Assert.Contains(groups, g => g.Id > 0 && g.Name.Length > 0);
        Assert.All(groups, g => Assert.True(g.Id > 0));

        var dora = Assert.IsType<CloudreveUser>(Assert.Single(env.Run("Get-CloudreveUser -Email $e", new Dictionary<string, object> { ["e"] = GenerationSandbox.UserEmail })));
        Assert.True(dora.NumericId > 0);
        Assert.Contains(groups, g => g.Id == dora.GroupId);
        Assert.Equal(dora.UserName, Assert.IsType<CloudreveUser>(Assert.Single(env.Run("Get-CloudreveUser -Id $i", new Dictionary<string, object> { ["i"] = dora.NumericId!.Value.ToString() }))).UserName);

        env.Run("New-CloudreveUser -Email new@example.com -NickName Newbie -Password (ConvertTo-SecureString 'New-pass-123' -AsPlainText -Force) | Out-Null");
        var found = Assert.IsType<CloudreveUser>(Assert.Single(env.Run("Get-CloudreveUser -Email new@example.com")));
        Assert.Equal("Newbie", found.NickName);
        env.Run("Disable-CloudreveUser -Id $i -Confirm:$false", new Dictionary<string, object> { ["i"] = found.NumericId!.Value.ToString() });
        var banned = Assert.IsType<CloudreveUser>(Assert.Single(env.Run("Get-CloudreveUser -Email new@example.com")));
        Assert.Equal(CloudreveUserStatus.Banned, banned.Status);
        Assert.Equal("Newbie", banned.NickName);
        env.Run("Remove-CloudreveUser -Id $i -Confirm:$false", new Dictionary<string, object> { ["i"] = found.NumericId!.Value.ToString() });
        Assert.Empty(env.Run("Get-CloudreveUser -Email new@example.com"));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task SetUserChangesOnlyWhatItIsAskedAndKeepsTwoFactorLogin(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Run("Connect-Cloudreve -Uri $uri -Credential $cred", env.Login(env.Host.AdminEmail, "Admin-pass-123"));
        var vars = new Dictionary<string, object> { ["e"] = GenerationSandbox.TotpEmail };
        var before = Assert.IsType<CloudreveUser>(Assert.Single(env.Run("Get-CloudreveUser -Email $e", vars)));
        Assert.True(before.TwoFactorEnabled);

        env.Run("Get-CloudreveUser -Email $e | Set-CloudreveUser -NickName 'Tess Renamed' -Confirm:$false", vars);
        var after = Assert.IsType<CloudreveUser>(Assert.Single(env.Run("Get-CloudreveUser -Email $e", vars)));
        Assert.Equal("Tess Renamed", after.NickName);
        Assert.True(after.TwoFactorEnabled);
        Assert.Equal(before.UserName, after.UserName);
        Assert.Equal(before.GroupId, after.GroupId);
        Assert.Equal(before.Status, after.Status);

        // The user still logs in with the password and is asked for the second factor.
        var (_, errors) = env.Invoke("Connect-Cloudreve -Uri $uri -Credential $cred", env.Login(GenerationSandbox.TotpEmail, GenerationSandbox.TotpPassword));
        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, e => e.Exception.Message.Contains(GenerationSandbox.TotpPassword, StringComparison.Ordinal));
        var login = env.Login(GenerationSandbox.TotpEmail, GenerationSandbox.TotpPassword);
        login["totp"] = Internal.Secrets.Protect(GenerationSandbox.TotpSecret);
        var session = Assert.IsType<CloudreveSession>(Assert.Single(env.Run("Connect-Cloudreve -Uri $uri -Credential $cred -TotpSecret $totp -PassThru -NoDrive", login)));
        Assert.Equal(GenerationSandbox.TotpEmail, session.UserName);
    }

    [Fact]
    public async Task ShareSettingsThat4xCannotChangeInPlaceFailWithOneClearErrorOnV4()
    {
        await using var env = await GenerationSandbox.StartAsync(ServerVersions.V4);
        env.Connect();
        env.Run("New-CloudreveFile /shared.txt | Out-Null");
        var share = Assert.IsType<CloudreveShare>(Assert.Single(env.Run("New-CloudreveShare -Path /shared.txt")));
        foreach (var script in new[] { "Set-CloudreveShare -Key $k -Password (ConvertTo-SecureString 'abc123' -AsPlainText -Force)", "Set-CloudreveShare -Key $k -AllowPreview $false" })
        {
            var (_, errors) = env.Invoke(script, new Dictionary<string, object> { ["k"] = share.Key });
            var error = Assert.Single(errors);
            Assert.Equal("CloudreveNotSupportedByServer", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(System.Management.Automation.ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Contains("New-CloudreveShare", error.Exception.Message);
            Assert.DoesNotContain("abc123", error.Exception.Message);
        }

        Assert.Equal(share.Key, Assert.IsType<CloudreveShare>(Assert.Single(env.Run("Get-CloudreveShare"))).Key);
    }
}

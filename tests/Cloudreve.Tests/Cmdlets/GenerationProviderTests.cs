using System.Management.Automation;
using Cloudreve.Provider;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// The Cloudreve provider in-process against a 3.8.3 and a 4.18.0 sandbox: New-PSDrive at a remote folder, the
/// built-in item and content cmdlets on the drive, and -WhatIf. Results are checked on the server through the
/// Cloudreve cmdlets (which bypass the drive's listing cache) or the sandbox's request log.
/// </summary>
public sealed class GenerationProviderTests
{
    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    private static async Task<GenerationSandbox> StartWithReportsAsync(string version)
    {
        var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFolder '/reports/2024 q#2' | Out-Null");
        await env.PutFileAsync("/reports/q1.txt", "first quarter\n"u8.ToArray());
        await env.PutFileAsync("/reports/2024 q#2/q2 [final].txt", "second quarter\n"u8.ToArray());
        return env;
    }

    private static string[] ServerPaths(GenerationSandbox env, string folder) =>
        env.Run("Get-CloudreveChildItem -LiteralPath $f -Recurse", new Dictionary<string, object> { ["f"] = folder })
            .Cast<CloudreveItem>().Select(i => i.Path).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task NewPSDriveMountsARemoteFolderAndGetChildItemListsIt(string version)
    {
        await using var env = await StartWithReportsAsync(version);
        var drive = Assert.IsType<CloudreveDriveInfo>(Assert.Single(env.Run("New-PSDrive -PSProvider Cloudreve -Name Work -Root /reports")));
        Assert.Equal("/reports", drive.RemoteRoot);
        Assert.Equal(GenerationSandbox.UserEmail, drive.Session.UserName);
        Assert.Equal(env.IsV4 ? "v4" : "v3", drive.Session.ApiVersion);

        var children = env.Run("Get-ChildItem Work:\\").Cast<CloudreveItem>().OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "2024 q#2", "q1.txt" }, children.Select(c => c.Name));
        Assert.True(children[0].IsFolder);
        Assert.Equal("/reports/q1.txt", children[1].Path);
        Assert.Equal(14, children[1].Size);

        var files = env.Run("Get-ChildItem Work:\\ -Recurse -File").Cast<CloudreveFile>().Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(new[] { "/reports/2024 q#2/q2 [final].txt", "/reports/q1.txt" }, files);
        Assert.Equal(new object[] { "2024 q#2" }, env.Run("Get-ChildItem Work:\\ -Directory -Name"));

        var item = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-Item -LiteralPath 'Work:\\2024 q#2\\q2 [final].txt'")));
        Assert.Equal("/reports/2024 q#2", item.ParentPath);
        Assert.Equal(new object[] { true, false }, env.Run("Test-Path -LiteralPath 'Work:\\2024 q#2\\q2 [final].txt'; Test-Path Work:\\nothing.txt"));

        // A root folder that does not exist is refused and no drive is left behind.
        var (_, errors) = env.Invoke("New-PSDrive -PSProvider Cloudreve -Name Nope -Root /no/such/folder");
        Assert.StartsWith("CloudreveNotFound", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Empty(env.Run("Get-PSDrive -PSProvider Cloudreve | Where-Object Name -eq Nope"));

        env.Run("Remove-PSDrive Work");
        Assert.Equal(new object[] { "Cloudreve" }, env.Run("Get-PSDrive -PSProvider Cloudreve | ForEach-Object Name"));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task SetContentAndGetContentRoundTripTextAndBytesOnTheDrive(string version)
    {
        await using var env = await StartWithReportsAsync(version);
        env.Run("New-PSDrive -PSProvider Cloudreve -Name Work -Root /reports | Out-Null");

        env.Run("Set-Content -LiteralPath 'Work:\\notes #1.txt' -Value 'one', 'zwei \u00fc'");
        Assert.Equal(new object[] { "one", "zwei \u00fc" }, env.Run("Get-Content -LiteralPath 'Work:\\notes #1.txt'"));
        var onServer = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem -LiteralPath '/reports/notes #1.txt'")));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("one\nzwei \u00fc\n".Replace("\n", Environment.NewLine)), onServer.Size);

        var bytes = new byte[150_000];
        new Random(7).NextBytes(bytes);
        env.Run("Set-Content -LiteralPath Work:\\blob.bin -Value $b -AsByteStream", new Dictionary<string, object> { ["b"] = bytes });
        Assert.Equal(bytes, Assert.IsType<byte[]>(Assert.Single(env.Run("Get-Content -LiteralPath Work:\\blob.bin -AsByteStream -Raw"))));

        // The bytes are really on the server: a download with the Cloudreve cmdlets brings the same back.
        var local = Path.Combine(Path.GetTempPath(), "cr-prov-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(local);
        try
        {
            env.Run("Receive-CloudreveFile -LiteralPath /reports/blob.bin -Destination $d | Out-Null", new Dictionary<string, object> { ["d"] = local });
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(local, "blob.bin")));
        }
        finally
        {
            Directory.Delete(local, true);
        }

        // A new file by -LiteralPath at the top of the drive Connect-Cloudreve mounted (rooted at "/").
        env.Run("Set-Content -LiteralPath Cloudreve:\\top.txt -Value top");
        Assert.Equal(4, Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem -LiteralPath /top.txt"))).Size);

        // A file that came from elsewhere reads back through the drive.
        Assert.Equal("second quarter\n", Assert.Single(env.Run("Get-Content -LiteralPath 'Work:\\2024 q#2\\q2 [final].txt' -Raw")));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task CopyItemCopiesFilesAndFoldersOnTheDrive(string version)
    {
        await using var env = await StartWithReportsAsync(version);
        env.Run("New-PSDrive -PSProvider Cloudreve -Name Work -Root /reports | Out-Null; New-Item Work:\\archive -ItemType Directory | Out-Null");

        env.Run("Copy-Item -LiteralPath Work:\\q1.txt -Destination Work:\\archive");
        env.Run("Copy-Item -LiteralPath Work:\\q1.txt -Destination 'Work:\\archive\\q1 copy.txt'");
        env.Run("Copy-Item -LiteralPath 'Work:\\2024 q#2' -Destination Work:\\archive -Recurse");

        Assert.Equal(
            new[] { "/reports/archive/2024 q#2", "/reports/archive/2024 q#2/q2 [final].txt", "/reports/archive/q1 copy.txt", "/reports/archive/q1.txt" },
            ServerPaths(env, "/reports/archive"));
        Assert.Equal("first quarter\n", Assert.Single(env.Run("Get-Content -LiteralPath 'Work:\\archive\\q1 copy.txt' -Raw")));
        Assert.Equal("second quarter\n", Assert.Single(env.Run("Get-Content -LiteralPath 'Work:\\archive\\2024 q#2\\q2 [final].txt' -Raw")));

        // The sources are still there, and a copy onto a taken name is a conflict that changes nothing.
        Assert.Contains("/reports/q1.txt", ServerPaths(env, "/reports"));
        var (_, errors) = env.Invoke("Copy-Item -LiteralPath Work:\\q1.txt -Destination Work:\\archive");
        Assert.StartsWith("CloudreveConflict", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Equal(4, ServerPaths(env, "/reports/archive").Length);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task NewItemMoveItemAndRenameItemChangeTheServer(string version)
    {
        await using var env = await StartWithReportsAsync(version);
        env.Run("New-PSDrive -PSProvider Cloudreve -Name Work -Root /reports | Out-Null");

        var folder = Assert.IsType<CloudreveFolder>(Assert.Single(env.Run("New-Item 'Work:\\old & new' -ItemType Directory")));
        Assert.Equal("/reports/old & new", folder.Path);
        var file = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("New-Item Work:\\memo.txt -ItemType File -Value 'memo'")));
        Assert.Equal("/reports/memo.txt", file.Path);
        Assert.Equal("memo", Assert.Single(env.Run("Get-Content -LiteralPath Work:\\memo.txt -Raw")));

        env.Run("Move-Item -LiteralPath Work:\\memo.txt -Destination 'Work:\\old & new'");
        env.Run("Rename-Item -LiteralPath 'Work:\\2024 q#2' -NewName 'q2 2024'");
        env.Run("Move-Item -LiteralPath Work:\\q1.txt -Destination 'Work:\\q2 2024\\q1 (moved).txt'");

        Assert.Equal(
            new[] { "/reports/old & new", "/reports/old & new/memo.txt", "/reports/q2 2024", "/reports/q2 2024/q1 (moved).txt", "/reports/q2 2024/q2 [final].txt" },
            ServerPaths(env, "/reports"));
        Assert.Equal("first quarter\n", Assert.Single(env.Run("Get-Content -LiteralPath 'Work:\\q2 2024\\q1 (moved).txt' -Raw")));

        // A name that is taken: New-Item reports it and leaves the file as it was.
        var (_, errors) = env.Invoke("New-Item 'Work:\\old & new\\memo.txt' -ItemType File -Value 'other'");
        Assert.NotEmpty(errors);
        Assert.Equal(ErrorCategory.ResourceExists, errors[0].CategoryInfo.Category);
        Assert.Equal(4, Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveItem -LiteralPath '/reports/old & new/memo.txt'"))).Size);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task RemoveItemWhatIfChangesNothingAndRemoveItemRemoves(string version)
    {
        await using var env = await StartWithReportsAsync(version);
        env.Run("New-PSDrive -PSProvider Cloudreve -Name Work -Root /reports | Out-Null");
        var before = ServerPaths(env, "/reports");
        Assert.Equal(3, before.Length);
        await env.ClearRequestsAsync();

        Assert.Empty(env.Run("Remove-Item -LiteralPath Work:\\q1.txt -WhatIf; Remove-Item -LiteralPath 'Work:\\2024 q#2' -Recurse -WhatIf"));
        var requests = await env.RequestsAsync();
        Assert.DoesNotContain(requests, r => r.Method == "DELETE" || (r.Method == "POST" && r.Path.Contains("delete", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(before, ServerPaths(env, "/reports"));

        env.Run("Remove-Item -LiteralPath Work:\\q1.txt; Remove-Item -LiteralPath 'Work:\\2024 q#2' -Recurse");
        Assert.Empty(ServerPaths(env, "/reports"));
        Assert.Equal(new object[] { false, false }, env.Run("Test-Path -LiteralPath Work:\\q1.txt; Test-Path -LiteralPath 'Work:\\2024 q#2'"));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task RemoveItemOnTheDriveTrashesOn4xAndDeletesForGoodOn3x(string version)
    {
        await using var env = await StartWithReportsAsync(version);
        await env.ClearRequestsAsync();
        env.Run("Remove-Item -LiteralPath Cloudreve:\\reports\\q1.txt");
        Assert.Equal(new[] { "/reports/2024 q#2", "/reports/2024 q#2/q2 [final].txt" }, ServerPaths(env, "/reports"));

        if (env.IsV4)
        {
            // 4.x: the file went to the trash and comes back from it.
            var trashed = Assert.IsType<CloudreveTrashItem>(Assert.Single(env.Run("Get-CloudreveTrashItem")));
            Assert.Equal("/reports/q1.txt", trashed.OriginalPath);
            env.Run("Get-CloudreveTrashItem | Restore-CloudreveItem");
            Assert.Equal("first quarter\n", Assert.Single(env.Run("Get-Content -LiteralPath Cloudreve:\\reports\\q1.txt -Raw -Force")));
        }
        else
        {
            // 3.x has no trash: one DELETE of the object, and the trash cmdlets say which version they need.
            Assert.Single(await env.RequestsAsync(), r => r.Method == "DELETE" && r.Path == "/api/v3/object");
            var (_, errors) = env.Invoke("Get-CloudreveTrashItem");
            Assert.Equal("CloudreveNotSupportedByServer", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);
        }
    }
}

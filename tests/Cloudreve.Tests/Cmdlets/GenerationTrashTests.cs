using System.Management.Automation;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// The trash cmdlets and Remove-CloudreveItem -Permanent against a 3.8.3 and a 4.18.0 sandbox: 4.x deletes
/// to the trash and restores from it; 3.x deletes for good and says that it has no trash.
/// </summary>
public sealed class GenerationTrashTests
{
    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task ADeletedFileCanBeRestoredOn4xAndIsGoneOn3x(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFile '/docs/a b#1.txt', '/docs/keep.txt' | Out-Null; Remove-CloudreveItem '/docs/a b#1.txt' -Confirm:$false");
        Assert.Equal(new[] { "/docs/keep.txt" }, env.Run("Get-CloudreveChildItem /docs").Cast<CloudreveItem>().Select(i => i.Path));

        var (listed, errors) = env.Invoke("Get-CloudreveTrashItem");
        if (!env.IsV4)
        {
            var error = Assert.Single(errors);
            Assert.Equal("CloudreveNotSupportedByServer", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Contains("needs Cloudreve 4.x", error.Exception.Message);
            Assert.Empty(listed);
            return;
        }

        Assert.Empty(errors);
        var trashed = Assert.IsType<CloudreveTrashItem>(Assert.Single(listed).BaseObject);
        Assert.Equal("/docs/a b#1.txt", trashed.OriginalPath);
        Assert.Equal("a b#1.txt", trashed.Name);

        await env.ClearRequestsAsync();
        var back = Assert.IsType<CloudreveFile>(Assert.Single(env.Run("Get-CloudreveTrashItem | Restore-CloudreveItem -PassThru")));
        Assert.Equal("/docs/a b#1.txt", back.Path);
        Assert.Single(await env.RequestsAsync(), r => r.Method == "POST" && r.Path == "/api/v4/file/restore");
        Assert.Empty(env.Run("Get-CloudreveTrashItem"));
        Assert.Equal(2, env.Run("Get-CloudreveChildItem /docs").Count);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task PermanentDeletesForGoodOnBothGenerations(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFile '/p/hard.txt', '/p/soft.txt' | Out-Null");
        await env.ClearRequestsAsync();

        env.Run("Remove-CloudreveItem /p/hard.txt -Permanent -Confirm:$false");

        Assert.Equal(new[] { "/p/soft.txt" }, env.Run("Get-CloudreveChildItem /p").Cast<CloudreveItem>().Select(i => i.Path));
        if (env.IsV4)
        {
            Assert.Empty(env.Run("Get-CloudreveTrashItem"));
            env.Run("Remove-CloudreveItem /p/soft.txt -Confirm:$false");
            Assert.Equal("/p/soft.txt", Assert.IsType<CloudreveTrashItem>(Assert.Single(env.Run("Get-CloudreveTrashItem"))).OriginalPath);
        }
        else
        {
            Assert.Single(await env.RequestsAsync(), r => r.Method == "DELETE" && r.Path == "/api/v3/object");
        }
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task ClearTrashEmptiesOn418AndWhatIfChangesNothing(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFile /c/x.txt | Out-Null; Remove-CloudreveItem /c/x.txt -Confirm:$false");

        var (_, errors) = env.Invoke("Clear-CloudreveTrash -WhatIf");
        if (!env.IsV4)
        {
            Assert.Equal("CloudreveNotSupportedByServer", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);
            return;
        }

        Assert.Empty(errors);
        Assert.Single(env.Run("Get-CloudreveTrashItem"));
        env.Run("Clear-CloudreveTrash -Force");
        Assert.Empty(env.Run("Get-CloudreveTrashItem"));
    }
}

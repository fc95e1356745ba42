using System.Text.Json;
using Cloudreve.Api.V4;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Core;

/// <summary>The v4 trash adapter against a 4.18 sandbox: paged listing, restore batches at the URI limit, a name taken again (40081/40004), skip_soft_delete, emptying by version.</summary>
public sealed class V4TrashTests : IAsyncLifetime
{
    private const string Email = "dora@example.com";
    private const string Password = "Dora-pass-123";
    private SandboxHost _host = null!;
    private V4Backend _backend = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { AdminPassword = "Admin-pass-123", ServerVersion = ServerVersions.V4 };
        options.Users.Add(new SandboxUser(Email, Password));
        _host = await SandboxHost.StartAsync(options);
        _backend = Assert.IsType<V4Backend>(await CloudreveConnector.CreateBackendAsync(_host.BaseUri, false, CancellationToken.None));
        Assert.False((await _backend.LoginAsync(Email, Internal.Secrets.Protect(Password), CancellationToken.None)).SecondFactorRequired);
    }

    public async Task DisposeAsync()
    {
        _backend.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<List<(string Method, string Path, string Query)>> RequestsAsync()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("_sandbox/requests"));
        return doc.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => (r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!, r.TryGetProperty("query", out var q) ? q.GetString() ?? "" : "")).ToList();
    }

    private async Task<int> CountAsync(string method, string path) => (await RequestsAsync()).Count(r => r.Method == method && r.Path == path);

    private async Task<List<CloudreveItem>> DeleteFilesAsync(params string[] paths)
    {
        var items = new List<CloudreveItem>();
        foreach (var path in paths)
        {
            await _backend.CreateFileAsync(path, CancellationToken.None);
            items.Add((await _backend.ListAsync(RemotePath.GetParent(path), CancellationToken.None)).Children.Single(c => c.Path == path));
        }

        await _backend.DeleteAsync(items, false, false, CancellationToken.None);
        return items;
    }

    private async Task<List<CloudreveTrashItem>> TrashAsync()
    {
        var all = new List<CloudreveTrashItem>();
        await _backend.ListTrashAsync(page => all.AddRange(page), CancellationToken.None);
        return all;
    }

    [Fact]
    public async Task ListsEveryPageOfTheTrashWithOriginalPaths()
    {
        await DeleteFilesAsync(Enumerable.Range(1, 7).Select(i => $"/l/f{i} #.txt").ToArray());
        _backend.PageSize = 3;
        var before = (await RequestsAsync()).Count(r => r.Method == "GET" && r.Path == "/api/v4/file");

        var trash = await TrashAsync();

        var pages = (await RequestsAsync()).Where(r => r.Method == "GET" && r.Path == "/api/v4/file").Skip(before).ToList();
        Assert.Equal(3, pages.Count); // 3 + 3 + 1
        Assert.All(pages, p => Assert.Contains("cloudreve://trash/", Uri.UnescapeDataString(p.Query)));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"/l/f{i} #.txt"), trash.Select(t => t.OriginalPath).OrderBy(p => p, StringComparer.Ordinal));
        Assert.All(trash, t =>
        {
            Assert.StartsWith("cloudreve://trash/", t.TrashUri);
            Assert.Equal("/l", t.OriginalParentPath);
            Assert.False(t.IsFolder);
            Assert.NotNull(t.ExpectedCollection);
            Assert.True(t.ExpectedCollection > DateTimeOffset.UtcNow);
        });
    }

    [Fact]
    public async Task RestoresInAsFewRequestsAsTheUriLimitAllows()
    {
        await DeleteFilesAsync("/a/1.txt", "/a/2.txt", "/b/3.txt", "/b/4.txt", "/c/5.txt");
        var trash = await TrashAsync();
        _backend.MaxUrisPerCall = 2;
        var before = await CountAsync("POST", "/api/v4/file/restore");

        var outcome = await _backend.RestoreAsync(trash, CancellationToken.None);

        Assert.Empty(outcome.Failures);
        Assert.Equal(5, outcome.Restored.Count);
        Assert.Equal(3, await CountAsync("POST", "/api/v4/file/restore") - before);
        Assert.Empty(await TrashAsync());
        Assert.Equal(new[] { "/a/1.txt", "/a/2.txt" }, (await _backend.ListAsync("/a", CancellationToken.None)).Children.Select(c => c.Path).OrderBy(p => p, StringComparer.Ordinal));
    }

    [Fact]
    public async Task ANameTakenAgainFailsThatItemOnlyAsAConflict()
    {
        await DeleteFilesAsync("/k/dup.txt", "/k/ok.txt");
        await _backend.CreateFileAsync("/k/dup.txt", CancellationToken.None);
        var trash = await TrashAsync();

        var outcome = await _backend.RestoreAsync(trash, CancellationToken.None);

        var (item, error) = Assert.Single(outcome.Failures);
        Assert.Equal("/k/dup.txt", item.OriginalPath);
        Assert.Equal(CloudreveErrorKind.Conflict, error.Kind);
        Assert.Equal(40004, error.ServerCode);
        Assert.Contains("already exists in '/k'", error.Message);
        Assert.Equal("/k/ok.txt", Assert.Single(outcome.Restored).OriginalPath);
        Assert.Equal("/k/dup.txt", Assert.Single(await TrashAsync()).OriginalPath);
    }

    [Fact]
    public async Task AnItemGivenOnlyByItsTrashUriIsLookedUpFirst()
    {
        await DeleteFilesAsync("/u/only-uri.txt");
        var uri = Assert.Single(await TrashAsync()).TrashUri;

        var outcome = await _backend.RestoreAsync(new[] { new CloudreveTrashItem { TrashUri = uri } }, CancellationToken.None);

        Assert.Empty(outcome.Failures);
        Assert.Equal("/u/only-uri.txt", Assert.Single(outcome.Restored).OriginalPath);
    }

    [Fact]
    public async Task AnAddressOutsideTheTrashOrGoneFromItFailsWithoutARestore()
    {
        await DeleteFilesAsync("/g/gone.txt");
        var gone = Assert.Single(await TrashAsync());
        await _backend.EmptyTrashAsync(CancellationToken.None);
        var before = await CountAsync("POST", "/api/v4/file/restore");

        var outcome = await _backend.RestoreAsync(new[]
        {
            new CloudreveTrashItem { TrashUri = "cloudreve://my/g" },
            new CloudreveTrashItem { TrashUri = gone.TrashUri },
        }, CancellationToken.None);

        Assert.Empty(outcome.Restored);
        Assert.Equal(new[] { CloudreveErrorKind.InvalidArgument, CloudreveErrorKind.NotFound }, outcome.Failures.Select(f => f.Error.Kind));
        Assert.Equal(before, await CountAsync("POST", "/api/v4/file/restore"));
    }

    [Fact]
    public async Task APermanentDeleteSkipsTheTrash()
    {
        await _backend.CreateFileAsync("/p/hard.txt", CancellationToken.None);
        var item = (await _backend.ListAsync("/p", CancellationToken.None)).Children.Single();

        await _backend.DeletePermanentlyAsync(new[] { item }, false, CancellationToken.None);

        Assert.Empty((await _backend.ListAsync("/p", CancellationToken.None)).Children);
        Assert.Empty(await TrashAsync());
    }

    [Fact]
    public async Task EmptiesTheTrashOn418AndRefusesOlderServersWithoutARequest()
    {
        await DeleteFilesAsync("/e/1.txt", "/e/2.txt");
        Assert.True(_backend.CanEmptyTrash);
        await _backend.EmptyTrashAsync(CancellationToken.None);
        Assert.Empty(await TrashAsync());

        await DeleteFilesAsync("/e/3.txt");
        using var older = new V4Backend(new CloudreveTransport(new TransportOptions(_host.BaseUri) { MaxRetries = 0 }), "4.14.2");
        Assert.False((await older.LoginAsync(Email, Internal.Secrets.Protect(Password), CancellationToken.None)).SecondFactorRequired);
        var before = await CountAsync("DELETE", "/api/v4/file/trash");

        Assert.False(older.CanEmptyTrash);
        var error = await Assert.ThrowsAsync<CloudreveException>(() => older.EmptyTrashAsync(CancellationToken.None));

        Assert.Equal(CloudreveErrorKind.NotSupportedByServer, error.Kind);
        Assert.Contains("4.18", error.Message);
        Assert.Contains("4.14.2", error.Message);
        Assert.Equal(before, await CountAsync("DELETE", "/api/v4/file/trash"));
        Assert.Single(await TrashAsync());
    }

    [Theory]
    [InlineData("4.18.0", true)]
    [InlineData("4.18", true)]
    [InlineData("4.19.1-pro", true)]
    [InlineData("5.0.0", true)]
    [InlineData("4.17.9", false)]
    [InlineData("4.1.0", false)]
    [InlineData("3.8.3", false)]
    public void ComparesServerVersions(string version, bool atLeast418) => Assert.Equal(atLeast418, V4Backend.AtLeast(version, 4, 18));
}

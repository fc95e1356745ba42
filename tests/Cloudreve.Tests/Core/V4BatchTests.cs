using System.Management.Automation;
using System.Text.Json;
using Cloudreve.Api.V4;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Core;

/// <summary>v4 batch calls against a 4.18 sandbox: mixed parents in one request, splitting at the URI limit, per-item failures (40081), delete to the trash.</summary>
public sealed class V4BatchTests : IAsyncLifetime
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
        var outcome = await _backend.LoginAsync(Email, Internal.Secrets.Protect(Password), CancellationToken.None);
        Assert.False(outcome.SecondFactorRequired);
    }

    public async Task DisposeAsync()
    {
        _backend.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<List<string>> RequestsAsync(string method, string path)
    {
        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("_sandbox/requests"));
        return doc.RootElement.GetProperty("requests").EnumerateArray()
            .Where(r => r.GetProperty("method").GetString() == method && r.GetProperty("path").GetString() == path)
            .Select(r => r.GetProperty("path").GetString()!).ToList();
    }

    private async Task<CloudreveItem[]> ChildrenAsync(string folder) => (await _backend.ListAsync(folder, CancellationToken.None)).Children;

    private async Task<CloudreveItem> CreateFileAsync(string path)
    {
        await _backend.CreateFileAsync(path, CancellationToken.None);
        return (await ChildrenAsync(RemotePath.GetParent(path))).Single(c => c.Path == path);
    }

    [Fact]
    public async Task MovesItemsFromSeveralFoldersSplitAtTheUriLimit()
    {
        var items = new List<CloudreveItem>();
        foreach (var path in new[] { "/a/1.txt", "/a/2.txt", "/b/3.txt", "/b/4.txt", "/c/5 #.txt" })
        {
            items.Add(await CreateFileAsync(path));
        }

        await _backend.CreateFolderAsync("/dst", CancellationToken.None);
        _backend.MaxUrisPerCall = 2;
        var before = (await RequestsAsync("POST", "/api/v4/file/move")).Count;

        var outcome = await _backend.MoveAsync(items, "/dst", CancellationToken.None);

        Assert.Empty(outcome.Failures);
        Assert.Equal(5, outcome.Done.Count);
        Assert.Equal(3, (await RequestsAsync("POST", "/api/v4/file/move")).Count - before);
        Assert.Equal(new[] { "1.txt", "2.txt", "3.txt", "4.txt", "5 #.txt" }, (await ChildrenAsync("/dst")).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(await ChildrenAsync("/a"));
    }

    [Fact]
    public async Task CopiesItemsFromSeveralFoldersInOneRequest()
    {
        var items = new[] { await CreateFileAsync("/x/one.txt"), await CreateFileAsync("/y/two.txt") };
        await _backend.CreateFolderAsync("/copies", CancellationToken.None);
        var before = (await RequestsAsync("POST", "/api/v4/file/move")).Count;

        var outcome = await _backend.CopyAsync(items, "/copies", CancellationToken.None);

        Assert.Empty(outcome.Failures);
        Assert.Equal(1, (await RequestsAsync("POST", "/api/v4/file/move")).Count - before);
        Assert.Equal(new[] { "one.txt", "two.txt" }, (await ChildrenAsync("/copies")).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Single(await ChildrenAsync("/x"));
    }

    [Fact]
    public async Task APartlyFailedBatchReportsEachFailedItem()
    {
        var real = await CreateFileAsync("/p/real.txt");
        var gone = await CreateFileAsync("/p/gone.txt");
        await _backend.DeleteAsync(new[] { gone }, false, false, CancellationToken.None);
        await _backend.CreateFolderAsync("/target", CancellationToken.None);

        var outcome = await _backend.MoveAsync(new[] { real, gone }, "/target", CancellationToken.None);

        var missing = Assert.Single(outcome.Failures, f => f.Items.Contains(gone));
        Assert.Equal(CloudreveErrorKind.NotFound, missing.Error.Kind);
        Assert.Equal(40016, missing.Error.ServerCode);
        Assert.Contains("/p/gone.txt", missing.Error.Message);

        // 4.18 moves the valid items of a 40081 batch; whatever the server did, the outcome must say it.
        var moved = (await ChildrenAsync("/target")).Any(c => c.Name == "real.txt");
        Assert.Equal(moved, outcome.Done.Contains(real));
        Assert.Equal(!moved, outcome.Failures.Any(f => f.Items.Contains(real)));
        Assert.Equal(!moved, (await ChildrenAsync("/p")).Any(c => c.Name == "real.txt"));
    }

    [Fact]
    public async Task ANameTakenInTheDestinationFailsTheWholeRequest()
    {
        var a = await CreateFileAsync("/s/a.txt");
        var b = await CreateFileAsync("/s/b.txt");
        await CreateFileAsync("/t/b.txt");

        var outcome = await _backend.MoveAsync(new[] { a, b }, "/t", CancellationToken.None);

        var failure = Assert.Single(outcome.Failures);
        Assert.Equal(CloudreveErrorKind.Conflict, failure.Error.Kind);
        Assert.Equal(2, failure.Items.Count);
        Assert.Empty(outcome.Done);
    }

    [Fact]
    public async Task DeleteMovesItemsToTheTrash()
    {
        var file = await CreateFileAsync("/trashme/file.txt");
        await _backend.DeleteAsync(new[] { file }, false, false, CancellationToken.None);
        Assert.Empty(await ChildrenAsync("/trashme"));

        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _backend.Transport.Tokens.Current!.AccessToken);
        var trash = await http.GetStringAsync("api/v4/file?uri=" + Uri.EscapeDataString("cloudreve://trash/"));
        Assert.Contains("file.txt", trash);

        var forced = await Assert.ThrowsAsync<CloudreveException>(() => _backend.DeleteAsync(new[] { file }, true, false, CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.NotSupportedByServer, forced.Kind);
    }

    [Fact]
    public async Task ReadsPropertiesWithRecursiveCounts()
    {
        await CreateFileAsync("/props/sub/a.txt");
        await CreateFileAsync("/props/b.txt");
        var folder = (await ChildrenAsync("/")).Single(c => c.Name == "props");

        var property = await _backend.GetPropertyAsync(folder, CancellationToken.None);

        Assert.True(property.IsFolder);
        Assert.Equal(2, property.FileCount);
        Assert.Equal(1, property.FolderCount);
        Assert.NotEqual(default, property.Created);
    }
}

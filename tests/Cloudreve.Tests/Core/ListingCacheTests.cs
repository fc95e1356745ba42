using Cloudreve.Provider;
using Xunit;

namespace Cloudreve.Tests.Core;

public class ListingCacheTests
{
    private static FolderListing Listing(string path, params string[] children) =>
        new FolderListing(
            new CloudreveFolder { Path = path, Name = RemotePath.GetName(path), ParentPath = RemotePath.GetParent(path) },
            children.Select(c => (CloudreveItem)new CloudreveFile { Name = c, ParentPath = path, Path = RemotePath.Combine(path, c) }).ToArray(),
            null);

    [Fact]
    public void ServesListingsWithinTheirLifetime()
    {
        var cache = new ListingCache();
        cache.Store(Listing("/docs", "a.txt"), DateTime.UtcNow, cache.Generation);
        Assert.NotNull(cache.TryGet("/docs", TimeSpan.FromSeconds(5)));
        Assert.Null(cache.TryGet("/docs", TimeSpan.Zero.Subtract(TimeSpan.FromTicks(1))));
        Assert.Null(cache.TryGet("/other", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void InvalidationDropsThePathItsSubtreeAndItsAncestors()
    {
        var cache = new ListingCache();
        foreach (var path in new[] { "/", "/docs", "/docs/sub", "/docs/sub/deep", "/docsX", "/other" })
        {
            cache.Store(Listing(path), DateTime.UtcNow, cache.Generation);
        }

        cache.Invalidate("/docs/sub");
        var lifetime = TimeSpan.FromMinutes(1);
        Assert.Null(cache.TryGet("/", lifetime));
        Assert.Null(cache.TryGet("/docs", lifetime));
        Assert.Null(cache.TryGet("/docs/sub", lifetime));
        Assert.Null(cache.TryGet("/docs/sub/deep", lifetime));
        Assert.NotNull(cache.TryGet("/docsX", lifetime));
        Assert.NotNull(cache.TryGet("/other", lifetime));
    }

    [Fact]
    public void DropsAListingFetchedBeforeAnInvalidation()
    {
        var cache = new ListingCache();
        var generation = cache.Generation;   // a fetch starts
        cache.Invalidate("/docs/a.txt");     // a write lands meanwhile
        cache.Store(Listing("/docs", "a.txt"), DateTime.UtcNow, generation);
        Assert.Null(cache.TryGet("/docs", TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData("Cloudreve", "/", "Cloudreve")]
    [InlineData("Work", "/reports/q1", "Work|reports|q1")]
    public void BuildsProviderPathsFromDriveAndRemotePath(string drive, string remote, string expected)
    {
        Assert.Equal(expected.Replace('|', Path.DirectorySeparatorChar), ProviderPaths.Build(drive, remote));
    }

    [Fact]
    public void SplitsProviderPathsOnBothSeparators()
    {
        Assert.Equal(new[] { "Work", "a b", "c#d" }, ProviderPaths.Split(@"Work\a b/c#d/"));
    }
}

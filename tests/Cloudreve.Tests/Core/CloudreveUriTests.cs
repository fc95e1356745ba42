using Cloudreve.Api.V4;
using Xunit;

namespace Cloudreve.Tests.Core;

/// <summary>Paths to cloudreve:// URIs and back, with the encoding verified on 4.18 (v4 reference section 4.2, cap 171-202).</summary>
public sealed class CloudreveUriTests
{
    [Theory]
    [InlineData("/", "cloudreve://my/")]
    [InlineData("/a b.txt", "cloudreve://my/a%20b.txt")]
    [InlineData("/a#b.txt", "cloudreve://my/a%23b.txt")]
    [InlineData("/100%.txt", "cloudreve://my/100%25.txt")]
    [InlineData("/a+b.txt", "cloudreve://my/a%2Bb.txt")]
    [InlineData("/a&b.txt", "cloudreve://my/a%26b.txt")]
    [InlineData("/docs/[x].txt", "cloudreve://my/docs/%5Bx%5D.txt")]
    [InlineData("/semi;colon=.txt", "cloudreve://my/semi%3Bcolon%3D.txt")]
    [InlineData("/日本語 ü.txt", "cloudreve://my/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC.txt")]
    public void BuildsUrisSegmentBySegment(string path, string uri)
    {
        Assert.Equal(uri, CloudreveUris.FromPath(path));
        Assert.Equal(path, CloudreveUris.ToPath(uri));
    }

    [Theory]
    [InlineData("cloudreve://my/it's.txt", "/it's.txt")] // the server leaves ' unescaped
    [InlineData("cloudreve://my/v4probe/a%20b.txt", "/v4probe/a b.txt")]
    [InlineData("cloudreve://my", "/")]
    public void ReadsTheUrisTheServerWrites(string uri, string path) => Assert.Equal(path, CloudreveUris.ToPath(uri));

    [Fact]
    public void OtherFileSystemsHaveNoPath()
    {
        Assert.Null(CloudreveUris.ToPath("cloudreve://trash/0b6c1f9e"));
        Assert.Null(CloudreveUris.ToPath("cloudreve://39Cy:pw@share/sub"));
    }

    [Fact]
    public void QueryValuesAreEscapedOnceMore()
    {
        // A raw '+' in a query string would read as a space (cap 197).
        Assert.Equal("cloudreve%3A%2F%2Fmy%2Fa%252Bb%2520c.txt", CloudreveUris.ForQuery(CloudreveUris.FromPath("/a+b c.txt")));
    }

    [Fact]
    public void ItemsKeepTheUriTheServerGaveThemWhileTheirPathMatches()
    {
        var item = new CloudreveFile { Name = "it's.txt", Path = "/it's.txt", ParentPath = "/", ServerUri = "cloudreve://my/it's.txt" };
        Assert.Equal("cloudreve://my/it's.txt", V4Backend.UriOf(item));
        item.Path = "/other.txt";
        Assert.Equal("cloudreve://my/other.txt", V4Backend.UriOf(item));
    }
}

using System.Globalization;
using Xunit;

namespace Cloudreve.Tests.Core;

public class SizeFormatterTests
{
    private static string InInvariantCulture(System.Func<string> format)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try { return format(); }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.00 KB")]
    [InlineData(1536L, "1.50 KB")]
    [InlineData(1048575L, "1.00 MB")]          // 1023.999 KB rounds to the next unit, not "1024 KB"
    [InlineData(1073741823L, "1.00 GB")]       // the quota's free space once 1 byte is used, was "1024 MB"
    [InlineData(104857599L, "100 MB")]         // 99.9999 MB keeps the pattern of its rounded value
    [InlineData(15728640L, "15.0 MB")]
    public void FormatsInTheLargestUnitBelow1024(long bytes, string expected) =>
        Assert.Equal(expected, InInvariantCulture(() => SizeFormatter.Format(bytes)));

    [Theory]
    [InlineData(1L, 1073741824L, "0.00 GB")]
    [InlineData(1073741823L, 1073741824L, "1.00 GB")]
    [InlineData(314572800L, 1073741824L, "0.29 GB")]
    [InlineData(5120L, 1048576L, "0.00 MB")]
    [InlineData(10L, 30L, "10 B")]
    public void FormatsInTheUnitOfTheScale(long bytes, long scale, string expected) =>
        Assert.Equal(expected, InInvariantCulture(() => SizeFormatter.Format(bytes, scale)));

    [Fact]
    public void QuotaTextUsesOneUnit()
    {
        var quota = new CloudreveQuota { Used = 1, Free = 1073741823, Total = 1073741824 };
        Assert.Equal(1073741824, quota.DisplayScale);
        Assert.Equal("0.00 GB of 1.00 GB used", InInvariantCulture(quota.ToString));
    }
}

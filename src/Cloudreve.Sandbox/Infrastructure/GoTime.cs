using System.Globalization;

namespace Cloudreve.Sandbox;

/// <summary>Formats times the way Go's time.Time marshals them (RFC 3339, trailing zeros of the fraction dropped, UTC "Z").</summary>
internal static class GoTime
{
    public const string Zero = "0001-01-01T00:00:00Z";

    public static string Format(DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var s = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var frac = utc.Ticks % TimeSpan.TicksPerSecond;
        if (frac != 0)
        {
            // Go has nanoseconds; .NET ticks are 100 ns: 7 digits, trailing zeros trimmed.
            s += "." + frac.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        }
        return s + "Z";
    }

    public static string Format(long ticks) => ticks == 0 ? Zero : Format(new DateTime(ticks, DateTimeKind.Utc));

    public static long Now() => DateTime.UtcNow.Ticks;

    public static long UnixSeconds(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();

    public static long NowUnix() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

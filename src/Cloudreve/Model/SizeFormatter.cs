using System;
using System.Globalization;

namespace Cloudreve
{
    /// <summary>Human-readable byte counts (1024-based), used by format views and ToString.</summary>
    public static class SizeFormatter
    {
        private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB", "PB" };

        /// <summary>The size in the largest unit that keeps the rounded value below 1024 (1073741823 bytes is "1.00 GB", not "1024 MB").</summary>
        public static string Format(long bytes)
        {
            var unit = UnitOf(bytes);
            if (unit == 0)
            {
                return bytes.ToString(CultureInfo.CurrentCulture) + " B";
            }

            var value = Scaled(bytes, unit);
            return value.ToString(Pattern(value), CultureInfo.CurrentCulture) + " " + Units[unit];
        }

        /// <summary>
        /// The size in the unit <see cref="Format(long)"/> picks for <paramref name="scale"/>, with two decimals, so that
        /// figures shown side by side (used, free, total) share one unit: "0.01 GB", "0.99 GB", "1.00 GB".
        /// </summary>
        public static string Format(long bytes, long scale)
        {
            var unit = UnitOf(Math.Max(Math.Abs((double)bytes), Math.Abs((double)scale)));
            return unit == 0
                ? bytes.ToString(CultureInfo.CurrentCulture) + " B"
                : Scaled(bytes, unit).ToString("0.00", CultureInfo.CurrentCulture) + " " + Units[unit];
        }

        private static int UnitOf(double bytes)
        {
            var value = Math.Abs(bytes);
            var unit = 0;
            while (value >= 1024 && unit < Units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            // 1023.999 MB would print as "1024 MB": step up when rounding reaches the next unit.
            if (unit > 0 && unit < Units.Length - 1 && Math.Round(value, Decimals(value)) >= 1024)
            {
                unit++;
            }

            return unit;
        }

        private static double Scaled(long bytes, int unit) => bytes / Math.Pow(1024, unit);

        private static int Decimals(double value) => value >= 100 ? 0 : value >= 10 ? 1 : 2;

        private static string Pattern(double value)
        {
            var rounded = Math.Round(Math.Abs(value), Decimals(Math.Abs(value)));
            return rounded >= 100 ? "0" : rounded >= 10 ? "0.0" : "0.00";
        }
    }
}

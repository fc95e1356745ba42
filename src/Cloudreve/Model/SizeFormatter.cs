using System.Globalization;

namespace Cloudreve
{
    /// <summary>Human-readable byte counts (1024-based), used by format views and ToString.</summary>
    public static class SizeFormatter
    {
        private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB", "PB" };

        public static string Format(long bytes)
        {
            if (bytes < 1024)
            {
                return bytes.ToString(CultureInfo.CurrentCulture) + " B";
            }

            double value = bytes;
            var unit = 0;
            while (value >= 1024 && unit < Units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.CurrentCulture) + " " + Units[unit];
        }
    }
}

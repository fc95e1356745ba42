using System;

namespace Cloudreve
{
    /// <summary>Storage used and available to the logged-in user, in bytes.</summary>
    public sealed class CloudreveQuota
    {
        public long Used { get; set; }

        public long Free { get; set; }

        public long Total { get; set; }

        /// <summary>Used as a percentage of Total (0 when Total is 0).</summary>
        public double PercentUsed => Total <= 0 ? 0 : Math.Round(100.0 * Used / Total, 2);

        /// <summary>The user the quota belongs to.</summary>
        public string UserName { get; set; } = string.Empty;

        public override string ToString() => $"{SizeFormatter.Format(Used)} of {SizeFormatter.Format(Total)} used";
    }
}

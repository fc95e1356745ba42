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

        /// <summary>The largest of the three figures: the scale that gives Used, Free and Total one unit in views.</summary>
        [System.Management.Automation.Hidden]
        public long DisplayScale => Math.Max(Total, Math.Max(Used, Free));

        public override string ToString() => $"{SizeFormatter.Format(Used, DisplayScale)} of {SizeFormatter.Format(Total, DisplayScale)} used";
    }
}

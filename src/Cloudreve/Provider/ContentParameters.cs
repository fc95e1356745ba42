// The Get-Content and Set-Content/Add-Content dynamic parameters of the Cloudreve provider (-Encoding,
// -AsByteStream, -Raw, -LastLines, -NoNewline).

using System;
using System.Management.Automation;
using System.Text;

namespace Cloudreve.Provider
{
    /// <summary>Shared -Encoding and -AsByteStream of Get-Content and Set-Content on the Cloudreve drive.</summary>
    public abstract class ContentParametersBase
    {
        /// <summary>Text encoding; utf8 (no byte order mark) by default. "Byte" reads and writes bytes.</summary>
        [Parameter]
        [ValidateSet("utf8", "utf8NoBOM", "utf8BOM", "ascii", "unicode", "bigendianunicode", "utf32", "latin1", "byte", IgnoreCase = true)]
        public string Encoding { get; set; } = "utf8";

        /// <summary>Reads or writes bytes instead of text.</summary>
        [Parameter]
        public SwitchParameter AsByteStream { get; set; }

        internal bool UsesBytes => AsByteStream || string.Equals(Encoding, "byte", StringComparison.OrdinalIgnoreCase);

        internal System.Text.Encoding GetEncoding()
        {
            switch ((Encoding ?? "utf8").ToLowerInvariant())
            {
                case "utf8bom": return new UTF8Encoding(true);
                case "ascii": return new ASCIIEncoding();
                case "unicode": return new UnicodeEncoding(false, true);
                case "bigendianunicode": return new UnicodeEncoding(true, true);
                case "utf32": return new UTF32Encoding(false, true);
                case "latin1": return System.Text.Encoding.GetEncoding(28591);
                default: return new UTF8Encoding(false);
            }
        }
    }

    /// <summary>Get-Content parameters of the Cloudreve provider.</summary>
    public sealed class ContentReaderParameters : ContentParametersBase
    {
        /// <summary>Returns the whole content as one string.</summary>
        [Parameter]
        public SwitchParameter Raw { get; set; }

        /// <summary>Returns only the last N lines (Get-Content -Tail works on the FileSystem provider only).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int LastLines { get; set; }
    }

    /// <summary>Set-Content and Add-Content parameters of the Cloudreve provider.</summary>
    public sealed class ContentWriterParameters : ContentParametersBase
    {
        /// <summary>Writes no newline after each value.</summary>
        [Parameter]
        public SwitchParameter NoNewline { get; set; }
    }
}

// The Get-ChildItem dynamic parameters of the Cloudreve provider (-File, -Directory).

using System.Management.Automation;

namespace Cloudreve.Provider
{
    /// <summary>Get-ChildItem parameters of the Cloudreve provider.</summary>
    public sealed class ChildItemParameters
    {
        /// <summary>Only files.</summary>
        [Parameter]
        public SwitchParameter File { get; set; }

        /// <summary>Only folders.</summary>
        [Parameter]
        [Alias("ad", "Folder")]
        public SwitchParameter Directory { get; set; }
    }
}

// The New-PSDrive dynamic parameters of the Cloudreve provider (-Session, -CacheSeconds).

using System.Management.Automation;

namespace Cloudreve.Provider
{
    /// <summary>New-PSDrive parameters of the Cloudreve provider.</summary>
    public sealed class NewDriveParameters
    {
        /// <summary>The session the drive works through; the default session when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public CloudreveSession? Session { get; set; }

        /// <summary>Seconds a folder listing is reused without asking the server again (default 5; 0 turns the cache off).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public double? CacheSeconds { get; set; }
    }
}

using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>
    /// Whole-file content reads and writes for the Cloudreve drive (Get-Content, Set-Content,
    /// Add-Content, New-Item -Value). Kept apart from ICloudreveBackend: the transfer engine
    /// (Send-/Receive-CloudreveFile) has its own chunked, parallel paths.
    /// </summary>
    internal interface IContentBackend
    {
        /// <summary>Opens the file's bytes for reading (a download link is made for it first).</summary>
        Task<Stream> OpenReadAsync(CloudreveFile file, CancellationToken cancellationToken);

        /// <summary>Replaces the whole content of an existing file.</summary>
        Task ReplaceContentAsync(CloudreveFile file, byte[] content, CancellationToken cancellationToken);
    }
}

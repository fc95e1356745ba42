using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>
    /// In-place content replacement for the drive (Set-Content, Add-Content, Clear-Content, New-Item -Value
    /// on small files of the local storage policy). Reading, and writing large files or files of other
    /// policies, go through the transfer backend (<see cref="ICloudreveTransferBackend"/>) instead.
    /// </summary>
    internal interface IContentBackend
    {
        /// <summary>
        /// Replaces the whole content of an existing file, keeping its id. <paramref name="makeContent"/> makes
        /// a fresh body with an exact length (it is called again when the request has to be repeated after a new login).
        /// </summary>
        Task ReplaceContentAsync(CloudreveFile file, Func<HttpContent> makeContent, CancellationToken cancellationToken);
    }
}

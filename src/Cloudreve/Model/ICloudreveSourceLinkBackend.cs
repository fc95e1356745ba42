using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>Deleting direct links (Cloudreve 4.1 and later; 3.x has no such route).</summary>
    internal interface ICloudreveSourceLinkBackend
    {
        /// <summary>Deletes the direct link; the file stays.</summary>
        Task RemoveSourceLinkAsync(CloudreveSourceLink link, CancellationToken cancellationToken);
    }
}

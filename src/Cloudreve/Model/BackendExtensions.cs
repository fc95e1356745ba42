using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>Single-item forms of the batch operations, for callers that handle one item at a time (the provider).</summary>
    internal static class BackendExtensions
    {
        /// <summary>Moves one item; a failure is thrown.</summary>
        public static async Task MoveOneAsync(this ICloudreveBackend backend, CloudreveItem item, string destinationFolder, CancellationToken cancellationToken)
        {
            var outcome = await backend.MoveAsync(new[] { item }, destinationFolder, cancellationToken).ConfigureAwait(false);
            outcome.ThrowIfFailed();
        }

        /// <summary>Copies one item; a failure is thrown.</summary>
        public static async Task CopyOneAsync(this ICloudreveBackend backend, CloudreveItem item, string destinationFolder, CancellationToken cancellationToken)
        {
            var outcome = await backend.CopyAsync(new[] { item }, destinationFolder, cancellationToken).ConfigureAwait(false);
            outcome.ThrowIfFailed();
        }
    }
}

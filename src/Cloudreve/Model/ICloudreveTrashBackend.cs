using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>
    /// The trash of servers that have one (Cloudreve 4.x: a delete moves items there). Backends without a
    /// trash (Cloudreve 3.x, where every delete is permanent) do not implement it.
    /// </summary>
    internal interface ICloudreveTrashBackend
    {
        /// <summary>Lists the whole trash page by page, handing each page to <paramref name="onPage"/> as it arrives.</summary>
        Task ListTrashAsync(Action<IReadOnlyList<CloudreveTrashItem>> onPage, CancellationToken cancellationToken);

        /// <summary>
        /// Puts trash items back at their original paths in as few requests as the server allows. An item without
        /// an original path is looked up first. Failures (a name taken again, an item no longer in the trash) are
        /// reported item by item in the outcome, not thrown.
        /// </summary>
        Task<TrashRestoreOutcome> RestoreAsync(IReadOnlyCollection<CloudreveTrashItem> items, CancellationToken cancellationToken);

        /// <summary>Deletes items for good, past the trash; failures are thrown as by <see cref="ICloudreveBackend.DeleteAsync"/>.</summary>
        Task DeletePermanentlyAsync(IReadOnlyCollection<CloudreveItem> items, bool unlink, CancellationToken cancellationToken);

        /// <summary>True when the server can empty the trash in one request (Cloudreve 4.18 and later).</summary>
        bool CanEmptyTrash { get; }

        /// <summary>Deletes everything in the trash for good; NotSupportedByServer before 4.18.</summary>
        Task EmptyTrashAsync(CancellationToken cancellationToken);
    }
}

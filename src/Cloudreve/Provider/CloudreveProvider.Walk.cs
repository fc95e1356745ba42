// The listing behind Get-ChildItem (and -Recurse/-Depth): a few folder listings at a time in the background,
// handed to the pipeline thread page by page as they arrive.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        private const int ListingConcurrency = 4;

        /// <summary>
        /// Lists <paramref name="start"/> and sub-folders to <paramref name="maxDepth"/> levels below it, a few
        /// requests at a time, handing the items of each listing page to <paramref name="onItems"/> on this thread as
        /// the page arrives; a folder's next page is asked for once the pipeline took this one, so a stopped pipeline
        /// stops the paging. Listings read to the end go to the shared cache; one given up part way does not.
        /// </summary>
        private void Walk(CloudreveDriveInfo drive, string start, uint maxDepth, bool fresh, Action<IReadOnlyList<CloudreveItem>> onItems)
        {
            using var stop = new CancellationTokenSource();
            PipelineWait.Pump<Action>(
                async (ct, add) =>
                {
                    using var gate = new SemaphoreSlim(ListingConcurrency, ListingConcurrency);

                    async Task Visit(string folder, uint level)
                    {
                        var folders = new List<string>();
                        Task OnPage(ListingPage page)
                        {
                            if (level < maxDepth)
                            {
                                folders.AddRange(page.Items.OfType<CloudreveFolder>().Select(f => f.Path));
                            }

                            return PipelineWait.HandOffAsync(add, () => onItems(page.Items), ct);
                        }

                        try
                        {
                            var cached = fresh ? null : drive.Cache.TryGet(folder, drive.CacheLifetime);
                            if (cached != null)
                            {
                                await OnPage(ListingPages.AsPage(cached)).ConfigureAwait(false);
                            }
                            else
                            {
                                await SharedListings.StreamAndStoreAsync(drive.Session, folder, OnPage, ct, gate).ConfigureAwait(false);
                            }
                        }
                        catch (CloudreveException ex)
                        {
                            add(() => WriteError(Record(ex, ProviderPaths.Build(drive.Name, folder))));
                            return;
                        }

                        await Task.WhenAll(folders.Select(f => Visit(f, level + 1))).ConfigureAwait(false);
                    }

                    await Visit(start, 0).ConfigureAwait(false);
                },
                next => next(),
                stop,
                WriteVerbose,
                () => Stopping);
        }
    }
}

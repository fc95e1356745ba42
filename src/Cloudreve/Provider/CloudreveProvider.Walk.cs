// The recursive listing behind Get-ChildItem -Recurse/-Depth: a few folder listings at a time in the background,
// handed to the pipeline thread as they arrive.

using System;
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
        /// requests at a time, handing each listing to <paramref name="onListing"/> on this thread as it arrives.
        /// </summary>
        private void Walk(CloudreveDriveInfo drive, string start, uint maxDepth, bool fresh, Action<FolderListing> onListing)
        {
            using var stop = new CancellationTokenSource();
            PipelineWait.Pump<object>(
                async (ct, add) =>
                {
                    using var gate = new SemaphoreSlim(ListingConcurrency, ListingConcurrency);

                    async Task Visit(string folder, uint level)
                    {
                        FolderListing listing;
                        await gate.WaitAsync(ct).ConfigureAwait(false);
                        try
                        {
                            listing = await ListAsync(drive, folder, fresh, ct).ConfigureAwait(false);
                        }
                        catch (CloudreveException ex)
                        {
                            add(new WalkError(folder, ex));
                            return;
                        }
                        finally
                        {
                            gate.Release();
                        }

                        add(listing);
                        if (level >= maxDepth)
                        {
                            return;
                        }

                        await Task.WhenAll(listing.Children.OfType<CloudreveFolder>().Select(f => Visit(f.Path, level + 1))).ConfigureAwait(false);
                    }

                    await Visit(start, 0).ConfigureAwait(false);
                },
                next =>
                {
                    if (next is FolderListing listing)
                    {
                        onListing(listing);
                    }
                    else if (next is WalkError error)
                    {
                        WriteError(Record(error.Error, ProviderPaths.Build(drive.Name, error.Folder)));
                    }
                },
                stop,
                WriteVerbose,
                () => Stopping);
        }

        private sealed class WalkError
        {
            public WalkError(string folder, CloudreveException error)
            {
                Folder = folder;
                Error = error;
            }

            public string Folder { get; }

            public CloudreveException Error { get; }
        }
    }
}

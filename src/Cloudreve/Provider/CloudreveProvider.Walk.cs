// The recursive listing behind Get-ChildItem -Recurse/-Depth: a few folder listings at a time in the background,
// handed to the pipeline thread as they arrive.

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
            var queue = new BlockingCollection<object>();
            using var stop = new CancellationTokenSource();
            var session = drive.Session;
            var lines = new ConcurrentQueue<string>();
            Task producer;
            using (TransportLog.Capture(lines.Enqueue))
            {
                producer = Task.Run(async () =>
                {
                    using var gate = new SemaphoreSlim(ListingConcurrency, ListingConcurrency);

                    async Task Visit(string folder, uint level)
                    {
                        FolderListing listing;
                        await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                        try
                        {
                            listing = await ListAsync(drive, folder, fresh, stop.Token).ConfigureAwait(false);
                        }
                        catch (CloudreveException ex)
                        {
                            queue.Add(new WalkError(folder, ex));
                            return;
                        }
                        finally
                        {
                            gate.Release();
                        }

                        queue.Add(listing);
                        if (level >= maxDepth)
                        {
                            return;
                        }

                        await Task.WhenAll(listing.Children.OfType<CloudreveFolder>().Select(f => Visit(f.Path, level + 1))).ConfigureAwait(false);
                    }

                    await Visit(start, 0).ConfigureAwait(false);
                }).ContinueWith(t =>
                {
                    queue.CompleteAdding();
                    return t;
                }, TaskScheduler.Default).Unwrap();
            }

            try
            {
                while (!queue.IsCompleted)
                {
                    if (Stopping)
                    {
                        stop.Cancel();
                        break;
                    }

                    if (queue.TryTake(out var next, 100))
                    {
                        if (next is FolderListing listing)
                        {
                            onListing(listing);
                        }
                        else if (next is WalkError error)
                        {
                            WriteError(Record(error.Error, ProviderPaths.Build(drive.Name, error.Folder)));
                        }
                    }

                    DrainVerbose(lines);
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }

            DrainVerbose(lines);
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
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

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>One page of a folder listing, as it arrived from the server.</summary>
    internal sealed class ListingPage
    {
        public ListingPage(CloudreveFolder folder, CloudreveStoragePolicy? policy, IReadOnlyList<CloudreveItem> items, bool isLast)
        {
            Folder = folder;
            Policy = policy;
            Items = items;
            IsLast = isLast;
        }

        /// <summary>The listed folder (the same object on every page of one listing).</summary>
        public CloudreveFolder Folder { get; }

        public CloudreveStoragePolicy? Policy { get; }

        /// <summary>This page's children, in the server's order.</summary>
        public IReadOnlyList<CloudreveItem> Items { get; }

        /// <summary>True on the last page: the listing is complete once this page has arrived.</summary>
        public bool IsLast { get; }
    }

    /// <summary>
    /// A folder listing read page by page: every <see cref="NextAsync"/> makes at most one request, so a
    /// caller that stops asking stops the paging. Not thread-safe (one reader at a time).
    /// </summary>
    internal interface IListingPager
    {
        /// <summary>The next page, or null once the last page was handed out. A missing folder (or a file) is NotFound on the first page.</summary>
        Task<ListingPage?> NextAsync(CancellationToken cancellationToken);
    }

    /// <summary>A pager over a listing that comes in one response (Cloudreve 3.x has no paging).</summary>
    internal sealed class SingleResponsePager : IListingPager
    {
        private readonly Func<CancellationToken, Task<FolderListing>> _list;
        private bool _done;

        public SingleResponsePager(Func<CancellationToken, Task<FolderListing>> list)
        {
            _list = list;
        }

        public async Task<ListingPage?> NextAsync(CancellationToken cancellationToken)
        {
            if (_done)
            {
                return null;
            }

            var listing = await _list(cancellationToken).ConfigureAwait(false);
            _done = true;
            return new ListingPage(listing.Folder, listing.Policy, listing.Children, isLast: true);
        }
    }

    internal static class ListingPages
    {
        /// <summary>Reads the pager to its end and returns the whole listing.</summary>
        public static async Task<FolderListing> CollectAsync(IListingPager pager, ListingPage? first, CancellationToken cancellationToken)
        {
            var children = new List<CloudreveItem>();
            var page = first ?? await pager.NextAsync(cancellationToken).ConfigureAwait(false);
            var last = page;
            while (page != null)
            {
                children.AddRange(page.Items);
                last = page;
                if (page.IsLast)
                {
                    break;
                }

                page = await pager.NextAsync(cancellationToken).ConfigureAwait(false);
            }

            if (last == null)
            {
                throw new InvalidOperationException("A listing pager ended without a page.");
            }

            return new FolderListing(last.Folder, children.ToArray(), last.Policy);
        }

        /// <summary>
        /// Reads <paramref name="pager"/> page by page (starting with <paramref name="first"/> when a page was already
        /// read), ties each page to <paramref name="session"/> and hands it to <paramref name="onPage"/>, waiting for it
        /// before the next page is asked for, so a reader that stops stops the paging. Once the last page has arrived,
        /// and before it is handed on, <paramref name="onComplete"/> gets the whole listing: a listing given up part
        /// way (the reader stopped, a cancellation, a failed page) never reaches it. <paramref name="gate"/>, when
        /// given, is held around each page request (not while the reader works).
        /// </summary>
        public static async Task PumpAsync(IListingPager pager, ListingPage? first, CloudreveSession session, Func<ListingPage, Task> onPage,
            Action<FolderListing> onComplete, CancellationToken cancellationToken, SemaphoreSlim? gate = null)
        {
            var children = new List<CloudreveItem>();
            while (true)
            {
                var page = first;
                first = null;
                if (page == null)
                {
                    if (gate != null)
                    {
                        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    try
                    {
                        page = await pager.NextAsync(cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate?.Release();
                    }
                }

                if (page == null)
                {
                    return;
                }

                Attach(page, session);
                children.AddRange(page.Items);
                if (page.IsLast)
                {
                    // Every page arrived: the listing is complete whether or not the reader takes this last page.
                    onComplete(new FolderListing(page.Folder, children.ToArray(), page.Policy));
                }

                await onPage(page).ConfigureAwait(false);
                if (page.IsLast)
                {
                    return;
                }
            }
        }

        /// <summary>The whole of a listing as one (last) page.</summary>
        public static ListingPage AsPage(FolderListing listing) => new ListingPage(listing.Folder, listing.Policy, listing.Children, isLast: true);

        /// <summary>Ties the page's folder and items to <paramref name="session"/> (item ids only mean something there).</summary>
        public static void Attach(ListingPage page, CloudreveSession session)
        {
            page.Folder.Session = session;
            foreach (var item in page.Items)
            {
                item.Session = session;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// Folder listings (reference section 5): GET /file?uri= page by page, cursor pages (next_token) by default and
    /// 0-based numbered pages on servers with cursor paging switched off, each asking for the largest page the server allows.
    /// </summary>
    internal sealed partial class V4Backend
    {
        /// <summary>
        /// The largest page 4.18 allows: the max_page_size setting (2000 by default), which the listing also reports
        /// in props.max_page_size; a larger page_size is clamped to it, not refused (section 5.2, cap 215).
        /// </summary>
        internal const int MaxPageSize = 2000;

        /// <summary>Test seam: the page size asked for (the server's maximum unless a test wants more pages).</summary>
        internal int PageSize { get; set; } = MaxPageSize;

        /// <summary>Test seam: the most URIs sent in one batch call (the server's limit, 3000).</summary>
        internal int MaxUrisPerCall { get; set; } = V4Errors.MaxUrisPerCall;

        public IListingPager OpenListing(string folderPath) => new FolderPager(this, folderPath);

        public Task<FolderListing> ListAsync(string folderPath, CancellationToken cancellationToken) =>
            ListingPages.CollectAsync(OpenListing(folderPath), null, cancellationToken);

        /// <summary>
        /// Lists a folder page by page to the end, handing each page's items to <paramref name="onPage"/> as it
        /// arrives (before the next page is asked for).
        /// </summary>
        internal async Task<(CloudreveFolder Folder, CloudreveStoragePolicy? Policy)> ListPagesAsync(string folderPath, Action<IReadOnlyList<CloudreveItem>> onPage, CancellationToken cancellationToken)
        {
            var pager = OpenListing(folderPath);
            while (true)
            {
                var page = await pager.NextAsync(cancellationToken).ConfigureAwait(false);
                if (page == null)
                {
                    throw new InvalidOperationException("The listing ended without a page.");
                }

                onPage(page.Items);
                if (page.IsLast)
                {
                    return (page.Folder, page.Policy);
                }
            }
        }

        /// <summary>One folder's listing, one GET per <see cref="NextAsync"/>.</summary>
        private sealed class FolderPager : IListingPager
        {
            private readonly V4Backend _backend;
            private readonly string _folderPath;
            private readonly string _uri;
            private readonly string _operation;
            private int _pageSize;
            private string? _cursor;
            private int _pageNumber;
            private CloudreveFolder? _folder;
            private CloudreveStoragePolicy? _policy;
            private bool _done;

            public FolderPager(V4Backend backend, string folderPath)
            {
                _backend = backend;
                _folderPath = folderPath;
                _uri = CloudreveUris.FromPath(folderPath);
                _operation = $"Listing '{folderPath}'";
                _pageSize = backend.PageSize;
            }

            public async Task<ListingPage?> NextAsync(CancellationToken cancellationToken)
            {
                if (_done)
                {
                    return null;
                }

                var route = $"file?uri={CloudreveUris.ForQuery(_uri)}&page_size={_pageSize}" +
                    (_cursor != null ? "&next_page_token=" + Uri.EscapeDataString(_cursor) : _pageNumber > 0 ? "&page=" + _pageNumber : string.Empty);
                var list = await _backend.CallAsync<V4FileList>(HttpMethod.Get, route, null, _operation, true, cancellationToken).ConfigureAwait(false);
                if (_folder == null)
                {
                    if (list.Parent != null && list.Parent.Type != 1)
                    {
                        throw new CloudreveException(CloudreveErrorKind.NotFound, $"{_operation} failed: '{_folderPath}' is a file, not a folder.");
                    }

                    _folder = new CloudreveFolder
                    {
                        Id = list.Parent?.Id ?? string.Empty,
                        Name = RemotePath.GetName(_folderPath),
                        Path = _folderPath,
                        ParentPath = RemotePath.GetParent(_folderPath),
                        ServerUri = list.Parent?.Path,
                        Created = ParseTime(list.Parent?.CreatedAt),
                        Modified = ParseTime(list.Parent?.UpdatedAt),
                    };
                    _policy = ToPolicy(list.StoragePolicy);
                }

                var items = (list.Files ?? Array.Empty<V4File>()).Select(f => ToItem(f, _folderPath)).ToArray();
                _done = !Advance(list, items.Length);
                return new ListingPage(_folder, _policy, items, _done);
            }

            /// <summary>Prepares the next request; false when this page was the last.</summary>
            private bool Advance(V4FileList list, int count)
            {
                var pagination = list.Pagination;
                if (pagination == null)
                {
                    return false;
                }

                if (pagination.IsCursor || !string.IsNullOrEmpty(pagination.NextToken))
                {
                    // Cursor pages: the last one has no next_token (section 5.2).
                    if (string.IsNullOrEmpty(pagination.NextToken))
                    {
                        return false;
                    }

                    _cursor = pagination.NextToken;
                }
                else
                {
                    // Numbered pages (use_cursor_pagination off): 0-based, while (page+1)*page_size < total_items.
                    var size = pagination.PageSize > 0 ? pagination.PageSize : _pageSize;
                    if (count == 0 || (long)(pagination.Page + 1) * size >= pagination.TotalItems)
                    {
                        return false;
                    }

                    _pageNumber = pagination.Page + 1;
                }

                // A server whose max_page_size is below what was asked clamps silently; ask for what it allows from now on.
                if (list.Props != null && list.Props.MaxPageSize > 0 && list.Props.MaxPageSize < _pageSize)
                {
                    _pageSize = list.Props.MaxPageSize;
                }

                return true;
            }
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>
    /// Finds items by path for one session: literal lookups, wildcard expansion in any segment, and
    /// bounded-concurrency recursive walks. Listings are remembered for the lifetime of the locator
    /// (one command), so a pipeline of many paths in one folder lists it once.
    /// </summary>
    internal sealed class ItemLocator
    {
        private readonly ConcurrentDictionary<string, Task<FolderListing>> _listings = new ConcurrentDictionary<string, Task<FolderListing>>(StringComparer.Ordinal);

        /// <summary>Listings whose first page was read to look at the folder itself, waiting to be read on.</summary>
        private readonly ConcurrentDictionary<string, StartedListing> _started = new ConcurrentDictionary<string, StartedListing>(StringComparer.Ordinal);

        public ItemLocator(CloudreveSession session)
        {
            Session = session;
        }

        public CloudreveSession Session { get; }

        private ICloudreveBackend Backend => Session.Backend;

        public static bool HasWildcards(string path) => WildcardPattern.ContainsWildcardCharacters(path);

        /// <summary>
        /// The literal text of a pattern without (unescaped) wildcards: a backtick takes the next character
        /// as it is, so "br`[1`].txt" names "br[1].txt" (PowerShell's escaping for -Path).
        /// </summary>
        public static string UnescapeWildcards(string pattern)
        {
            if (pattern.IndexOf('`') < 0)
            {
                return pattern;
            }

            var text = new System.Text.StringBuilder(pattern.Length);
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '`' && i + 1 < pattern.Length)
                {
                    i++;
                }

                text.Append(pattern[i]);
            }

            return text.ToString();
        }

        /// <summary>Lists a folder (once per locator unless <paramref name="fresh"/>).</summary>
        public async Task<FolderListing> ListAsync(string folderPath, CancellationToken cancellationToken, bool fresh = false)
        {
            if (fresh)
            {
                _listings.TryRemove(folderPath, out _);
                _started.TryRemove(folderPath, out _);
            }

            var task = _listings.GetOrAdd(folderPath, p => CollectAsync(p, cancellationToken));
            try
            {
                var listing = await task.ConfigureAwait(false);
                Attach(listing);
                return listing;
            }
            catch
            {
                _listings.TryRemove(folderPath, out _);
                throw;
            }
        }

        /// <summary>
        /// Streams a folder's listing page by page to <paramref name="onPage"/>, which is awaited before the next page
        /// is asked for (a reader that stops stops the paging). A listing this locator already holds comes as one page;
        /// a listing read to its end is kept for later lookups. <paramref name="gate"/> is held around each request.
        /// </summary>
        public async Task StreamAsync(string folderPath, Func<ListingPage, Task> onPage, SemaphoreSlim? gate, CancellationToken cancellationToken)
        {
            if (_listings.TryGetValue(folderPath, out var known))
            {
                FolderListing listing;
                if (gate != null)
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    listing = await known.ConfigureAwait(false);
                }
                finally
                {
                    gate?.Release();
                }

                Attach(listing);
                await onPage(ListingPages.AsPage(listing)).ConfigureAwait(false);
                return;
            }

            var (pager, first) = _started.TryRemove(folderPath, out var started) ? (started.Pager, started.First) : (Backend.OpenListing(folderPath), (ListingPage?)null);
            await ListingPages.PumpAsync(pager, first, Session, onPage,
                listing => _listings.TryAdd(folderPath, Task.FromResult(listing)), cancellationToken, gate).ConfigureAwait(false);
        }

        /// <summary>
        /// The folder itself from the first page of its listing (one request). The pager is kept, so a stream of
        /// the same folder that follows goes on from there instead of asking for the first page again.
        /// </summary>
        private async Task<CloudreveFolder> PeekFolderAsync(string folderPath, CancellationToken cancellationToken)
        {
            if (_listings.TryGetValue(folderPath, out var known))
            {
                var listing = await known.ConfigureAwait(false);
                Attach(listing);
                return listing.Folder;
            }

            if (_started.TryGetValue(folderPath, out var started))
            {
                return started.First.Folder;
            }

            var pager = Backend.OpenListing(folderPath);
            var first = await pager.NextAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A listing pager ended without a page.");
            ListingPages.Attach(first, Session);
            if (first.IsLast)
            {
                _listings.TryAdd(folderPath, Task.FromResult(new FolderListing(first.Folder, first.Items.ToArray(), first.Policy)));
            }
            else
            {
                _started[folderPath] = new StartedListing(pager, first);
            }

            return first.Folder;
        }

        /// <summary>The whole listing, going on from a first page <see cref="PeekFolderAsync"/> already fetched.</summary>
        private Task<FolderListing> CollectAsync(string folderPath, CancellationToken cancellationToken) =>
            _started.TryRemove(folderPath, out var started)
                ? ListingPages.CollectAsync(started.Pager, started.First, cancellationToken)
                : Backend.ListAsync(folderPath, cancellationToken);

        public void Forget(string folderPath)
        {
            _listings.TryRemove(folderPath, out _);
            _started.TryRemove(folderPath, out _);
        }

        /// <summary>The items at a literal path (a file and a folder may share a name); empty when missing.</summary>
        public async Task<CloudreveItem[]> FindAsync(string path, CancellationToken cancellationToken)
        {
            if (path == RemotePath.Root)
            {
                // The root's own details come with the first page of its listing; the rest is read only when wanted.
                return new CloudreveItem[] { await PeekFolderAsync(RemotePath.Root, cancellationToken).ConfigureAwait(false) };
            }

            var parent = await TryListAsync(RemotePath.GetParent(path), cancellationToken).ConfigureAwait(false);
            if (parent == null)
            {
                return Array.Empty<CloudreveItem>();
            }

            var name = RemotePath.GetName(path);
            return parent.Children.Where(c => string.Equals(c.Name, name, StringComparison.Ordinal))
                .OrderBy(c => c.IsFolder ? 0 : 1).ToArray();
        }

        /// <summary>The folder at a literal path, or null.</summary>
        public async Task<CloudreveFolder?> FindFolderAsync(string path, CancellationToken cancellationToken) =>
            (await FindAsync(path, cancellationToken).ConfigureAwait(false)).OfType<CloudreveFolder>().FirstOrDefault();

        /// <summary>Items matching a path with wildcards in any segment, in listing order.</summary>
        public async Task<CloudreveItem[]> ExpandAsync(string pattern, CancellationToken cancellationToken)
        {
            var segments = RemotePath.Split(pattern);
            var current = new List<string> { RemotePath.Root };
            for (var i = 0; i < segments.Length; i++)
            {
                var last = i == segments.Length - 1;
                var segment = segments[i];
                if (!HasWildcards(segment))
                {
                    if (last)
                    {
                        var found = new List<CloudreveItem>();
                        foreach (var folder in current)
                        {
                            found.AddRange(await FindAsync(RemotePath.Combine(folder, UnescapeWildcards(segment)), cancellationToken).ConfigureAwait(false));
                        }

                        return found.ToArray();
                    }

                    current = current.Select(f => RemotePath.Combine(f, UnescapeWildcards(segment))).ToList();
                    continue;
                }

                var matcher = new WildcardPattern(segment, WildcardOptions.CultureInvariant);
                var next = new List<CloudreveItem>();
                foreach (var folder in current)
                {
                    var listing = await TryListAsync(folder, cancellationToken).ConfigureAwait(false);
                    if (listing != null)
                    {
                        next.AddRange(listing.Children.Where(c => (last || c.IsFolder) && matcher.IsMatch(c.Name)));
                    }
                }

                if (last)
                {
                    return next.ToArray();
                }

                current = next.Select(c => c.Path).ToList();
            }

            return await FindAsync(RemotePath.Root, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Lists <paramref name="start"/> and, to <paramref name="maxDepth"/> levels below it, its sub-folders,
        /// at most <paramref name="concurrency"/> requests at a time. Each listing is handed over as it arrives.
        /// </summary>
        public async Task WalkAsync(string start, int maxDepth, int concurrency, Action<FolderListing> onListing, Action<string, Exception> onError, CancellationToken cancellationToken)
        {
            using var gate = new SemaphoreSlim(concurrency, concurrency);
            var running = new List<Task>();
            var sync = new object();

            async Task Visit(string folder, int depth)
            {
                FolderListing listing;
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    listing = await ListAsync(folder, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudreveException ex)
                {
                    onError(folder, ex);
                    return;
                }
                finally
                {
                    gate.Release();
                }

                onListing(listing);
                if (depth >= maxDepth)
                {
                    return;
                }

                var children = listing.Children.OfType<CloudreveFolder>().Select(f => Visit(f.Path, depth + 1)).ToArray();
                await Task.WhenAll(children).ConfigureAwait(false);
            }

            await Visit(start, 0).ConfigureAwait(false);
        }

        /// <summary>
        /// As <see cref="WalkAsync"/>, but each folder's listing streams page by page to <paramref name="onPage"/>
        /// (awaited before the next page of that folder is asked for); a folder's sub-folders are visited once its
        /// listing is complete. A failure part way through a folder goes to <paramref name="onError"/> after the pages
        /// that arrived.
        /// </summary>
        public async Task WalkPagesAsync(string start, int maxDepth, int concurrency, Func<ListingPage, Task> onPage, Action<string, Exception> onError, CancellationToken cancellationToken)
        {
            using var gate = new SemaphoreSlim(concurrency, concurrency);

            async Task Visit(string folder, int depth)
            {
                var folders = new List<string>();
                try
                {
                    await StreamAsync(folder, async page =>
                    {
                        if (depth < maxDepth)
                        {
                            folders.AddRange(page.Items.OfType<CloudreveFolder>().Select(f => f.Path));
                        }

                        await onPage(page).ConfigureAwait(false);
                    }, gate, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudreveException ex)
                {
                    onError(folder, ex);
                    return;
                }

                await Task.WhenAll(folders.Select(f => Visit(f, depth + 1))).ConfigureAwait(false);
            }

            await Visit(start, 0).ConfigureAwait(false);
        }

        private async Task<FolderListing?> TryListAsync(string folder, CancellationToken cancellationToken)
        {
            try
            {
                return await ListAsync(folder, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.NotFound)
            {
                return null;
            }
        }

        private void Attach(FolderListing listing)
        {
            listing.Folder.Session = Session;
            foreach (var child in listing.Children)
            {
                child.Session = Session;
            }
        }

        private sealed class StartedListing
        {
            public StartedListing(IListingPager pager, ListingPage first)
            {
                Pager = pager;
                First = first;
            }

            public IListingPager Pager { get; }

            public ListingPage First { get; }
        }
    }
}

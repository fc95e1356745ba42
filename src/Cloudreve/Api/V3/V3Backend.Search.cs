using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V3
{
    /// <summary>
    /// Find-CloudreveItem on 3.x. <c>GET /file/search/{type}/{keywords}?path=</c> finds files only (SQL LIKE on the
    /// name, or a built-in extension list per type), below <c>path</c>, and gives every hit the path "/" (reference:
    /// file/search). So: a search that can only return files uses it and resolves each hit's real folder with
    /// <c>GET /object/property/{id}?trace_root=true</c>; a search that may return folders lists the tree instead,
    /// which also yields the files with their paths.
    /// </summary>
    internal sealed partial class V3Backend : ICloudreveSearchBackend
    {
        private const int SearchConcurrency = 4;

        /// <summary>"keywords" matches everything with this keyword: LIKE '%%%'.</summary>
        private const string MatchAllKeyword = "%";

        private static readonly Dictionary<CloudreveFileCategory, string> SearchTypes = new Dictionary<CloudreveFileCategory, string>
        {
            [CloudreveFileCategory.Image] = "image",
            [CloudreveFileCategory.Video] = "video",
            [CloudreveFileCategory.Audio] = "audio",
            [CloudreveFileCategory.Document] = "doc",
        };

        public async Task<SearchOutcome> SearchAsync(SearchQuery query, Action<IReadOnlyList<CloudreveItem>> onCandidates,
            Action<string, CloudreveException> onError, CancellationToken cancellationToken)
        {
            if (query.FilesOnly)
            {
                await SearchFilesAsync(query, onCandidates, onError, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WalkForSearchAsync(query.Folder, onCandidates, onError, cancellationToken).ConfigureAwait(false);
            }

            return SearchOutcome.Complete;
        }

        /// <summary>The (type, keywords) requests a files-only query needs: one per category, else one per name fragment.</summary>
        internal static IReadOnlyList<(string Type, string Keywords)> SearchRequests(SearchQuery query)
        {
            if (query.Categories.Length > 0)
            {
                // The frontend sends "internal" as the placeholder keyword of the type searches.
                return query.Categories.Distinct().Select(c => (SearchTypes[c], "internal")).ToArray();
            }

            var fragments = query.ServerNameFragments();
            return fragments == null
                ? new[] { ("keywords", MatchAllKeyword) }
                : fragments.Select(f => ("keywords", f)).ToArray();
        }

        private async Task SearchFilesAsync(SearchQuery query, Action<IReadOnlyList<CloudreveItem>> onCandidates,
            Action<string, CloudreveException> onError, CancellationToken cancellationToken)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            using var gate = new SemaphoreSlim(SearchConcurrency, SearchConcurrency);
            foreach (var (type, keywords) in SearchRequests(query))
            {
                var route = $"file/search/{type}/{Uri.EscapeDataString(keywords)}?path={Uri.EscapeDataString(query.Folder)}";
                var found = await CallAsync<V3SearchResult>(HttpMethod.Get, route, null, $"Searching '{query.Folder}'", true, cancellationToken).ConfigureAwait(false);

                // Everything but the path is known already: resolve only the hits that can still be results.
                var hits = (found.Objects ?? Array.Empty<V3Object>())
                    .Where(o => !string.Equals(o.Type, "dir", StringComparison.Ordinal) && o.Id != null && seen.Add(o.Id))
                    .Select(ToItem)
                    .Where(query.Matches)
                    .ToList();
                await Task.WhenAll(hits.Select(async hit =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var located = await LocateAsync(hit, cancellationToken).ConfigureAwait(false);
                        if (located != null && query.IsBelowFolder(located))
                        {
                            onCandidates(new[] { located });
                        }
                    }
                    catch (CloudreveException ex)
                    {
                        onError(hit.Name, ex);
                    }
                    finally
                    {
                        gate.Release();
                    }
                })).ConfigureAwait(false);
            }
        }

        /// <summary>The hit with its real path, from the folder path the server traces for it; null when it is gone.</summary>
        private async Task<CloudreveItem?> LocateAsync(CloudreveItem hit, CancellationToken cancellationToken)
        {
            var route = $"object/property/{Uri.EscapeDataString(hit.Id)}?trace_root=true&is_folder=false";
            V3Property property;
            try
            {
                property = await CallAsync<V3Property>(HttpMethod.Get, route, null, $"Finding the folder of the search hit '{hit.Name}'", true, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.ServerError || ex.Kind == CloudreveErrorKind.NotFound || ex.ServerCode == 404)
            {
                // Deleted since the search answered (3.8.3 panics, HTTP 500, for ids that no longer exist).
                return null;
            }

            if (string.IsNullOrEmpty(property.Path) || property.Path![0] != '/')
            {
                // A file in a folder cut off from the root (3.8.3 allows moving a folder into its own descendant).
                return null;
            }

            var folder = property.Path!.Length > 1 ? property.Path.TrimEnd('/') : RemotePath.Root;
            hit.ParentPath = folder;
            hit.Path = RemotePath.Combine(folder, hit.Name);
            return hit;
        }

        /// <summary>Lists <paramref name="start"/> and every folder below it, a few at a time, handing over each listing's items.</summary>
        private async Task WalkForSearchAsync(string start, Action<IReadOnlyList<CloudreveItem>> onCandidates,
            Action<string, CloudreveException> onError, CancellationToken cancellationToken)
        {
            using var gate = new SemaphoreSlim(SearchConcurrency, SearchConcurrency);

            async Task Visit(string folder)
            {
                FolderListing listing;
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    listing = await ListAsync(folder, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudreveException ex) when (folder != start)
                {
                    onError(folder, ex);
                    return;
                }
                finally
                {
                    gate.Release();
                }

                onCandidates(listing.Children);
                await Task.WhenAll(listing.Children.OfType<CloudreveFolder>().Select(f => Visit(f.Path))).ConfigureAwait(false);
            }

            await Visit(start).ConfigureAwait(false);
        }
    }
}

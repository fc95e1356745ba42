using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// Find-CloudreveItem on 4.x: the listing route with search filters in the URI's query,
    /// <c>GET /file?uri=cloudreve://my/folder?name=..&amp;type=..&amp;size_gte=..</c>. The server then searches the
    /// folder and every folder below it, level by level, pages with a cursor and returns each hit with its real URI
    /// (4.18 pkg/filemanager/fs/uri.go SearchParameters, inventory/file_utils.go searchQuery, dbfs navigator search).
    /// </summary>
    internal sealed partial class V4Backend : ICloudreveSearchBackend
    {
        private static readonly Dictionary<CloudreveFileCategory, string> SearchCategories = new Dictionary<CloudreveFileCategory, string>
        {
            [CloudreveFileCategory.Image] = "image",
            [CloudreveFileCategory.Video] = "video",
            [CloudreveFileCategory.Audio] = "audio",
            [CloudreveFileCategory.Document] = "document",
        };

        public async Task<SearchOutcome> SearchAsync(SearchQuery query, Action<IReadOnlyList<CloudreveItem>> onCandidates,
            Action<string, CloudreveException> onError, CancellationToken cancellationToken)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? incomplete = null;
            foreach (var filter in SearchFilters(query))
            {
                var limited = await SearchPagesAsync(query.Folder, filter, page =>
                {
                    var fresh = page.Where(i => seen.Add((i.IsFolder ? "d:" : "f:") + i.Id)).ToArray();
                    if (fresh.Length > 0)
                    {
                        onCandidates(fresh);
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (limited)
                {
                    incomplete = $"The server stopped searching below '{query.Folder}' at its limit on the number of folders searched (max_recursive_searched_folder); items further down were not searched.";
                }
            }

            return new SearchOutcome(incomplete);
        }

        /// <summary>
        /// The search query strings a query needs. A category replaces the whole query on the server (4.18
        /// manager.List), so each category is a search of its own and the rest is filtered here. Otherwise one search
        /// carries every filter the server applies safely: name fragments (contains, case folded; several OR'ed),
        /// type, both size bounds (4.18 applies size_gte and size_lte together, a missing one counting as 0) and
        /// modification bounds in whole seconds, widened to cover the exact bounds.
        /// </summary>
        internal static IReadOnlyList<string> SearchFilters(SearchQuery query)
        {
            if (query.Categories.Length > 0)
            {
                return query.Categories.Distinct().Select(c => "category=" + SearchCategories[c]).ToArray();
            }

            var parts = new List<string>();
            var fragments = query.ServerNameFragments();
            if (fragments != null)
            {
                parts.AddRange(fragments.Select(f => "name=" + Uri.EscapeDataString(f)));
                if (fragments.Count > 1)
                {
                    parts.Add("name_op_or");
                }

                parts.Add("case_folding");
            }

            if (query.FilesOnly)
            {
                parts.Add("type=file");
            }
            else if (query.Files == false)
            {
                parts.Add("type=folder");
            }

            if (query.HasSizeBounds)
            {
                parts.Add("size_gte=" + Text(query.MinimumSize ?? 0));
                parts.Add("size_lte=" + Text(query.MaximumSize ?? long.MaxValue));
            }

            if (query.ModifiedAfter.HasValue)
            {
                parts.Add("updated_gte=" + Text(query.ModifiedAfter.Value.ToUnixTimeSeconds()));
            }

            if (query.ModifiedBefore.HasValue)
            {
                parts.Add("updated_lte=" + Text(query.ModifiedBefore.Value.ToUnixTimeSeconds() + 1));
            }

            if (parts.Count == 0)
            {
                // Without any filter the route is a plain listing of one folder: an empty name fragment
                // (every name contains it) turns the recursive search on.
                parts.Add("name=");
            }

            return new[] { string.Join("&", parts) };
        }

        /// <summary>Follows the search's cursor pages to the end; true when the server hit its folder limit.</summary>
        private async Task<bool> SearchPagesAsync(string folder, string filter, Action<IReadOnlyList<CloudreveItem>> onPage, CancellationToken cancellationToken)
        {
            var uri = CloudreveUris.FromPath(folder) + "?" + filter;
            var operation = $"Searching '{folder}'";
            string? cursor = null;
            var limited = false;
            while (true)
            {
                var route = $"file?uri={CloudreveUris.ForQuery(uri)}&page_size={PageSize}" +
                    (cursor != null ? "&next_page_token=" + Uri.EscapeDataString(cursor) : string.Empty);
                var list = await CallAsync<V4SearchList>(HttpMethod.Get, route, null, operation, true, cancellationToken).ConfigureAwait(false);
                if (cursor == null && list.Parent != null && list.Parent.Type != 1)
                {
                    throw new CloudreveException(CloudreveErrorKind.NotFound, $"{operation} failed: '{folder}' is a file, not a folder.");
                }

                limited |= list.RecursionLimitReached;
                var items = new List<CloudreveItem>();
                foreach (var file in list.Files ?? Array.Empty<V4File>())
                {
                    var path = CloudreveUris.ToPath(file.Path);
                    if (path != null && path != RemotePath.Root)
                    {
                        items.Add(ToItem(file, RemotePath.GetParent(path)));
                    }
                }

                onPage(items);
                var next = list.Pagination?.NextToken;
                if (string.IsNullOrEmpty(next) || next == cursor)
                {
                    return limited;
                }

                cursor = next;
            }
        }

        private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A listing answered for a search URI: the listing shape plus recursion_limit_reached.</summary>
    internal sealed class V4SearchList
    {
        [JsonPropertyName("files")] public V4File[]? Files { get; set; }
        [JsonPropertyName("parent")] public V4File? Parent { get; set; }
        [JsonPropertyName("pagination")] public V4Pagination? Pagination { get; set; }
        [JsonPropertyName("recursion_limit_reached")] public bool RecursionLimitReached { get; set; }
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>
    /// Searching below a folder, for the API generations that can (both do, each its own way). The backend asks the
    /// server for as much of the query as the server can filter and hands over candidates; the caller applies
    /// <see cref="SearchQuery.Matches"/> to each, so the meaning of a query is the same on every generation.
    /// </summary>
    internal interface ICloudreveSearchBackend
    {
        /// <summary>
        /// Searches <see cref="SearchQuery.Folder"/> (an existing folder) and everything below it. Each batch of
        /// candidates goes to <paramref name="onCandidates"/> as it arrives: items with their real paths, below the
        /// folder, in one of the query's categories when it names any (categories are the server's own groupings, so
        /// only the backend can decide them); the other conditions may still be unmet. A part of the tree that could
        /// not be searched goes to <paramref name="onError"/> with the path concerned, and the search goes on.
        /// </summary>
        Task<SearchOutcome> SearchAsync(SearchQuery query, Action<IReadOnlyList<CloudreveItem>> onCandidates,
            Action<string, CloudreveException> onError, CancellationToken cancellationToken);
    }

    /// <summary>How a search ended.</summary>
    internal sealed class SearchOutcome
    {
        public static readonly SearchOutcome Complete = new SearchOutcome(null);

        public SearchOutcome(string? incompleteReason)
        {
            IncompleteReason = incompleteReason;
        }

        /// <summary>Why the server stopped before the end of the tree (a limit on folders searched), or null.</summary>
        public string? IncompleteReason { get; }
    }
}

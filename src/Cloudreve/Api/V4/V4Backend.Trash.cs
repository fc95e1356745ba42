using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>The trash (section 8 of the v4 notes): listing cloudreve://trash/, POST /file/restore, DELETE /file/trash, skip_soft_delete.</summary>
    internal sealed partial class V4Backend : ICloudreveTrashBackend
    {
        internal const string TrashRoot = "cloudreve://trash/";

        public bool CanEmptyTrash => AtLeast(_serverVersion, 4, 18);

        public async Task ListTrashAsync(Action<IReadOnlyList<CloudreveTrashItem>> onPage, CancellationToken cancellationToken)
        {
            const string operation = "Listing the trash";
            var pageSize = PageSize;
            string? cursor = null;
            var pageNumber = 0;
            while (true)
            {
                var route = $"file?uri={CloudreveUris.ForQuery(TrashRoot)}&page_size={pageSize}" +
                    (cursor != null ? "&next_page_token=" + Uri.EscapeDataString(cursor) : pageNumber > 0 ? "&page=" + pageNumber : string.Empty);
                var list = await CallAsync<V4FileList>(HttpMethod.Get, route, null, operation, true, cancellationToken).ConfigureAwait(false);
                var items = (list.Files ?? Array.Empty<V4File>()).Select(ToTrashItem).ToArray();
                onPage(items);

                var pagination = list.Pagination;
                if (pagination == null)
                {
                    break;
                }

                if (pagination.IsCursor || !string.IsNullOrEmpty(pagination.NextToken))
                {
                    if (string.IsNullOrEmpty(pagination.NextToken))
                    {
                        break;
                    }

                    cursor = pagination.NextToken;
                }
                else
                {
                    var size = pagination.PageSize > 0 ? pagination.PageSize : pageSize;
                    if (items.Length == 0 || (long)(pagination.Page + 1) * size >= pagination.TotalItems)
                    {
                        break;
                    }

                    pageNumber = pagination.Page + 1;
                }

                if (list.Props != null && list.Props.MaxPageSize > 0 && list.Props.MaxPageSize < pageSize)
                {
                    pageSize = list.Props.MaxPageSize;
                }
            }
        }

        public async Task<TrashRestoreOutcome> RestoreAsync(IReadOnlyCollection<CloudreveTrashItem> items, CancellationToken cancellationToken)
        {
            var outcome = new TrashRestoreOutcome();
            var known = new List<CloudreveTrashItem>();
            foreach (var item in items)
            {
                if (!IsTrashUri(item.TrashUri))
                {
                    outcome.Failed(item, new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"'{Shown(item)}' is not an item in the trash: restore takes the items Get-CloudreveTrashItem lists."));
                    continue;
                }

                if (item.OriginalPath.Length > 0)
                {
                    known.Add(item);
                    continue;
                }

                try
                {
                    var route = $"file/info?uri={CloudreveUris.ForQuery(item.TrashUri)}";
                    var info = await CallAsync<V4File>(HttpMethod.Get, route, null, $"Reading the trash item '{Shown(item)}'", true, cancellationToken).ConfigureAwait(false);
                    var found = ToTrashItem(info);
                    found.Session = item.Session;
                    known.Add(found);
                }
                catch (CloudreveException ex) when (ex.Kind != CloudreveErrorKind.SessionExpired)
                {
                    outcome.Failed(item, ex.Kind == CloudreveErrorKind.NotFound
                        ? new CloudreveException(CloudreveErrorKind.NotFound, $"'{Shown(item)}' is no longer in the trash.", ex) { ServerCode = ex.ServerCode }
                        : ex);
                }
            }

            for (var i = 0; i < known.Count; i += MaxUrisPerCall)
            {
                var chunk = known.GetRange(i, Math.Min(MaxUrisPerCall, known.Count - i));
                var operation = chunk.Count == 1 ? $"Restoring '{chunk[0].OriginalPath}' from the trash" : $"Restoring {chunk.Count} items from the trash";
                try
                {
                    var body = new V4RestoreRequest { Uris = chunk.Select(t => t.TrashUri).ToArray() };
                    var envelope = await SendAsync(HttpMethod.Post, "file/restore", body, operation, true, cancellationToken).ConfigureAwait(false);
                    SortRestore(envelope, chunk, outcome, operation);
                }
                catch (CloudreveException ex)
                {
                    foreach (var item in chunk)
                    {
                        outcome.Failed(item, ex);
                    }
                }
            }

            return outcome;
        }

        public Task DeletePermanentlyAsync(IReadOnlyCollection<CloudreveItem> items, bool unlink, CancellationToken cancellationToken) =>
            DeleteInBatchesAsync(items, skipSoftDelete: true, unlink, cancellationToken);

        public Task EmptyTrashAsync(CancellationToken cancellationToken)
        {
            if (!CanEmptyTrash)
            {
                throw NotSupported("Emptying the trash", $"Cloudreve {TrashSupport.EmptyTrashVersion} or later");
            }

            return CallAsync(HttpMethod.Delete, "file/trash", null, "Emptying the trash", true, cancellationToken);
        }

        /// <summary>Code 0 = all back; 40081 = the items named in aggregated_error stayed in the trash (40004: the name is taken again), the rest are back.</summary>
        private static void SortRestore(ApiEnvelope envelope, IReadOnlyList<CloudreveTrashItem> chunk, TrashRestoreOutcome outcome, string operation)
        {
            if (envelope.Code == V4Errors.Success)
            {
                foreach (var item in chunk)
                {
                    outcome.Succeeded(item);
                }

                return;
            }

            if (envelope.Code != V4Errors.BatchPartlyFailed || envelope.AggregatedErrors.Count == 0)
            {
                var error = V4Errors.ToException(envelope.Code, envelope.Message, operation);
                foreach (var item in chunk)
                {
                    outcome.Failed(item, error);
                }

                return;
            }

            foreach (var item in chunk)
            {
                var inner = envelope.AggregatedErrors.FirstOrDefault(e => string.Equals(e.Key, item.TrashUri, StringComparison.Ordinal)).Value;
                if (inner == null)
                {
                    outcome.Succeeded(item);
                }
                else if (inner.Code == 40004)
                {
                    outcome.Failed(item, new CloudreveException(CloudreveErrorKind.Conflict,
                        $"'{item.Name}' was not restored: an item named '{item.Name}' already exists in '{item.OriginalParentPath}'. Rename or move that item, then restore again; '{item.Name}' stays in the trash.")
                    {
                        ServerCode = inner.Code,
                        ServerMessage = inner.Message,
                    });
                }
                else
                {
                    outcome.Failed(item, V4Errors.ToException(inner.Code, inner.Message, $"Restoring '{item.OriginalPath}' from the trash"));
                }
            }
        }

        internal static CloudreveTrashItem ToTrashItem(V4File f)
        {
            var restoreUri = Metadata(f, "sys:restore_uri");
            var collect = Metadata(f, "sys:expected_collect_time");
            DateTimeOffset? collectAt = null;
            if (collect != null && long.TryParse(collect, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                collectAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }

            var updated = ParseTime(f.UpdatedAt);
            return new CloudreveTrashItem
            {
                Id = f.Id ?? string.Empty,
                Name = f.Name ?? string.Empty,
                IsFolder = f.Type == 1,
                Size = f.Size,
                OriginalPath = CloudreveUris.ToPath(restoreUri) ?? string.Empty,
                Deleted = updated.Year > 1 ? updated : (DateTimeOffset?)null,
                ExpectedCollection = collectAt,
                Created = ParseTime(f.CreatedAt),
                TrashUri = f.Path ?? string.Empty,
            };
        }

        private static string? Metadata(V4File f, string key)
        {
            if (f.Metadata is JsonElement meta && meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(key, out var value))
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
            }

            return null;
        }

        private static bool IsTrashUri(string? uri) =>
            uri != null && uri.StartsWith(TrashRoot, StringComparison.Ordinal) && uri.Length > TrashRoot.Length;

        private static string Shown(CloudreveTrashItem item) => item.OriginalPath.Length > 0 ? item.OriginalPath : item.Name.Length > 0 ? item.Name : item.TrashUri;

        /// <summary>True when the version text starts with major.minor at least the given one; an unknown version counts as new enough.</summary>
        internal static bool AtLeast(string? version, int major, int minor)
        {
            if (string.IsNullOrEmpty(version))
            {
                return true;
            }

            var match = SemVer.Match(version);
            if (!match.Success || !Version.TryParse(match.Value.Count(c => c == '.') == 1 ? match.Value + ".0" : match.Value, out var parsed))
            {
                return true;
            }

            return parsed.Major > major || (parsed.Major == major && parsed.Minor >= minor);
        }
    }
}

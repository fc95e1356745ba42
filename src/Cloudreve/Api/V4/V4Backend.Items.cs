using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    internal sealed partial class V4Backend
    {
        public Task CreateFolderAsync(string folderPath, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, "file/create", new V4CreateRequest { Uri = CloudreveUris.FromPath(folderPath), Type = "folder" }, $"Creating the folder '{folderPath}'", true, cancellationToken);

        /// <summary>An existing file is a conflict, as on 3.x (4.x would hand back the existing file without err_on_conflict).</summary>
        public Task CreateFileAsync(string filePath, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, "file/create", new V4CreateRequest { Uri = CloudreveUris.FromPath(filePath), Type = "file", ErrOnConflict = true }, $"Creating the file '{filePath}'", true, cancellationToken);

        /// <summary>Moves the items to the trash (4.x deletes softly by default), at most 3000 per request.</summary>
        public Task DeleteAsync(IReadOnlyCollection<CloudreveItem> items, bool force, bool unlink, CancellationToken cancellationToken)
        {
            if (force)
            {
                throw NotSupported("A forced delete (-Force)", "Cloudreve 3.x; on 4.x the server cleans up storage itself, and -Permanent deletes past the trash");
            }

            return DeleteInBatchesAsync(items, skipSoftDelete: false, unlink, cancellationToken);
        }

        /// <summary>DELETE /file at most 3000 URIs per request; skip_soft_delete deletes for good instead of to the trash.</summary>
        private async Task DeleteInBatchesAsync(IReadOnlyCollection<CloudreveItem> items, bool skipSoftDelete, bool unlink, CancellationToken cancellationToken)
        {
            var failures = new List<BatchFailure>();
            foreach (var chunk in Chunk(items.ToList(), MaxUrisPerCall))
            {
                var outcome = new BatchOutcome();
                var body = new V4DeleteRequest { Uris = chunk.Select(UriOf).ToArray(), SkipSoftDelete = skipSoftDelete, Unlink = unlink };
                var operation = $"Deleting {Describe(chunk)}";
                var envelope = await SendAsync(HttpMethod.Delete, "file", body, operation, true, cancellationToken).ConfigureAwait(false);
                Sort(envelope, chunk, outcome, item => $"Deleting '{item.Path}'", operation);
                failures.AddRange(outcome.Failures);
            }

            if (failures.Count == 1)
            {
                throw failures[0].Error;
            }

            if (failures.Count > 1)
            {
                var names = failures.SelectMany(f => f.Items).Select(i => $"'{i.Path}'").ToList();
                var shown = string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : string.Empty);
                var first = failures[0].Error;
                throw new CloudreveException(first.Kind, $"Deleting {Describe(items)}: {names.Count} items were not deleted ({shown}). The first reason: {first.Message}", first)
                {
                    ServerCode = first.ServerCode,
                    ServerMessage = first.ServerMessage,
                };
            }
        }

        public Task<BatchOutcome> MoveAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken) =>
            RelocateAsync(items, destinationFolder, copy: false, cancellationToken);

        public Task<BatchOutcome> CopyAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken) =>
            RelocateAsync(items, destinationFolder, copy: true, cancellationToken);

        /// <summary>POST /file/move with items from any folders, split at the server's 3000-URI limit; a 40081 answer is sorted item by item.</summary>
        private async Task<BatchOutcome> RelocateAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, bool copy, CancellationToken cancellationToken)
        {
            var outcome = new BatchOutcome();
            var verb = copy ? "Copying" : "Moving";
            var destination = CloudreveUris.FromPath(destinationFolder);
            foreach (var chunk in Chunk(items.ToList(), MaxUrisPerCall))
            {
                var operation = $"{verb} {Describe(chunk)} to '{destinationFolder}'";
                try
                {
                    var body = new V4MoveRequest { Uris = chunk.Select(UriOf).ToArray(), Dst = destination, Copy = copy };
                    var envelope = await SendAsync(HttpMethod.Post, "file/move", body, operation, true, cancellationToken).ConfigureAwait(false);
                    if (envelope.Code == V4Errors.Success)
                    {
                        outcome.Succeeded(chunk);
                    }
                    else if (envelope.Code == V4Errors.BatchPartlyFailed)
                    {
                        var partial = new BatchOutcome();
                        Sort(envelope, chunk, partial, item => $"{verb} '{item.Path}' to '{destinationFolder}'", operation);
                        await ConfirmAsync(partial, V4Errors.ToException(envelope.Code, envelope.Message, operation), destinationFolder, copy, outcome, cancellationToken).ConfigureAwait(false);
                    }
                    else if (envelope.Code == 40004)
                    {
                        // The whole call fails and nothing moves when one name is taken in the destination.
                        outcome.Failed(chunk, new CloudreveException(CloudreveErrorKind.Conflict,
                            $"{operation} failed: a name is already taken in '{destinationFolder}', so nothing was {(copy ? "copied" : "moved")}.")
                        {
                            ServerCode = envelope.Code,
                            ServerMessage = envelope.Message,
                        });
                    }
                    else
                    {
                        outcome.Failed(chunk, V4Errors.ToException(envelope.Code, envelope.Message, operation));
                    }
                }
                catch (CloudreveException ex)
                {
                    outcome.Failed(chunk, ex);
                }
            }

            return outcome;
        }

        /// <summary>
        /// After a 40081 the items the server did not name should have made it (4.18 moves the valid ones and
        /// reports the rest). Check that against the destination rather than trust it: an item that is not there
        /// is reported as not moved, with the reason the server gave for the batch.
        /// </summary>
        private async Task ConfirmAsync(BatchOutcome partial, CloudreveException batchError, string destinationFolder, bool copy, BatchOutcome outcome, CancellationToken cancellationToken)
        {
            foreach (var failure in partial.Failures)
            {
                outcome.Failed(failure.Items, failure.Error);
            }

            var claimed = partial.Done;
            if (claimed.Count == 0)
            {
                return;
            }

            var listing = await ListAsync(destinationFolder, cancellationToken).ConfigureAwait(false);
            var reason = partial.Failures.Count > 0 ? partial.Failures[0].Error : batchError;
            var there = claimed.Where(i => listing.Children.Any(c => c.IsFolder == i.IsFolder && c.Name == i.Name)).ToList();
            outcome.Succeeded(there);
            foreach (var item in claimed.Except(there))
            {
                outcome.Failed(new[] { item }, new CloudreveException(reason.Kind,
                    $"'{item.Path}' was not {(copy ? "copied" : "moved")} to '{destinationFolder}': the server turned the request down because of other items ({reason.Message})")
                {
                    ServerCode = reason.ServerCode,
                    ServerMessage = reason.ServerMessage,
                });
            }
        }

        public async Task RenameAsync(CloudreveItem item, string newName, CancellationToken cancellationToken)
        {
            var body = new V4RenameRequest { Uri = UriOf(item), NewName = newName };
            await CallAsync(HttpMethod.Post, "file/rename", body, $"Renaming '{item.Path}' to '{newName}'", true, cancellationToken).ConfigureAwait(false);
        }

        public async Task<CloudreveItemProperty> GetPropertyAsync(CloudreveItem item, CancellationToken cancellationToken)
        {
            var operation = $"Reading the properties of '{item.Path}'";
            if (item.Path == RemotePath.Root)
            {
                // file/info refuses the root (403): count its direct children instead.
                var listing = await ListAsync(RemotePath.Root, cancellationToken).ConfigureAwait(false);
                return new CloudreveItemProperty
                {
                    Path = RemotePath.Root,
                    Name = string.Empty,
                    ParentPath = string.Empty,
                    IsFolder = true,
                    Created = listing.Folder.Created,
                    Modified = listing.Folder.Modified,
                    StoragePolicy = listing.Policy?.Name ?? string.Empty,
                    Size = listing.Children.Sum(c => c.Size),
                    FileCount = listing.Children.Count(c => !c.IsFolder),
                    FolderCount = listing.Children.Count(c => c.IsFolder),
                    Item = item,
                };
            }

            var route = $"file/info?uri={CloudreveUris.ForQuery(UriOf(item))}&extended=true" + (item.IsFolder ? "&folder_summary=true" : string.Empty);
            var info = await CallAsync<V4File>(HttpMethod.Get, route, null, operation, true, cancellationToken).ConfigureAwait(false);
            return new CloudreveItemProperty
            {
                Path = item.Path,
                Name = item.Name,
                ParentPath = item.ParentPath,
                IsFolder = info.Type == 1,
                Created = ParseTime(info.CreatedAt),
                Modified = ParseTime(info.UpdatedAt),
                StoragePolicy = info.ExtendedInfo?.StoragePolicy?.Name ?? string.Empty,
                Size = info.FolderSummary?.Size ?? info.Size,
                FileCount = info.FolderSummary?.Files ?? 0,
                FolderCount = info.FolderSummary?.Folders ?? 0,
                Item = item,
            };
        }

        /// <summary>Sorts a batch answer: code 0 = all done; 40081 = the items named in aggregated_error failed, the rest made it; anything else fails the chunk.</summary>
        private static void Sort(ApiEnvelope envelope, IReadOnlyList<CloudreveItem> chunk, BatchOutcome outcome, Func<CloudreveItem, string> itemOperation, string operation)
        {
            if (envelope.Code == V4Errors.Success)
            {
                outcome.Succeeded(chunk);
                return;
            }

            if (envelope.Code != V4Errors.BatchPartlyFailed || envelope.AggregatedErrors.Count == 0)
            {
                outcome.Failed(chunk, V4Errors.ToException(envelope.Code, envelope.Message, operation));
                return;
            }

            var done = new List<CloudreveItem>();
            foreach (var item in chunk)
            {
                var uri = UriOf(item);
                var inner = envelope.AggregatedErrors.FirstOrDefault(e => CloudreveUris.Same(e.Key, uri)).Value;
                if (inner == null)
                {
                    done.Add(item);
                }
                else
                {
                    outcome.Failed(new[] { item }, V4Errors.ToException(inner.Code, inner.Message, itemOperation(item)));
                }
            }

            outcome.Succeeded(done);
        }

        private CloudreveException NotSupported(string feature, string needs) =>
            new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                $"{feature} is not available on the Cloudreve {_serverVersion ?? "4.x"} server at {SiteUri}; it needs {needs}.");

        /// <summary>The URI the server gave the item when it still names the same path; else one built from the path.</summary>
        internal static string UriOf(CloudreveItem item)
        {
            var uri = item.ServerUri;
            return uri != null && CloudreveUris.ToPath(uri) == item.Path ? uri : CloudreveUris.FromPath(item.Path);
        }

        private static IEnumerable<List<CloudreveItem>> Chunk(List<CloudreveItem> items, int size)
        {
            for (var i = 0; i < items.Count; i += size)
            {
                yield return items.GetRange(i, Math.Min(size, items.Count - i));
            }
        }

        private static string Describe(IReadOnlyCollection<CloudreveItem> items) =>
            items.Count == 1 ? $"'{items.First().Path}'" : $"{items.Count} items";

        private static CloudreveStoragePolicy? ToPolicy(V4StoragePolicy? policy) => policy == null ? null : new CloudreveStoragePolicy
        {
            Id = policy.Id ?? string.Empty,
            Name = policy.Name ?? string.Empty,
            Type = policy.Type ?? string.Empty,
            MaxSize = policy.MaxSize,
            AllowedExtensions = policy.AllowedSuffix ?? Array.Empty<string>(),
        };

        private static CloudreveItem ToItem(V4File f, string folderPath)
        {
            CloudreveItem item = f.Type == 1 ? new CloudreveFolder() : (CloudreveItem)new CloudreveFile();
            item.Id = f.Id ?? string.Empty;
            item.Name = f.Name ?? string.Empty;
            item.ParentPath = folderPath;
            item.Path = RemotePath.Combine(folderPath, item.Name);
            item.ServerUri = f.Path;
            item.Size = f.Size;
            item.Modified = ParseTime(f.UpdatedAt);
            item.Created = ParseTime(f.CreatedAt);
            return item;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V3
{
    internal sealed partial class V3Backend
    {
        private const int CopyConcurrency = 4;

        private static readonly Regex LongFraction = new Regex(@"(\.\d{7})\d+", RegexOptions.Compiled);

        /// <summary>A 3.x listing comes whole in one response: one page.</summary>
        public IListingPager OpenListing(string folderPath) => new SingleResponsePager(ct => ListAsync(folderPath, ct));

        public async Task<FolderListing> ListAsync(string folderPath, CancellationToken cancellationToken)
        {
            var list = await CallAsync<V3ObjectList>(HttpMethod.Get, "directory" + EscapePath(folderPath), null, $"Listing '{folderPath}'", true, cancellationToken).ConfigureAwait(false);
            var folder = new CloudreveFolder
            {
                Id = list.Parent ?? string.Empty,
                Name = RemotePath.GetName(folderPath),
                Path = folderPath,
                ParentPath = RemotePath.GetParent(folderPath),
            };
            var children = (list.Objects ?? Array.Empty<V3Object>()).Select(ToItem).ToArray();
            var policy = list.Policy == null ? null : new CloudreveStoragePolicy
            {
                Id = list.Policy.Id ?? string.Empty,
                Name = list.Policy.Name ?? string.Empty,
                Type = list.Policy.Type ?? string.Empty,
                MaxSize = list.Policy.MaxSize,
                AllowedExtensions = list.Policy.FileType ?? Array.Empty<string>(),
            };
            return new FolderListing(folder, children, policy);
        }

        public Task CreateFolderAsync(string folderPath, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Put, "directory", new V3PathRequest { Path = folderPath }, $"Creating the folder '{folderPath}'", true, cancellationToken);

        public Task CreateFileAsync(string filePath, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, "file/create", new V3PathRequest { Path = filePath }, $"Creating the file '{filePath}'", true, cancellationToken);

        public async Task DeleteAsync(IReadOnlyCollection<CloudreveItem> items, bool force, bool unlink, CancellationToken cancellationToken)
        {
            var body = new V3DeleteRequest
            {
                Items = items.Where(i => !i.IsFolder).Select(i => i.Id).ToArray(),
                Dirs = items.Where(i => i.IsFolder).Select(i => i.Id).ToArray(),
                Force = force,
                Unlink = unlink,
            };
            var envelope = await SendAsync(HttpMethod.Delete, "object", body, $"Deleting {Describe(items)}", true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V3Errors.PartialSuccess)
            {
                throw new CloudreveException(CloudreveErrorKind.ServerError,
                    $"Deleting {Describe(items)}: the server could not delete every file from its storage ({envelope.Message}); those records were kept.")
                {
                    ServerCode = envelope.Code,
                    ServerMessage = envelope.Message,
                };
            }

            ThrowIfError(envelope, $"Deleting {Describe(items)}");
        }

        /// <summary>3.x moves the children of one source folder per request: one PATCH per source folder, in turn.</summary>
        public async Task<BatchOutcome> MoveAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken)
        {
            var outcome = new BatchOutcome();
            foreach (var group in items.GroupBy(i => i.ParentPath))
            {
                var batch = group.ToList();
                try
                {
                    await MoveFromFolderAsync(group.Key, batch, destinationFolder, cancellationToken).ConfigureAwait(false);
                    outcome.Succeeded(batch);
                }
                catch (CloudreveException ex)
                {
                    outcome.Failed(batch, ex);
                }
            }

            return outcome;
        }

        /// <summary>3.x copies one object per request: a few run at once.</summary>
        public async Task<BatchOutcome> CopyAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken)
        {
            var outcome = new BatchOutcome();
            using var gate = new SemaphoreSlim(CopyConcurrency, CopyConcurrency);
            await Task.WhenAll(items.Select(async item =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await CopyOneAsync(item, destinationFolder, cancellationToken).ConfigureAwait(false);
                    outcome.Succeeded(new[] { item });
                }
                catch (CloudreveException ex)
                {
                    outcome.Failed(new[] { item }, ex);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            return outcome;
        }

        private Task MoveFromFolderAsync(string sourceFolder, IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken)
        {
            var body = new V3MoveRequest { SrcDir = sourceFolder, Src = ToSet(items), Dst = destinationFolder };
            return CallAsync(HttpMethods.Patch, "object", body, $"Moving {Describe(items)} to '{destinationFolder}'", true, cancellationToken);
        }

        private async Task CopyOneAsync(CloudreveItem item, string destinationFolder, CancellationToken cancellationToken)
        {
            var body = new V3CopyRequest { SrcDir = item.ParentPath, Src = ToSet(new[] { item }), Dst = destinationFolder };
            var operation = $"Copying '{item.Path}' to '{destinationFolder}'";
            var envelope = await SendAsync(HttpMethod.Post, "object/copy", body, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 40016)
            {
                // 3.8.3 answers a name clash in the destination with "object not exist": tell the two apart.
                var target = await TryListAsync(destinationFolder, cancellationToken).ConfigureAwait(false);
                if (target != null && target.Children.Any(c => c.IsFolder == item.IsFolder && c.Name == item.Name))
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict,
                        $"{operation} failed: '{RemotePath.Combine(destinationFolder, item.Name)}' already exists.")
                    {
                        ServerCode = envelope.Code,
                        ServerMessage = envelope.Message,
                    };
                }
            }

            ThrowIfError(envelope, operation);
        }

        public Task RenameAsync(CloudreveItem item, string newName, CancellationToken cancellationToken)
        {
            var body = new V3RenameRequest { Src = ToSet(new[] { item }), NewName = newName };
            return CallAsync(HttpMethod.Post, "object/rename", body, $"Renaming '{item.Path}' to '{newName}'", true, cancellationToken);
        }

        public async Task<CloudreveItemProperty> GetPropertyAsync(CloudreveItem item, CancellationToken cancellationToken)
        {
            var route = $"object/property/{Uri.EscapeDataString(item.Id)}?trace_root=false&is_folder={(item.IsFolder ? "true" : "false")}";
            V3Property property;
            try
            {
                property = await CallAsync<V3Property>(HttpMethod.Get, route, null, $"Reading the properties of '{item.Path}'", true, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.ServerError || ex.ServerCode == 404)
            {
                // 3.8.3 panics (HTTP 500) for ids that no longer exist.
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"'{item.Path}' no longer exists on the server.", ex);
            }

            return new CloudreveItemProperty
            {
                Path = item.Path,
                Name = item.Name,
                ParentPath = item.ParentPath,
                IsFolder = item.IsFolder,
                Created = ParseTime(property.CreatedAt),
                Modified = ParseTime(property.UpdatedAt),
                StoragePolicy = property.Policy ?? string.Empty,
                Size = property.Size,
                FileCount = property.ChildFileNum,
                FolderCount = property.ChildFolderNum,
                Item = item,
            };
        }

        private async Task<FolderListing?> TryListAsync(string folderPath, CancellationToken cancellationToken)
        {
            try
            {
                return await ListAsync(folderPath, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.NotFound)
            {
                return null;
            }
        }

        private static V3ItemSet ToSet(IEnumerable<CloudreveItem> items)
        {
            var list = items.ToList();
            return new V3ItemSet
            {
                Items = list.Where(i => !i.IsFolder).Select(i => i.Id).ToArray(),
                Dirs = list.Where(i => i.IsFolder).Select(i => i.Id).ToArray(),
            };
        }

        private static string Describe(IReadOnlyCollection<CloudreveItem> items) =>
            items.Count == 1 ? $"'{items.First().Path}'" : $"{items.Count} items";

        /// <summary>"/" -> "/", "/a b/c#d" -> "/a%20b/c%23d": each segment escaped on its own.</summary>
        internal static string EscapePath(string normalizedPath)
        {
            if (normalizedPath == RemotePath.Root)
            {
                return "/";
            }

            return "/" + string.Join("/", RemotePath.Split(normalizedPath).Select(Uri.EscapeDataString));
        }

        internal static DateTimeOffset ParseTime(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return default;
            }

            var trimmed = LongFraction.Replace(text!, "$1");
            return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value : default;
        }

        private static CloudreveItem ToItem(V3Object o)
        {
            CloudreveItem item = string.Equals(o.Type, "dir", StringComparison.Ordinal) ? new CloudreveFolder() : (CloudreveItem)new CloudreveFile();
            var parent = string.IsNullOrEmpty(o.Path) ? RemotePath.Root : o.Path!;
            item.Id = o.Id ?? string.Empty;
            item.Name = o.Name ?? string.Empty;
            item.ParentPath = parent;
            item.Path = RemotePath.Combine(parent, item.Name);
            item.Size = o.Size;
            item.Modified = ParseTime(o.Date);
            item.Created = ParseTime(o.CreateDate);
            item.HasThumbnail = o.Thumb;
            item.SourceEnabled = o.SourceEnabled;
            return item;
        }
    }

    internal static class HttpMethods
    {
        /// <summary>netstandard2.0 has no HttpMethod.Patch.</summary>
        public static readonly HttpMethod Patch = new HttpMethod("PATCH");
    }
}

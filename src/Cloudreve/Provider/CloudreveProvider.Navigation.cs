// Finding items on a Cloudreve drive: Test-Path and container checks, Get-Item, and the (cached) folder
// listings every other part of the provider looks items up in.

using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        protected override bool ItemExists(string path)
        {
            var target = TryResolve(path);
            if (target == null)
            {
                return false;
            }

            if (target.Remote == RemotePath.Root)
            {
                // A drive's root always exists; listing it whole here would defeat the streamed listing that follows.
                return true;
            }

            try
            {
                // -Force: a miss is checked against a fresh listing.
                return Find(target) != null || (Force && Find(target, fresh: true) != null);
            }
            catch (CloudreveException ex)
            {
                ThrowTerminatingError(Record(ex, path));
                return false;
            }
        }

        protected override bool IsItemContainer(string path)
        {
            var target = TryResolve(path);
            if (target == null)
            {
                return false;
            }

            if (target.Remote == RemotePath.Root)
            {
                return true;
            }

            try
            {
                return Find(target) is CloudreveFolder;
            }
            catch (CloudreveException ex)
            {
                ThrowTerminatingError(Record(ex, path));
                return false;
            }
        }

        protected override bool HasChildItems(string path)
        {
            try
            {
                var target = Resolve(path);
                if (!(Find(target) is CloudreveFolder folder))
                {
                    return false;
                }

                return List(target.Drive, folder.Path, fresh: false).Children.Length > 0;
            }
            catch (CloudreveException ex)
            {
                ThrowTerminatingError(Record(ex, path));
                return false;
            }
        }

        protected override void GetItem(string path)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target, Force) ?? throw Missing(target);
                WriteItem(target.Drive, item);
            });
        }

        /// <summary>The item at a remote path (a folder wins over a file of the same name), or null.</summary>
        private CloudreveItem? Find(Target target, bool fresh = false) => FindItem(target.Drive, target.Remote, fresh);

        private CloudreveItem? FindItem(CloudreveDriveInfo drive, string remote, bool fresh = false)
        {
            if (remote == RemotePath.Root)
            {
                return List(drive, RemotePath.Root, fresh).Folder;
            }

            FolderListing listing;
            try
            {
                listing = List(drive, RemotePath.GetParent(remote), fresh);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.NotFound)
            {
                return null;
            }

            var name = RemotePath.GetName(remote);
            return listing.Children.Where(c => string.Equals(c.Name, name, StringComparison.Ordinal)).OrderBy(c => c.IsFolder ? 0 : 1).FirstOrDefault();
        }

        private FolderListing List(CloudreveDriveInfo drive, string folder, bool fresh) =>
            Run(ct => ListAsync(drive, folder, fresh, ct));

        private static Task<FolderListing> ListAsync(CloudreveDriveInfo drive, string folder, bool fresh, CancellationToken cancellationToken)
        {
            if (!fresh)
            {
                var cached = drive.Cache.TryGet(folder, drive.CacheLifetime);
                if (cached != null)
                {
                    return Task.FromResult(cached);
                }
            }

            return SharedListings.ListAndStoreAsync(drive.Session, folder, cancellationToken);
        }
    }
}

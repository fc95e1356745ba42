// Copy-Item on a Cloudreve drive, including a copy under a new name (through a scratch folder).

using System;
using System.Linq;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        protected override void CopyItem(string path, string copyPath, bool recurse)
        {
            Guard(path, () =>
            {
                var source = Resolve(path);
                var item = Find(source) ?? throw Missing(source);
                var target = ResolveDestination(source, copyPath);
                if (item.Path == RemotePath.Root)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "The root folder cannot be copied.");
                }

                var (folder, name) = Placement(target, item);
                var final = RemotePath.Combine(folder.Path, name);
                if (item.IsFolder && RemotePath.IsSameOrBelow(final, item.Path))
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"Cannot copy the folder '{item.Path}' into itself ('{final}').");
                }

                if (final == item.Path)
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict, $"Cannot copy '{item.Path}' onto itself.");
                }

                var existing = List(target.Drive, folder.Path, fresh: true).Children.Where(c => c.Name == name).ToArray();
                if (existing.Length > 0 && !(Force && !item.IsFolder && existing.All(e => !e.IsFolder)))
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict, $"Cannot copy '{item.Path}': '{final}' already exists.");
                }

                if (!ShouldProcess(Display(source), $"Copy to '{DrivePath(target.Drive, final)}'"))
                {
                    return;
                }

                var session = source.Drive.Session;
                try
                {
                    if (existing.Length > 0)
                    {
                        Run(ct => session.Backend.DeleteAsync(existing, false, false, ct));
                        ItemChanges.Changed(session, final);
                    }

                    if (item.IsFolder && !recurse)
                    {
                        // Like the file system: without -Recurse a folder is copied without its contents.
                        Run(ct => session.Backend.CreateFolderAsync(final, ct));
                    }
                    else if (name == item.Name)
                    {
                        Run(ct => session.Backend.CopyOneAsync(item, folder.Path, ct));
                    }
                    else
                    {
                        CopyUnderNewName(source.Drive, item, folder.Path, name);
                    }
                }
                finally
                {
                    ItemChanges.Changed(session, final);
                }

                var copied = Find(new Target(target.Drive, final), fresh: true);
                if (copied != null)
                {
                    WriteItem(target.Drive, copied);
                }
            });
        }

        /// <summary>Cloudreve copies keep their name: copy into a scratch folder, rename there, move into place.</summary>
        private void CopyUnderNewName(CloudreveDriveInfo drive, CloudreveItem item, string folder, string name)
        {
            var session = drive.Session;
            var scratch = RemotePath.Combine(folder, ".cloudreve-copy-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Run(ct => session.Backend.CreateFolderAsync(scratch, ct));
            try
            {
                Run(ct => session.Backend.CopyOneAsync(item, scratch, ct));
                var copy = List(drive, scratch, fresh: true).Children.First(c => c.Name == item.Name && c.IsFolder == item.IsFolder);
                if (name != copy.Name)
                {
                    Run(ct => session.Backend.RenameAsync(copy, name, ct));
                    copy = List(drive, scratch, fresh: true).Children.First(c => c.Name == name);
                }

                Run(ct => session.Backend.MoveOneAsync(copy, folder, ct));
            }
            finally
            {
                var scratchFolder = List(drive, folder, fresh: true).Children.OfType<CloudreveFolder>().FirstOrDefault(c => c.Path == scratch);
                if (scratchFolder != null)
                {
                    Run(ct => session.Backend.DeleteAsync(new CloudreveItem[] { scratchFolder }, false, false, ct));
                }

                ItemChanges.Changed(session, scratch);
            }
        }
    }
}

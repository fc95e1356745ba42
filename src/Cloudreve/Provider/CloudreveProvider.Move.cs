// Move-Item on a Cloudreve drive, and where a moved or copied item goes (the destination and its placement).

using System.Linq;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        protected override void MoveItem(string path, string destination)
        {
            Guard(path, () =>
            {
                var source = Resolve(path);
                var item = Find(source) ?? throw Missing(source);
                var target = ResolveDestination(source, destination);
                if (item.Path == RemotePath.Root || item.Path == source.Drive.RemoteRoot)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is the root of the drive {source.Drive.Name}: and cannot be moved through it.");
                }

                var (folder, name) = Placement(target, item);
                var final = RemotePath.Combine(folder.Path, name);
                if (item.IsFolder && RemotePath.IsSameOrBelow(final, item.Path))
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"Cannot move the folder '{item.Path}' into itself ('{final}').");
                }

                if (final == item.Path)
                {
                    WriteItem(target.Drive, item);
                    return;
                }

                if (!ShouldProcess(Display(source), $"Move to '{DrivePath(target.Drive, final)}'"))
                {
                    return;
                }

                var session = source.Drive.Session;
                var inFolder = List(target.Drive, folder.Path, fresh: true).Children;
                if (inFolder.Any(c => c.Name == name))
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict, $"Cannot move '{item.Path}': '{final}' already exists.");
                }

                try
                {
                    if (folder.Path == item.ParentPath)
                    {
                        Run(ct => session.Backend.RenameAsync(item, name, ct));
                    }
                    else if (name == item.Name)
                    {
                        Run(ct => session.Backend.MoveOneAsync(item, folder.Path, ct));
                    }
                    else if (!List(source.Drive, item.ParentPath, fresh: true).Children.Any(c => c.Name == name))
                    {
                        // Rename where it is, then move the renamed item.
                        Run(ct => session.Backend.RenameAsync(item, name, ct));
                        ItemChanges.Changed(session, item.Path);
                        var renamed = Find(new Target(source.Drive, RemotePath.Combine(item.ParentPath, name)), fresh: true) ?? throw Missing(source);
                        Run(ct => session.Backend.MoveOneAsync(renamed, folder.Path, ct));
                    }
                    else if (!inFolder.Any(c => c.Name == item.Name))
                    {
                        // Move under the old name, then rename in the destination.
                        Run(ct => session.Backend.MoveOneAsync(item, folder.Path, ct));
                        ItemChanges.Changed(session, item.Path, folder.Path);
                        var moved = Find(new Target(target.Drive, RemotePath.Combine(folder.Path, item.Name)), fresh: true) ?? throw Missing(target);
                        Run(ct => session.Backend.RenameAsync(moved, name, ct));
                    }
                    else
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict,
                            $"Cannot move '{item.Path}' to '{final}' in one step: both '{RemotePath.Combine(item.ParentPath, name)}' and '{RemotePath.Combine(folder.Path, item.Name)}' exist.");
                    }
                }
                finally
                {
                    ItemChanges.Changed(session, item.Path, final);
                }

                var result = Find(new Target(target.Drive, final), fresh: true);
                if (result != null)
                {
                    WriteItem(target.Drive, result);
                }
            });
        }

        private Target ResolveDestination(Target source, string destination)
        {
            var target = Resolve(destination);
            if (target.Drive.Session != source.Drive.Session)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                    $"'{destination}' is on another Cloudreve session ({target.Drive.Session}); copy and move work within one session. Use Receive-CloudreveFile and Send-CloudreveFile between servers.");
            }

            return target;
        }

        /// <summary>Where an item goes: into an existing folder under its own name, or into the parent under the destination's name.</summary>
        private (CloudreveFolder Folder, string Name) Placement(Target destination, CloudreveItem item)
        {
            if (Find(destination, fresh: true) is CloudreveFolder into)
            {
                return (into, item.Name);
            }

            var parent = Find(new Target(destination.Drive, RemotePath.GetParent(destination.Remote)), fresh: true) as CloudreveFolder ??
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"The destination folder '{RemotePath.GetParent(destination.Remote)}' does not exist.");
            var name = RemotePath.GetName(destination.Remote);
            RemotePath.ValidateName(name);
            return (parent, name);
        }
    }
}

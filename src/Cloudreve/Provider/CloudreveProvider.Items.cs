// Item changes on a Cloudreve drive: New-Item (files and folders), Remove-Item and Rename-Item.

using System;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        protected override object NewItemDynamicParameters(string path, string itemTypeName, object newItemValue) => null!;

        protected override void NewItem(string path, string itemTypeName, object newItemValue)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                if (target.Remote == RemotePath.Root)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "The root folder already exists.");
                }

                var kind = (itemTypeName ?? string.Empty).Trim();
                bool folder;
                if (kind.Length == 0 || kind.Equals("File", StringComparison.OrdinalIgnoreCase))
                {
                    folder = false;
                }
                else if (kind.Equals("Directory", StringComparison.OrdinalIgnoreCase) || kind.Equals("Folder", StringComparison.OrdinalIgnoreCase) || kind.Equals("Container", StringComparison.OrdinalIgnoreCase))
                {
                    folder = true;
                }
                else
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"The item type '{itemTypeName}' is not supported here. Use -ItemType File or -ItemType Directory.");
                }

                var name = RemotePath.GetName(target.Remote);
                RemotePath.ValidateName(name);
                var parent = Find(new Target(target.Drive, RemotePath.GetParent(target.Remote)));
                if (!(parent is CloudreveFolder))
                {
                    throw new CloudreveException(CloudreveErrorKind.NotFound, $"Cannot create '{target.Remote}': the folder '{RemotePath.GetParent(target.Remote)}' does not exist.");
                }

                var existing = List(target.Drive, parent.Path, fresh: true).Children.Where(c => c.Name == name).ToArray();
                var session = target.Drive.Session;
                if (folder)
                {
                    var existingFolder = existing.OfType<CloudreveFolder>().FirstOrDefault();
                    if (existingFolder != null && Force)
                    {
                        WriteItem(target.Drive, existingFolder);
                        return;
                    }

                    if (existing.Length > 0)
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict, $"An item named '{target.Remote}' already exists.");
                    }

                    if (!ShouldProcess(Display(target), "New folder"))
                    {
                        return;
                    }

                    Run(ct => session.Backend.CreateFolderAsync(target.Remote, ct));
                }
                else
                {
                    var existingFile = existing.OfType<CloudreveFile>().FirstOrDefault();
                    if (existing.Length > 0 && !(existingFile != null && Force))
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict, $"An item named '{target.Remote}' already exists. Use -Force to replace the content of a file.");
                    }

                    if (!ShouldProcess(Display(target), existingFile != null ? "Replace file content" : "New file"))
                    {
                        return;
                    }

                    var value = newItemValue == null ? null : (newItemValue is PSObject ps ? ps.BaseObject : newItemValue);
                    if (value == null && existingFile == null)
                    {
                        Run(ct => session.Backend.CreateFileAsync(target.Remote, ct));
                        ItemChanges.Changed(session, target.Remote);
                    }
                    else
                    {
                        // The content goes the way Set-Content's does (in place for small local files, else the transfer engine).
                        var bytes = value is byte[] raw ? raw : new System.Text.UTF8Encoding(false).GetBytes(value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value));
                        StoreBytes(target, bytes);
                    }
                }

                ItemChanges.Changed(session, target.Remote);
                var created = Find(target, fresh: true);
                if (created != null)
                {
                    WriteItem(target.Drive, created);
                }
            });
        }

        protected override void RemoveItem(string path, bool recurse)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                if (item.Path == RemotePath.Root || item.Path == target.Drive.RemoteRoot)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is the root of the drive {target.Drive.Name}: and cannot be removed through it.");
                }

                if (item is CloudreveFolder && !recurse && List(target.Drive, item.Path, fresh: true).Children.Length > 0)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"The folder '{item.Path}' is not empty. Use -Recurse to remove it with everything in it.");
                }

                if (!ShouldProcess(Display(target), item.IsFolder ? "Remove folder" : "Remove file"))
                {
                    return;
                }

                var session = target.Drive.Session;
                try
                {
                    Run(ct => session.Backend.DeleteAsync(new[] { item }, false, false, ct));
                }
                finally
                {
                    ItemChanges.Changed(session, item.Path);
                }
            });
        }

        protected override void RenameItem(string path, string newName)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                var name = ProviderPaths.Split(newName ?? string.Empty).LastOrDefault() ?? string.Empty;
                RemotePath.ValidateName(name);
                if (item.Path == RemotePath.Root || item.Path == target.Drive.RemoteRoot)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is the root of the drive {target.Drive.Name}: and cannot be renamed through it.");
                }

                var destination = RemotePath.Combine(item.ParentPath, name);
                if (!ShouldProcess(Display(target), $"Rename to '{name}'"))
                {
                    return;
                }

                var session = target.Drive.Session;
                try
                {
                    Run(ct => session.Backend.RenameAsync(item, name, ct));
                }
                catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.Conflict)
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict, $"Cannot rename '{item.Path}': '{destination}' already exists.", ex);
                }
                finally
                {
                    ItemChanges.Changed(session, item.Path, destination);
                }

                var renamed = Find(new Target(target.Drive, destination), fresh: true);
                if (renamed != null)
                {
                    WriteItem(target.Drive, renamed);
                }
            });
        }
    }
}

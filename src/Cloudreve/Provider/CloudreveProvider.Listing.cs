// Get-ChildItem on a Cloudreve drive: child items and child names, with -Filter, -File and -Directory.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        protected override object GetChildItemsDynamicParameters(string path, bool recurse) => new ChildItemParameters();

        protected override object GetChildNamesDynamicParameters(string path) => new ChildItemParameters();

        protected override void GetChildItems(string path, bool recurse) => GetChildItems(path, recurse, recurse ? uint.MaxValue : 0);

        protected override void GetChildItems(string path, bool recurse, uint depth)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var filter = CreateFilter();
                var kinds = DynamicParameters as ChildItemParameters;

                // The root is always a folder: its listing streams like any other instead of being read whole
                // first to find the folder itself.
                var folderPath = target.Remote;
                if (folderPath != RemotePath.Root)
                {
                    var item = Find(target) ?? throw Missing(target);
                    if (!(item is CloudreveFolder))
                    {
                        if (Wanted(item, filter, kinds))
                        {
                            WriteItem(target.Drive, item);
                        }

                        return;
                    }

                    folderPath = item.Path;
                }

                var maxDepth = recurse ? depth : 0;
                Walk(target.Drive, folderPath, maxDepth, Force, items =>
                {
                    foreach (var child in Ordered(items))
                    {
                        if (Wanted(child, filter, kinds))
                        {
                            WriteItem(target.Drive, child);
                        }
                    }
                });
            });
        }

        protected override void GetChildNames(string path, ReturnContainers returnContainers)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                if (!(item is CloudreveFolder))
                {
                    return;
                }

                var filter = CreateFilter();
                var kinds = DynamicParameters as ChildItemParameters;
                foreach (var child in Ordered(List(target.Drive, item.Path, Force).Children))
                {
                    if (Stopping)
                    {
                        return;
                    }

                    var matches = Wanted(child, filter, kinds);
                    if (matches || (returnContainers == ReturnContainers.ReturnAllContainers && child.IsFolder))
                    {
                        WriteItemObject(child.Name, ProviderPaths.Build(target.Drive.Name, child.Path), child.IsFolder);
                    }
                }
            });
        }

        private static IEnumerable<CloudreveItem> Ordered(IEnumerable<CloudreveItem> items) =>
            items.OrderBy(c => c.IsFolder ? 0 : 1).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase);

        private WildcardPattern? CreateFilter() =>
            string.IsNullOrEmpty(Filter) ? null : new WildcardPattern(Filter, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

        private static bool Wanted(CloudreveItem item, WildcardPattern? filter, ChildItemParameters? kinds)
        {
            if (kinds != null)
            {
                if (kinds.File && !kinds.Directory && item.IsFolder)
                {
                    return false;
                }

                if (kinds.Directory && !kinds.File && !item.IsFolder)
                {
                    return false;
                }
            }

            return filter == null || filter.IsMatch(item.Name);
        }
    }
}

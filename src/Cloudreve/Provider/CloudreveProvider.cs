using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Commands;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    /// <summary>
    /// The Cloudreve provider: a server's files and folders as a PowerShell drive (Cloudreve:\ by default).
    /// The engine creates a new instance for nearly every call, so nothing is kept here: the session and
    /// the listing cache live on <see cref="CloudreveDriveInfo"/>.
    /// </summary>
    [CmdletProvider(ProviderName, ProviderCapabilities.ShouldProcess | ProviderCapabilities.Filter)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder), ProviderCmdlet = ProviderCmdlet.GetChildItem)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder), ProviderCmdlet = ProviderCmdlet.GetItem)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder), ProviderCmdlet = ProviderCmdlet.NewItem)]
    public sealed partial class CloudreveProvider : NavigationCmdletProvider, IContentCmdletProvider, IPropertyCmdletProvider
    {
        public const string ProviderName = "Cloudreve";

        private const int ListingConcurrency = 4;

        private static readonly Func<object, object> CloneObject = CreateCloner();

        // ---- drives -------------------------------------------------------------------------

        protected override Collection<PSDriveInfo> InitializeDefaultDrives() => new Collection<PSDriveInfo>();

        protected override object NewDriveDynamicParameters() => new NewDriveParameters();

        protected override PSDriveInfo NewDrive(PSDriveInfo drive)
        {
            if (drive == null)
            {
                throw new ArgumentNullException(nameof(drive));
            }

            var parameters = DynamicParameters as NewDriveParameters;
            var lifetime = parameters?.CacheSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            if (drive is CloudreveDriveInfo mounted)
            {
                // Mounted by Connect-Cloudreve: rebuild it, because the engine may have rewritten the root.
                return new CloudreveDriveInfo(mounted.Name, mounted.Provider, mounted.Session, mounted.RemoteRoot, mounted.Description, lifetime ?? mounted.CacheLifetime);
            }

            var (fromRoot, remoteRoot) = ParseRoot(drive.Root);
            var session = parameters?.Session ?? fromRoot?.Session ?? SessionRegistry.Current.Default;
            if (session == null)
            {
                ThrowTerminatingError(Record(new CloudreveException(CloudreveErrorKind.NotLoggedIn,
                    "There is no Cloudreve session for the drive. Run Connect-Cloudreve first, or pass -Session to New-PSDrive."), drive.Name));
            }

            if (!session!.IsConnected)
            {
                ThrowTerminatingError(Record(new CloudreveException(CloudreveErrorKind.NotLoggedIn,
                    $"The session {session} was disconnected. Run Connect-Cloudreve again."), drive.Name));
            }

            var result = new CloudreveDriveInfo(drive.Name, drive.Provider, session, remoteRoot, drive.Description, lifetime);
            if (remoteRoot != RemotePath.Root)
            {
                CloudreveItem? root = null;
                try
                {
                    root = FindItem(result, remoteRoot);
                }
                catch (CloudreveException ex)
                {
                    ThrowTerminatingError(Record(ex, drive.Root));
                }

                if (!(root is CloudreveFolder))
                {
                    ThrowTerminatingError(Record(new CloudreveException(CloudreveErrorKind.NotFound,
                        $"Cannot mount '{drive.Name}': the folder '{remoteRoot}' does not exist on {session.Uri}."), drive.Root));
                }
            }

            return result;
        }

        protected override PSDriveInfo RemoveDrive(PSDriveInfo drive) => drive;

        /// <summary>A root is a remote folder ("/", "/reports", "reports") or a Cloudreve provider path ("Cloudreve/reports").</summary>
        private (CloudreveDriveInfo? Drive, string Remote) ParseRoot(string root)
        {
            var text = (root ?? string.Empty).Trim();
            if (text.Length > 0 && text[0] != '/' && text[0] != '\\')
            {
                var segments = ProviderPaths.Split(text);
                var drive = segments.Length > 0 ? FindDrive(segments[0]) : null;
                if (drive != null)
                {
                    return (drive, "/" + string.Join("/", segments.Skip(1)));
                }
            }

            return (null, RemotePath.Normalize(text.Length == 0 ? "/" : "/" + text.TrimStart('/', '\\')));
        }

        private CloudreveDriveInfo? FindDrive(string name)
        {
            if (PSDriveInfo is CloudreveDriveInfo current && string.Equals(current.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return current;
            }

            try
            {
                return SessionState.Drive.Get(name) as CloudreveDriveInfo;
            }
            catch (DriveNotFoundException)
            {
                return null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        // ---- paths --------------------------------------------------------------------------

        /// <summary>The drive and remote path a provider path names; null when it names no Cloudreve drive.</summary>
        private Target? TryResolve(string path)
        {
            var segments = ProviderPaths.Split(path);
            CloudreveDriveInfo? drive;
            IEnumerable<string> rest;
            if (segments.Length == 0)
            {
                drive = PSDriveInfo as CloudreveDriveInfo;
                if (drive == null)
                {
                    return null;
                }

                return new Target(drive, drive.RemoteRoot);
            }

            drive = FindDrive(segments[0]);
            rest = segments.Skip(1);
            if (drive == null)
            {
                return null;
            }

            return new Target(drive, RemotePath.Normalize("/" + string.Join("/", rest)));
        }

        private Target Resolve(string path)
        {
            var target = TryResolve(path) ?? throw new CloudreveException(CloudreveErrorKind.NotFound,
                $"'{path}' does not name a mounted Cloudreve drive. Mount one with Connect-Cloudreve or New-PSDrive -PSProvider Cloudreve.");
            if (!target.Drive.Session.IsConnected)
            {
                throw new CloudreveException(CloudreveErrorKind.NotLoggedIn,
                    $"The session {target.Drive.Session} of the drive '{target.Drive.Name}' was disconnected. Run Connect-Cloudreve again.");
            }

            return target;
        }

        protected override bool IsValidPath(string path) => true;

        protected override string MakePath(string parent, string child)
        {
            var result = MakePathCore(parent, child);
            if (string.IsNullOrEmpty(child) && !string.IsNullOrEmpty(parent) && !EndsWithSeparator(parent) && IsDriveRoot(parent))
            {
                // A drive root ends with a separator here (like "C:\"): the engine's relative-path logic
                // otherwise turns "cd .." into the root into "..\<root>" and fails.
                result = parent + ProviderPaths.Separator;
            }

            return result;
        }

        private bool IsDriveRoot(string path)
        {
            var segments = ProviderPaths.Split(path);
            if (segments.Length == 1)
            {
                return true;
            }

            var root = PSDriveInfo?.Root;
            return !string.IsNullOrEmpty(root) && segments.Length == ProviderPaths.Split(root!).Length && SameSegments(segments, ProviderPaths.Split(root!));
        }

        private static string MakePathCore(string parent, string child)
        {
            if (string.IsNullOrEmpty(parent))
            {
                return child ?? string.Empty;
            }

            if (string.IsNullOrEmpty(child))
            {
                return parent;
            }

            var joined = ProviderPaths.Join(parent, child);
            if (StartsWithSeparator(parent))
            {
                joined = ProviderPaths.Separator + joined;
            }

            return EndsWithSeparator(child) ? joined + ProviderPaths.Separator : joined;
        }

        protected override string GetParentPath(string path, string root)
        {
            return GetParentPathCore(path, root);
        }

        private static string GetParentPathCore(string path, string root)
        {
            var segments = ProviderPaths.Split(path);
            var lead = StartsWithSeparator(path) ? ProviderPaths.Separator.ToString() : string.Empty;
            if (segments.Length == 0)
            {
                return string.Empty;
            }

            if (!string.IsNullOrEmpty(root))
            {
                var rootSegments = ProviderPaths.Split(root);
                if (segments.Length == rootSegments.Length && SameSegments(segments, rootSegments))
                {
                    return string.Empty;
                }
            }

            if (segments.Length == 1)
            {
                return lead.Length > 0 ? lead : string.Empty;
            }

            return lead + string.Join(ProviderPaths.Separator.ToString(), segments.Take(segments.Length - 1));
        }

        protected override string GetChildName(string path)
        {
            var segments = ProviderPaths.Split(path);
            return segments.Length == 0 ? string.Empty : segments[segments.Length - 1];
        }

        /// <summary>Lexical: resolves "." and "..", then makes the path relative to <paramref name="basePath"/>.</summary>
        protected override string NormalizeRelativePath(string path, string basePath)
        {
            var segments = Collapse(ProviderPaths.Split(path));
            var baseSegments = Collapse(ProviderPaths.Split(basePath ?? string.Empty));
            var common = 0;
            while (common < segments.Count && common < baseSegments.Count &&
                   string.Equals(segments[common], baseSegments[common], common == 0 ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                common++;
            }

            var parts = Enumerable.Repeat("..", baseSegments.Count - common).Concat(segments.Skip(common));
            var result = string.Join(ProviderPaths.Separator.ToString(), parts);
            if (EndsWithSeparator(path) && result.Length > 0)
            {
                result += ProviderPaths.Separator;
            }

            return result;
        }

        private static List<string> Collapse(IEnumerable<string> segments)
        {
            var result = new List<string>();
            foreach (var segment in segments)
            {
                if (segment == ".")
                {
                    continue;
                }

                if (segment == "..")
                {
                    if (result.Count > 1)
                    {
                        result.RemoveAt(result.Count - 1);
                    }

                    continue;
                }

                result.Add(segment);
            }

            return result;
        }

        private static bool StartsWithSeparator(string? path) => !string.IsNullOrEmpty(path) && (path![0] == '/' || path[0] == '\\');

        private static bool EndsWithSeparator(string? path) => !string.IsNullOrEmpty(path) && (path![path.Length - 1] == '/' || path[path.Length - 1] == '\\');

        private static bool SameSegments(string[] a, string[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                var comparison = i == 0 ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                if (!string.Equals(a[i], b[i], comparison))
                {
                    return false;
                }
            }

            return true;
        }

        // ---- existence and type ---------------------------------------------------------------

        protected override bool ItemExists(string path)
        {
            var target = TryResolve(path);
            if (target == null)
            {
                return false;
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

        // ---- reading --------------------------------------------------------------------------

        protected override void GetItem(string path)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target, Force) ?? throw Missing(target);
                WriteItem(target.Drive, item);
            });
        }

        protected override object GetChildItemsDynamicParameters(string path, bool recurse) => new ChildItemParameters();

        protected override object GetChildNamesDynamicParameters(string path) => new ChildItemParameters();

        protected override void GetChildItems(string path, bool recurse) => GetChildItems(path, recurse, recurse ? uint.MaxValue : 0);

        protected override void GetChildItems(string path, bool recurse, uint depth)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                var filter = CreateFilter();
                var kinds = DynamicParameters as ChildItemParameters;
                if (!(item is CloudreveFolder))
                {
                    if (Wanted(item, filter, kinds))
                    {
                        WriteItem(target.Drive, item);
                    }

                    return;
                }

                var maxDepth = recurse ? depth : 0;
                Walk(target.Drive, item.Path, maxDepth, Force, listing =>
                {
                    foreach (var child in Ordered(listing.Children))
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

        /// <summary>
        /// Lists <paramref name="start"/> and sub-folders to <paramref name="maxDepth"/> levels below it, a few
        /// requests at a time, handing each listing to <paramref name="onListing"/> on this thread as it arrives.
        /// </summary>
        private void Walk(CloudreveDriveInfo drive, string start, uint maxDepth, bool fresh, Action<FolderListing> onListing)
        {
            var queue = new BlockingCollection<object>();
            using var stop = new CancellationTokenSource();
            var session = drive.Session;
            var lines = new ConcurrentQueue<string>();
            Task producer;
            using (TransportLog.Capture(lines.Enqueue))
            {
                producer = Task.Run(async () =>
                {
                    using var gate = new SemaphoreSlim(ListingConcurrency, ListingConcurrency);

                    async Task Visit(string folder, uint level)
                    {
                        FolderListing listing;
                        await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                        try
                        {
                            listing = await ListAsync(drive, folder, fresh, stop.Token).ConfigureAwait(false);
                        }
                        catch (CloudreveException ex)
                        {
                            queue.Add(new WalkError(folder, ex));
                            return;
                        }
                        finally
                        {
                            gate.Release();
                        }

                        queue.Add(listing);
                        if (level >= maxDepth)
                        {
                            return;
                        }

                        await Task.WhenAll(listing.Children.OfType<CloudreveFolder>().Select(f => Visit(f.Path, level + 1))).ConfigureAwait(false);
                    }

                    await Visit(start, 0).ConfigureAwait(false);
                }).ContinueWith(t =>
                {
                    queue.CompleteAdding();
                    return t;
                }, TaskScheduler.Default).Unwrap();
            }

            try
            {
                while (!queue.IsCompleted)
                {
                    if (Stopping)
                    {
                        stop.Cancel();
                        break;
                    }

                    if (queue.TryTake(out var next, 100))
                    {
                        if (next is FolderListing listing)
                        {
                            onListing(listing);
                        }
                        else if (next is WalkError error)
                        {
                            WriteError(Record(error.Error, ProviderPaths.Build(drive.Name, error.Folder)));
                        }
                    }

                    DrainVerbose(lines);
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }

            DrainVerbose(lines);
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private sealed class WalkError
        {
            public WalkError(string folder, CloudreveException error)
            {
                Folder = folder;
                Error = error;
            }

            public string Folder { get; }

            public CloudreveException Error { get; }
        }

        // ---- writing --------------------------------------------------------------------------

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

        // ---- properties -------------------------------------------------------------------------

        public void GetProperty(string path, Collection<string> providerSpecificPickList)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                var details = Run(ct => target.Drive.Session.Backend.GetPropertyAsync(item, ct));
                var all = PSObject.AsPSObject(details);
                var result = new PSObject();
                var names = providerSpecificPickList == null || providerSpecificPickList.Count == 0
                    ? all.Properties.Where(p => p.Name != nameof(CloudreveItemProperty.Item)).Select(p => p.Name).ToList()
                    : providerSpecificPickList.ToList();
                foreach (var name in names)
                {
                    var matches = all.Properties.Where(p => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(p.Name)).ToList();
                    if (matches.Count == 0)
                    {
                        WriteError(Record(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' has no property '{name}'."), path));
                        continue;
                    }

                    foreach (var property in matches)
                    {
                        if (result.Properties[property.Name] == null)
                        {
                            result.Properties.Add(new PSNoteProperty(property.Name, property.Value));
                        }
                    }
                }

                if (result.Properties.Any())
                {
                    WritePropertyObject(result, path);
                }
            });
        }

        public object? GetPropertyDynamicParameters(string path, Collection<string> providerSpecificPickList) => null;

        public void SetProperty(string path, PSObject propertyValue) =>
            throw new PSNotSupportedException("Cloudreve items have no properties that can be set. Use Rename-Item or Move-Item.");

        public object? SetPropertyDynamicParameters(string path, PSObject propertyValue) => null;

        public void ClearProperty(string path, Collection<string> propertyToClear) =>
            throw new PSNotSupportedException("Cloudreve items have no properties that can be cleared.");

        public object? ClearPropertyDynamicParameters(string path, Collection<string> propertyToClear) => null;

        // ---- shared plumbing --------------------------------------------------------------------

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

        private static async Task<FolderListing> ListAsync(CloudreveDriveInfo drive, string folder, bool fresh, CancellationToken cancellationToken)
        {
            var cache = drive.Cache;
            if (!fresh)
            {
                var cached = cache.TryGet(folder, drive.CacheLifetime);
                if (cached != null)
                {
                    return cached;
                }
            }

            var generation = cache.Generation;
            var at = DateTime.UtcNow;
            var listing = await drive.Session.Backend.ListAsync(folder, cancellationToken).ConfigureAwait(false);
            listing.Folder.Session = drive.Session;
            foreach (var child in listing.Children)
            {
                child.Session = drive.Session;
            }

            cache.Store(listing, at, generation);
            return listing;
        }

        private static IContentBackend Content(CloudreveSession session) =>
            session.Backend as IContentBackend ?? throw FeatureSupport.NotSupported(session, "Writing file content on the drive");

        /// <summary>Writes a copy of the item (cached objects are shared) with its provider path.</summary>
        /// <remarks>
        /// The written object also gets a Path note with the item's escaped drive path (Cloudreve:\docs\a.txt):
        /// piped into Remove-Item, Get-Content or Copy-Item, the item's remote Path ("/docs/a.txt") would
        /// otherwise bind to their -Path and name a local path. The remote path stays in FullName.
        /// </remarks>
        private void WriteItem(CloudreveDriveInfo drive, CloudreveItem item)
        {
            var copy = (CloudreveItem)CloneObject(item);
            var output = PSObject.AsPSObject(copy);
            output.Properties.Add(new PSNoteProperty("Path", WildcardPattern.Escape(DrivePath(drive, item.Path))));
            WriteItemObject(output, ProviderPaths.Build(drive.Name, item.Path), item.IsFolder);
        }

        private static string Display(Target target) => DrivePath(target.Drive, target.Remote);

        /// <summary>"Drive:\relative\path" for a remote path under the drive's root.</summary>
        internal static string DrivePath(CloudreveDriveInfo drive, string remote)
        {
            var relative = RemotePath.IsSameOrBelow(remote, drive.RemoteRoot)
                ? RemotePath.Split(remote).Skip(RemotePath.Split(drive.RemoteRoot).Length)
                : RemotePath.Split(remote);
            return drive.Name + ":" + ProviderPaths.Separator + string.Join(ProviderPaths.Separator.ToString(), relative);
        }

        private static Func<object, object> CreateCloner()
        {
            var method = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;
            return o => method.Invoke(o, null)!;
        }

        /// <summary>Runs async work, writing transport diagnostics as verbose lines; Ctrl+C (Stopping) cancels it.</summary>
        private T Run<T>(Func<CancellationToken, Task<T>> operation) => Run(operation, null);

        /// <summary>Like Run; <paramref name="tick"/> runs on the pipeline thread while the work is going (progress).</summary>
        private T Run<T>(Func<CancellationToken, Task<T>> operation, Action? tick)
        {
            using var stop = new CancellationTokenSource();
            var lines = new ConcurrentQueue<string>();
            Task<T> task;
            using (TransportLog.Capture(lines.Enqueue))
            {
                task = Task.Run(() => operation(stop.Token));
            }

            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(100))
            {
                if (Stopping && !stop.IsCancellationRequested)
                {
                    stop.Cancel();
                }

                DrainVerbose(lines);
                tick?.Invoke();
            }

            DrainVerbose(lines);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void Run(Func<CancellationToken, Task> operation) =>
            Run<bool>(async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            });

        private void DrainVerbose(ConcurrentQueue<string> lines)
        {
            while (lines.TryDequeue(out var line))
            {
                WriteVerbose(line);
            }
        }

        /// <summary>Runs one provider operation; a Cloudreve failure becomes a non-terminating error with the module's error id.</summary>
        private void Guard(string path, Action action)
        {
            try
            {
                action();
            }
            catch (CloudreveException ex)
            {
                WriteError(Record(ex, path));
            }
        }

        private static ErrorRecord Record(CloudreveException exception, object? target) =>
            new ErrorRecord(exception, ErrorIds.For(exception.Kind), ErrorIds.Category(exception.Kind), target);

        private static CloudreveException Missing(Target target) =>
            new CloudreveException(CloudreveErrorKind.NotFound, $"Cannot find '{target.Remote}' on {target.Drive.Session.Uri} because it does not exist.");

        private sealed class Target
        {
            public Target(CloudreveDriveInfo drive, string remote)
            {
                Drive = drive;
                Remote = remote;
            }

            public CloudreveDriveInfo Drive { get; }

            public string Remote { get; }
        }
    }

    /// <summary>New-PSDrive parameters of the Cloudreve provider.</summary>
    public sealed class NewDriveParameters
    {
        /// <summary>The session the drive works through; the default session when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public CloudreveSession? Session { get; set; }

        /// <summary>Seconds a folder listing is reused without asking the server again (default 5; 0 turns the cache off).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public double? CacheSeconds { get; set; }
    }

    /// <summary>Get-ChildItem parameters of the Cloudreve provider.</summary>
    public sealed class ChildItemParameters
    {
        /// <summary>Only files.</summary>
        [Parameter]
        public SwitchParameter File { get; set; }

        /// <summary>Only folders.</summary>
        [Parameter]
        [Alias("ad", "Folder")]
        public SwitchParameter Directory { get; set; }
    }
}

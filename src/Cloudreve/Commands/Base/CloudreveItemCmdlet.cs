using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Shared path handling for cmdlets that work on remote items.</summary>
    public abstract class CloudreveItemCmdletBase : CloudreveSessionCmdlet
    {
        private readonly Dictionary<Guid, ItemLocator> _locators = new Dictionary<Guid, ItemLocator>();

        internal ItemLocator Locator(CloudreveSession session)
        {
            if (!_locators.TryGetValue(session.Id, out var locator))
            {
                locator = new ItemLocator(session);
                _locators[session.Id] = locator;
            }

            return locator;
        }

        /// <summary>
        /// The session for an item: the one it came from (its id only means something there), else
        /// -Session, else the default.
        /// </summary>
        protected CloudreveSession SessionFor(CloudreveItem? item) =>
            item?.Session ?? Session ?? ResolveSession();

        /// <summary>Turns a user-typed path into a normalised remote path (backslashes, ., .. and a "Drive:" prefix handled).</summary>
        protected string ToRemotePath(string path) => ToRemoteTarget(path, out _);

        /// <summary>
        /// Turns a user-typed path into a normalised remote path and the session it belongs to. A Cloudreve
        /// drive path ("Work:\docs\a.txt") or a provider path (PSPath) uses the drive's session and root; a
        /// relative path typed while the location is on a Cloudreve drive is taken relative to it; anything
        /// else is a remote path on -Session (or the default session).
        /// </summary>
        protected string ToRemoteTarget(string path, out CloudreveSession session) => ToRemoteTarget(path, out session, out _);

        /// <summary>As above; <paramref name="viaDrive"/> tells whether a Cloudreve drive chose the session.</summary>
        protected string ToRemoteTarget(string path, out CloudreveSession session, out bool viaDrive)
        {
            viaDrive = true;
            var text = path ?? string.Empty;
            var qualifier = text.IndexOf("::", StringComparison.Ordinal);
            if (qualifier >= 0)
            {
                var provider = text.Substring(0, qualifier);
                if (!provider.EndsWith(Provider.CloudreveProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{text}' is a path of the {provider} provider, not a Cloudreve path.");
                }

                var providerPath = text.Substring(qualifier + 2);
                var segments = Provider.ProviderPaths.Split(providerPath);
                var driveInfo = segments.Length == 0 ? null : CloudreveDrive(segments[0]);
                if (driveInfo == null)
                {
                    throw new CloudreveException(CloudreveErrorKind.NotFound, $"'{text}' names no mounted Cloudreve drive.");
                }

                session = DriveSession(driveInfo);
                return Provider.ProviderPaths.RemotePart(providerPath);
            }

            var colon = text.IndexOf(':');
            var separator = text.IndexOfAny(new[] { '/', '\\' });
            if (colon > 0 && (separator < 0 || colon < separator))
            {
                // Cloudreve names cannot contain ':', so "X:..." names a PowerShell drive.
                var name = text.Substring(0, colon);
                var rest = text.Substring(colon + 1);
                var driveInfo = CloudreveDrive(name) ?? throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                    $"'{name}:' is not a Cloudreve drive. Use a remote path such as /docs/a.txt or a Cloudreve drive path such as Cloudreve:\\docs\\a.txt.");
                session = DriveSession(driveInfo);
                if (rest.Length > 0 && rest[0] != '/' && rest[0] != '\\' &&
                    SessionState.Path.CurrentLocation.Drive is Provider.CloudreveDriveInfo here &&
                    string.Equals(here.Name, driveInfo.Name, StringComparison.OrdinalIgnoreCase))
                {
                    // "Work:docs" is relative to the location on that drive.
                    return RemotePath.Normalize(rest, CurrentRemoteFolder(here));
                }

                return RemotePath.Normalize(RemotePath.Combine(driveInfo.RemoteRoot, rest.TrimStart('/', '\\')));
            }

            if (Session == null && text.Length > 0 && text[0] != '/' && text[0] != '\\' &&
                SessionState.Path.CurrentLocation.Drive is Provider.CloudreveDriveInfo current)
            {
                session = DriveSession(current);
                return RemotePath.Normalize(text, CurrentRemoteFolder(current));
            }

            viaDrive = false;
            session = ResolveSession();
            return RemotePath.Normalize(text);
        }

        /// <summary>The destination path for items of <paramref name="session"/>; a drive path must be on that session.</summary>
        protected string DestinationFor(string destination, CloudreveSession session)
        {
            var path = ToRemoteTarget(destination, out var destinationSession, out var viaDrive);
            if (viaDrive && destinationSession != session)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                    $"The destination '{destination}' is on the session {destinationSession}, but the items are on {session}; items can only be copied or moved within one session.");
            }

            return path;
        }

        private Provider.CloudreveDriveInfo? CloudreveDrive(string name)
        {
            return Provider.ProviderPaths.FindDrive(SessionState, name);
        }

        private CloudreveSession DriveSession(Provider.CloudreveDriveInfo drive)
        {
            if (Session != null && Session != drive.Session)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                    $"The drive {drive.Name}: belongs to the session {drive.Session}, not to the session given with -Session ({Session}).");
            }

            return SessionResolver.Resolve(this, drive.Session);
        }

        private string CurrentRemoteFolder(Provider.CloudreveDriveInfo drive) => Provider.ProviderPaths.RemotePart(SessionState.Path.CurrentLocation.ProviderPath);

        /// <summary>Resolves -Path (wildcards) or -LiteralPath strings to items, writing an error for each miss.</summary>
        protected List<CloudreveItem> ResolvePaths(IEnumerable<string> paths, bool literal)
        {
            var found = new List<CloudreveItem>();
            foreach (var raw in paths)
            {
                string path;
                ItemLocator locator;
                try
                {
                    path = ToRemoteTarget(raw, out var session);
                    locator = Locator(session);
                }
                catch (Exception ex) when (ex is DriveNotFoundException || ex is CloudreveException)
                {
                    WriteFailure(ex is CloudreveException ? ex : new CloudreveException(CloudreveErrorKind.NotFound, ex.Message, ex), raw);
                    continue;
                }

                try
                {
                    var wildcard = !literal && ItemLocator.HasWildcards(path);
                    if (!literal && !wildcard)
                    {
                        // Escaped wildcard characters ("br`[1`].txt") name the characters themselves.
                        path = ItemLocator.UnescapeWildcards(path);
                    }

                    var items = Run(ct => wildcard ? locator.ExpandAsync(path, ct) : locator.FindAsync(path, ct));
                    if (items.Length == 0)
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.NotFound,
                            wildcard ? $"No item matches '{path}'." : $"Cannot find '{path}' because it does not exist."), raw);
                        continue;
                    }

                    found.AddRange(items);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, raw);
                }
            }

            return found;
        }
    }

    /// <summary>Cmdlets that take remote items as -Path (wildcards) or -LiteralPath.</summary>
    public abstract class CloudreveItemPathCmdlet : CloudreveItemCmdletBase
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Remote paths; wildcards are allowed in any segment.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemotePathCompleter))]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Remote paths taken exactly as typed (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteLiteralPathCompleter))]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The items -Path or -LiteralPath name (errors for misses are already written).</summary>
        protected List<CloudreveItem> PathItems() =>
            ParameterSetName == LiteralPathSet ? ResolvePaths(LiteralPath, literal: true) : ResolvePaths(Path, literal: false);
    }

    /// <summary>Cmdlets that act on items given as -Path, -LiteralPath or -InputObject.</summary>
    public abstract class CloudreveItemInputCmdlet : CloudreveItemPathCmdlet
    {
        protected const string InputObjectSet = "InputObject";

        /// <summary>Items from Get-CloudreveItem, Get-CloudreveChildItem or the Cloudreve drive.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveItem[] InputObject { get; set; } = Array.Empty<CloudreveItem>();

        /// <summary>The items this pipeline input names (errors for misses are already written).</summary>
        protected IReadOnlyList<CloudreveItem> InputItems()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    foreach (var item in InputObject)
                    {
                        item.Session ??= SessionFor(item);
                    }

                    return InputObject;
                default:
                    return PathItems();
            }
        }
    }
}

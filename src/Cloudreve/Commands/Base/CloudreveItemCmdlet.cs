using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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
        protected string ToRemotePath(string path)
        {
            var colon = path.IndexOf(':');
            var separator = path.IndexOfAny(new[] { '/', '\\' });
            if (colon > 0 && (separator < 0 || colon < separator))
            {
                // Cloudreve names cannot contain ':', so "X:..." names a PowerShell drive.
                var drive = path.Substring(0, colon);
                var rest = path.Substring(colon + 1);
                var info = SessionState.Drive.Get(drive);
                var root = info.Root.Replace('\\', '/');
                return RemotePath.Normalize(RemotePath.Combine(RemotePath.Normalize(root), rest.TrimStart('/', '\\')));
            }

            return RemotePath.Normalize(path);
        }

        /// <summary>Resolves -Path (wildcards) or -LiteralPath strings to items, writing an error for each miss.</summary>
        protected List<CloudreveItem> ResolvePaths(IEnumerable<string> paths, bool literal)
        {
            var session = ResolveSession();
            var locator = Locator(session);
            var found = new List<CloudreveItem>();
            foreach (var raw in paths)
            {
                string path;
                try
                {
                    path = ToRemotePath(raw);
                }
                catch (Exception ex) when (ex is DriveNotFoundException || ex is CloudreveException)
                {
                    WriteFailure(ex is CloudreveException ? ex : new CloudreveException(CloudreveErrorKind.NotFound, ex.Message, ex), raw);
                    continue;
                }

                try
                {
                    var wildcard = !literal && ItemLocator.HasWildcards(path);
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
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Remote paths taken exactly as typed (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
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

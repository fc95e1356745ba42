using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Internal;

namespace Cloudreve.Commands
{
    /// <summary>Lists the children of folders, optionally recursively; output streams as each page of a listing arrives.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveChildItem", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class GetCloudreveChildItemCommand : CloudreveItemCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const int ListingConcurrency = 4;

        [Parameter(Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemotePathCompleter))]
        public string[] Path { get; set; } = { RemotePath.Root };

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteLiteralPathCompleter))]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        [Parameter]
        [Alias("s", "r")]
        public SwitchParameter Recurse { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Depth { get; set; } = -1;

        [Parameter]
        public SwitchParameter File { get; set; }

        [Parameter]
        [Alias("Folder", "ad")]
        public SwitchParameter Directory { get; set; }

        [Parameter(Position = 1)]
        [SupportsWildcards]
        public string? Filter { get; set; }

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            var maxDepth = MyInvocation.BoundParameters.ContainsKey(nameof(Depth)) ? Depth : Recurse ? int.MaxValue : 0;
            var filter = string.IsNullOrEmpty(Filter) ? null : new WildcardPattern(Filter, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            foreach (var target in ResolvePaths(literal ? LiteralPath : Path, literal))
            {
                if (!target.IsFolder)
                {
                    if (Wanted(target, filter))
                    {
                        WriteObject(target);
                    }

                    continue;
                }

                // Items stream as each page of a listing arrives; the next page is asked for once the pipeline took this one.
                var locator = Locator(SessionFor(target));
                Pump<Action>(
                    (ct, yield) => locator.WalkPagesAsync(target.Path, maxDepth, ListingConcurrency,
                        page => PipelineWait.HandOffAsync(yield, () => WriteChildren(page.Items, filter), ct),
                        (folder, error) => yield(() => WriteFailure(error, folder)),
                        ct),
                    write => write());
            }
        }

        /// <summary>One page's items that pass the filters, folders first, each group by name.</summary>
        private void WriteChildren(IReadOnlyList<CloudreveItem> items, WildcardPattern? filter)
        {
            foreach (var child in items.OrderBy(c => c.IsFolder ? 0 : 1).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
            {
                if (Wanted(child, filter))
                {
                    WriteObject(child);
                }
            }
        }

        private bool Wanted(CloudreveItem item, WildcardPattern? filter)
        {
            if (File && !Directory && item.IsFolder)
            {
                return false;
            }

            if (Directory && !File && !item.IsFolder)
            {
                return false;
            }

            return filter == null || filter.IsMatch(item.Name);
        }
    }
}

using System;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Finds files and folders below a folder by name, type, category, size and modification time.</summary>
    [Cmdlet(VerbsCommon.Find, "CloudreveItem")]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class FindCloudreveItemCommand : CloudreveItemCmdletBase
    {
        private const int ListingConcurrency = 4;

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteLiteralPathCompleter))]
        public string Path { get; set; } = RemotePath.Root;

        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter]
        [ValidateSet("File", "Folder")]
        public string? Type { get; set; }

        [Parameter]
        public CloudreveFileCategory[]? Category { get; set; }

        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long MinimumSize { get; set; }

        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long MaximumSize { get; set; }

        [Parameter]
        public DateTime ModifiedAfter { get; set; }

        [Parameter]
        public DateTime ModifiedBefore { get; set; }

        protected override void ProcessRecord()
        {
            var bound = MyInvocation.BoundParameters;
            var query = new SearchQuery(RemotePath.Root, Name)
            {
                Files = Type == null ? (bool?)null : string.Equals(Type, "File", StringComparison.OrdinalIgnoreCase),
                Categories = Category ?? Array.Empty<CloudreveFileCategory>(),
                MinimumSize = bound.ContainsKey(nameof(MinimumSize)) ? MinimumSize : (long?)null,
                MaximumSize = bound.ContainsKey(nameof(MaximumSize)) ? MaximumSize : (long?)null,
                ModifiedAfter = bound.ContainsKey(nameof(ModifiedAfter)) ? new DateTimeOffset(ModifiedAfter) : (DateTimeOffset?)null,
                ModifiedBefore = bound.ContainsKey(nameof(ModifiedBefore)) ? new DateTimeOffset(ModifiedBefore) : (DateTimeOffset?)null,
            };

            foreach (var target in ResolvePaths(new[] { Path }, literal: true))
            {
                if (!target.IsFolder)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"'{target.Path}' is a file; Find-CloudreveItem searches below a folder."), Path);
                    continue;
                }

                var locator = Locator(SessionFor(target));
                Pump<Action>(
                    (ct, yield) => locator.WalkAsync(target.Path, int.MaxValue, ListingConcurrency,
                        listing => yield(() =>
                        {
                            foreach (var child in listing.Children)
                            {
                                if (query.Matches(child))
                                {
                                    WriteObject(child);
                                }
                            }
                        }),
                        (folder, error) => yield(() => WriteFailure(error, folder)),
                        ct),
                    write => write());
            }
        }
    }
}

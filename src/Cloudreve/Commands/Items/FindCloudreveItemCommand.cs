using System;
using System.Collections.Generic;
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

        protected override void BeginProcessing()
        {
            try
            {
                Query(RemotePath.Root).Validate();
            }
            catch (WildcardPatternException ex)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, $"-Name has a malformed wildcard pattern: {ex.Message}", Name);
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var target in ResolvePaths(new[] { Path }, literal: true))
            {
                if (!target.IsFolder)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"'{target.Path}' is a file; Find-CloudreveItem searches below a folder."), Path);
                    continue;
                }

                var session = SessionFor(target);
                var query = Query(target.Path);
                if (query.CannotMatch)
                {
                    WriteVerbose("The conditions contradict each other; nothing can match.");
                    continue;
                }

                if (!(session.Backend is ICloudreveSearchBackend search))
                {
                    WriteFailure(FeatureSupport.NotSupported(session, "Searching"), Path);
                    continue;
                }

                SearchOutcome? outcome = null;
                try
                {
                    Pump<Action>(
                        async (ct, yield) => outcome = await search.SearchAsync(query,
                            batch => yield(() => Emit(query, session, batch)),
                            (where, error) => yield(() => WriteFailure(error, where)),
                            ct).ConfigureAwait(false),
                        write => write());
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, Path);
                }

                if (outcome?.IncompleteReason != null)
                {
                    WriteWarning(outcome.IncompleteReason);
                }
            }
        }

        private void Emit(SearchQuery query, CloudreveSession session, IReadOnlyList<CloudreveItem> candidates)
        {
            foreach (var item in candidates)
            {
                if (query.IsBelowFolder(item) && query.Matches(item))
                {
                    item.Session = session;
                    WriteObject(item);
                }
            }
        }

        private SearchQuery Query(string folder)
        {
            var bound = MyInvocation.BoundParameters;
            return new SearchQuery(folder, Name)
            {
                Files = Type == null ? (bool?)null : string.Equals(Type, "File", StringComparison.OrdinalIgnoreCase),
                Categories = Category ?? Array.Empty<CloudreveFileCategory>(),
                MinimumSize = bound.ContainsKey(nameof(MinimumSize)) ? MinimumSize : (long?)null,
                MaximumSize = bound.ContainsKey(nameof(MaximumSize)) ? MaximumSize : (long?)null,
                ModifiedAfter = bound.ContainsKey(nameof(ModifiedAfter)) ? new DateTimeOffset(ModifiedAfter) : (DateTimeOffset?)null,
                ModifiedBefore = bound.ContainsKey(nameof(ModifiedBefore)) ? new DateTimeOffset(ModifiedBefore) : (DateTimeOffset?)null,
            };
        }
    }
}

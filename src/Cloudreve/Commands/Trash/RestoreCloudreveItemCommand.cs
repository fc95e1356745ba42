using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>
    /// Puts items from the trash (Cloudreve 4.x) back where they were deleted from. Items of one pipeline are
    /// restored in as few requests as the server allows; a name taken again is an error for that item only.
    /// </summary>
    [Cmdlet(VerbsData.Restore, "CloudreveItem", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class RestoreCloudreveItemCommand : CloudreveSessionCmdlet
    {
        private const string InputObjectSet = "InputObject";
        private const string TrashUriSet = "TrashUri";

        private readonly List<CloudreveTrashItem> _pending = new List<CloudreveTrashItem>();

        /// <summary>Trash items, as Get-CloudreveTrashItem writes them.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public CloudreveTrashItem[]? InputObject { get; set; }

        /// <summary>The server's address of a trash item (the hidden TrashUri property of a trash item).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TrashUriSet)]
        [ValidateNotNullOrEmpty]
        public string[]? TrashUri { get; set; }

        /// <summary>Where the item goes back to, when the input object carries it; looked up on the server otherwise.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TrashUriSet)]
        public string? OriginalPath { get; set; }

        /// <summary>Write the restored files and folders, as found at their original paths.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var items = ParameterSetName == TrashUriSet
                ? TrashUri!.Select(u => new CloudreveTrashItem { TrashUri = u, OriginalPath = TrashUri!.Length == 1 ? Normalized(OriginalPath) : string.Empty })
                : InputObject!.Where(i => i != null);
            foreach (var item in items)
            {
                var shown = item.OriginalPath.Length > 0 ? item.OriginalPath : item.Name.Length > 0 ? item.Name : item.TrashUri;
                if (ShouldProcess(shown, item.IsFolder ? "Restore folder from the trash" : "Restore from the trash"))
                {
                    _pending.Add(item);
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (var group in _pending.GroupBy(i => i.Session ?? Session ?? ResolveSession()))
            {
                var session = group.Key;
                var items = group.ToList();
                ICloudreveTrashBackend trash;
                try
                {
                    trash = session.Trash("Restoring from the trash");
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, items.Count == 1 ? (object)items[0] : items.ToArray());
                    continue;
                }

                TrashRestoreOutcome outcome;
                try
                {
                    outcome = Run(ct => trash.RestoreAsync(items, ct));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, items.Count == 1 ? (object)items[0] : items.ToArray());
                    continue;
                }

                ItemChanges.Changed(session, outcome.Restored.Select(i => i.OriginalPath).ToArray());
                foreach (var (item, error) in outcome.Failures)
                {
                    WriteFailure(error, item);
                }

                foreach (var item in outcome.Restored)
                {
                    WriteVerbose($"Restored {item.OriginalPath}");
                }

                if (PassThru)
                {
                    WriteRestored(session, outcome.Restored);
                }
            }
        }

        /// <summary>Looks the restored items up at their original paths, one listing per folder.</summary>
        private void WriteRestored(CloudreveSession session, IReadOnlyList<CloudreveTrashItem> restored)
        {
            foreach (var folder in restored.Where(i => i.OriginalPath.Length > 0).GroupBy(i => i.OriginalParentPath))
            {
                FolderListing listing;
                try
                {
                    listing = Run(ct => session.Backend.ListAsync(folder.Key, ct));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, folder.ToArray());
                    continue;
                }

                foreach (var item in folder)
                {
                    var found = listing.Children.FirstOrDefault(c => c.Path == item.OriginalPath && c.IsFolder == item.IsFolder)
                        ?? listing.Children.FirstOrDefault(c => c.Path == item.OriginalPath);
                    if (found == null)
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.NotFound, $"'{item.OriginalPath}' was restored but is no longer there."), item);
                        continue;
                    }

                    found.Session = session;
                    WriteObject(found);
                }
            }
        }

        private static string Normalized(string? path) => string.IsNullOrEmpty(path) ? string.Empty : RemotePath.Normalize(path!);
    }
}

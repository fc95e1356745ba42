using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Moves items into a folder; items from the same folder move in one request.</summary>
    [Cmdlet(VerbsCommon.Move, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class MoveCloudreveItemCommand : CloudreveItemInputCmdlet
    {
        private readonly List<CloudreveItem> _pending = new List<CloudreveItem>();

        /// <summary>The folder to move the items into. It must exist.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var destination = ToRemotePath(Destination);
            foreach (var item in InputItems())
            {
                if (item.IsFolder && RemotePath.IsSameOrBelow(destination, item.Path))
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"Cannot move the folder '{item.Path}' into itself or into one of its own sub-folders ('{destination}')."), item);
                    continue;
                }

                if (ShouldProcess(item.Path, $"Move to '{destination}'"))
                {
                    _pending.Add(item);
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (var bySession in _pending.GroupBy(i => SessionFor(i)))
            {
                var session = bySession.Key;
                var locator = Locator(session);
                FolderListing target;
                string destination;
                try
                {
                    destination = DestinationFor(Destination, session);
                    var folder = Run(ct => locator.FindFolderAsync(destination, ct)) ??
                        throw new CloudreveException(CloudreveErrorKind.NotFound, $"The destination folder '{destination}' does not exist.");
                    target = Run(ct => locator.ListAsync(folder.Path, ct, fresh: true));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, Destination);
                    continue;
                }

                var moved = new List<CloudreveItem>();
                foreach (var group in bySession.GroupBy(i => i.ParentPath))
                {
                    var batch = new List<CloudreveItem>();
                    foreach (var item in group)
                    {
                        if (group.Key == destination)
                        {
                            moved.Add(item); // already there
                            continue;
                        }

                        if (target.Children.Any(c => c.IsFolder == item.IsFolder && c.Name == item.Name) || batch.Any(b => b.IsFolder == item.IsFolder && b.Name == item.Name))
                        {
                            WriteFailure(new CloudreveException(CloudreveErrorKind.Conflict, $"'{RemotePath.Combine(destination, item.Name)}' already exists; '{item.Path}' was not moved."), item);
                            continue;
                        }

                        batch.Add(item);
                    }

                    if (batch.Count == 0)
                    {
                        continue;
                    }

                    try
                    {
                        try
                        {
                            Run(ct => session.Backend.MoveAsync(group.Key, batch, destination, ct));
                        }
                        finally
                        {
                            ItemChanges.Changed(session, batch.Select(b => b.Path).Concat(new[] { destination }).ToArray());
                        }

                        moved.AddRange(batch);
                    }
                    catch (CloudreveException ex)
                    {
                        WriteFailure(ex, batch.Count == 1 ? (object)batch[0] : batch.ToArray());
                    }
                }

                if (PassThru && moved.Count > 0)
                {
                    var after = Run(ct => locator.ListAsync(destination, ct, fresh: true));
                    foreach (var item in moved)
                    {
                        var now = after.Children.FirstOrDefault(c => c.IsFolder == item.IsFolder && c.Name == item.Name);
                        if (now != null)
                        {
                            WriteObject(now);
                        }
                    }
                }
            }
        }
    }
}

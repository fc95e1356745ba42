using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>
    /// Shared shape of Move- and Copy-CloudreveItem: items from the pipeline are checked (not the root,
    /// not a folder into itself or its own sub-folder), confirmed, collected, and relocated at the end
    /// in as few requests as the server allows; names already taken in the destination are refused.
    /// </summary>
    public abstract class CloudreveRelocateCmdlet : CloudreveItemInputCmdlet
    {
        private readonly List<CloudreveItem> _pending = new List<CloudreveItem>();

        /// <summary>The folder to put the items into. It must exist.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteFolderCompleter))]
        public string Destination { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>"move" or "copy", for messages.</summary>
        protected abstract string Verb { get; }

        /// <summary>Relocates items (all of one session, names free in the destination); returns those that made it.</summary>
        internal abstract IEnumerable<CloudreveItem> Relocate(CloudreveSession session, IReadOnlyList<CloudreveItem> items, string destination);

        protected override void ProcessRecord()
        {
            var destination = ToRemotePath(Destination);
            foreach (var item in InputItems())
            {
                if (item.Path == RemotePath.Root)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"The root folder cannot be {Verb}d."), item);
                    continue;
                }

                if (item.IsFolder && RemotePath.IsSameOrBelow(destination, item.Path))
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"Cannot {Verb} the folder '{item.Path}' into itself or into one of its own sub-folders ('{destination}')."), item);
                    continue;
                }

                if (ShouldProcess(item.Path, $"{char.ToUpperInvariant(Verb[0])}{Verb.Substring(1)} to '{destination}'"))
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

                var work = new List<CloudreveItem>();
                foreach (var item in bySession)
                {
                    var alreadyThere = Verb == "move" && item.ParentPath == destination;
                    var taken = !alreadyThere && (target.Children.Any(c => SameEntry(c, item)) || work.Any(w => SameEntry(w, item) && w.ParentPath != destination));
                    if (taken)
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.Conflict,
                            $"'{RemotePath.Combine(destination, item.Name)}' already exists; '{item.Path}' was not {Verb}d."), item);
                        continue;
                    }

                    work.Add(item);
                }

                List<CloudreveItem> done;
                try
                {
                    done = Relocate(session, work, destination).ToList();
                }
                finally
                {
                    // Tell the drives' listing caches what changed (sources and destination).
                    ItemChanges.Changed(session, work.Select(w => w.Path).Concat(new[] { destination }).ToArray());
                }

                if (PassThru && done.Count > 0)
                {
                    var after = Run(ct => locator.ListAsync(destination, ct, fresh: true));
                    foreach (var item in done)
                    {
                        var now = after.Children.FirstOrDefault(c => SameEntry(c, item));
                        if (now != null)
                        {
                            WriteObject(now);
                        }
                    }
                }
            }
        }

        private static bool SameEntry(CloudreveItem a, CloudreveItem b) => a.IsFolder == b.IsFolder && a.Name == b.Name;
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Copies items (folders recursively) into a folder; several copies run at once.</summary>
    [Cmdlet(VerbsCommon.Copy, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class CopyCloudreveItemCommand : CloudreveItemInputCmdlet
    {
        private const int CopyConcurrency = 4;
        private readonly List<CloudreveItem> _pending = new List<CloudreveItem>();

        /// <summary>The folder to copy the items into. It must exist.</summary>
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
                if (item.Path == RemotePath.Root)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, "The root folder cannot be copied."), item);
                    continue;
                }

                if (item.IsFolder && RemotePath.IsSameOrBelow(destination, item.Path))
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"Cannot copy the folder '{item.Path}' into itself or into one of its own sub-folders ('{destination}')."), item);
                    continue;
                }

                if (ShouldProcess(item.Path, $"Copy to '{destination}'"))
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
                    if (target.Children.Any(c => c.IsFolder == item.IsFolder && c.Name == item.Name) || work.Any(w => w.IsFolder == item.IsFolder && w.Name == item.Name))
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.Conflict, $"'{RemotePath.Combine(destination, item.Name)}' already exists; '{item.Path}' was not copied."), item);
                        continue;
                    }

                    work.Add(item);
                }

                var copied = new ConcurrentBag<CloudreveItem>();
                Pump<Action>(async (ct, yield) =>
                {
                    using var gate = new SemaphoreSlim(CopyConcurrency, CopyConcurrency);
                    await Task.WhenAll(work.Select(async item =>
                    {
                        await gate.WaitAsync(ct).ConfigureAwait(false);
                        try
                        {
                            try
                            {
                                await session.Backend.CopyAsync(item, destination, ct).ConfigureAwait(false);
                            }
                            finally
                            {
                                ItemChanges.Changed(session, RemotePath.Combine(destination, item.Name));
                            }

                            copied.Add(item);
                        }
                        catch (CloudreveException ex)
                        {
                            yield(() => WriteFailure(ex, item));
                        }
                        finally
                        {
                            gate.Release();
                        }
                    })).ConfigureAwait(false);
                }, write => write());

                if (PassThru && !copied.IsEmpty)
                {
                    var after = Run(ct => locator.ListAsync(destination, ct, fresh: true));
                    foreach (var item in work.Where(copied.Contains))
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

using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Deletes files and folders (folders with everything in them). Items of one pipeline are deleted in one request.</summary>
    [Cmdlet(VerbsCommon.Remove, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveCloudreveItemCommand : CloudreveItemInputCmdlet
    {
        private readonly List<CloudreveItem> _pending = new List<CloudreveItem>();

        /// <summary>Server-side forced delete: drop the records even when the storage cannot delete the bytes (needs the group's advanced delete).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Only remove the records and keep the bytes in storage (needs the group's advanced delete).</summary>
        [Parameter]
        public SwitchParameter Unlink { get; set; }

        /// <summary>
        /// Delete for good instead of moving the items to the trash (Cloudreve 4.x). Cloudreve 3.x has no trash:
        /// every delete there is permanent, with or without this switch.
        /// </summary>
        [Parameter]
        public SwitchParameter Permanent { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                if (item.Path == RemotePath.Root)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, "The root folder cannot be deleted."), item);
                    continue;
                }

                var toTrash = !Permanent && SessionFor(item).Backend is ICloudreveTrashBackend;
                var what = (item.IsFolder ? "Delete folder and everything in it" : "Delete file") + (toTrash ? " (to the trash)" : " (permanently)");
                if (ShouldProcess(item.Path, what))
                {
                    _pending.Add(item);
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (var group in _pending.GroupBy(i => SessionFor(i)))
            {
                var session = group.Key;
                var items = group.ToList();
                if ((Force || Unlink) && !session.User.CanAdvancedDelete)
                {
                    foreach (var item in items)
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.PermissionDenied,
                            $"-Force and -Unlink need the advanced-delete permission, which the group '{session.GroupName}' does not have. '{item.Path}' was not deleted."), item);
                    }

                    continue;
                }

                try
                {
                    try
                    {
                        Run(ct => Delete(session, items, ct));
                    }
                    finally
                    {
                        ItemChanges.Changed(session, items.Select(i => i.Path).ToArray());
                    }

                    foreach (var item in items)
                    {
                        WriteVerbose(Permanent || !(session.Backend is ICloudreveTrashBackend) ? $"Deleted {item.Path}" : $"Moved {item.Path} to the trash");
                    }
                }
                catch (CloudreveException ex) when (items.Count > 1 && ex.Kind != CloudreveErrorKind.SessionExpired)
                {
                    // Find out which item the server refused; delete the others.
                    foreach (var item in items)
                    {
                        try
                        {
                            Run(ct => Delete(session, new[] { item }, ct));
                        }
                        catch (CloudreveException single)
                        {
                            WriteFailure(single, item);
                        }
                    }
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, items.Count == 1 ? (object)items[0] : items.ToArray());
                }
            }
        }

        /// <summary>-Permanent skips the trash where there is one; without a trash (3.x) every delete is permanent already.</summary>
        private System.Threading.Tasks.Task Delete(CloudreveSession session, IReadOnlyCollection<CloudreveItem> items, System.Threading.CancellationToken ct) =>
            Permanent && session.Backend is ICloudreveTrashBackend trash
                ? trash.DeletePermanentlyAsync(items, Unlink, ct)
                : session.Backend.DeleteAsync(items, Force, Unlink, ct);
    }
}

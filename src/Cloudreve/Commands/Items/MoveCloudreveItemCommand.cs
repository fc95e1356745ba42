using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Moves items into a folder; items from the same folder move in one request.</summary>
    [Cmdlet(VerbsCommon.Move, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class MoveCloudreveItemCommand : CloudreveRelocateCmdlet
    {
        protected override string Verb => "move";

        internal override IEnumerable<CloudreveItem> Relocate(CloudreveSession session, IReadOnlyList<CloudreveItem> items, string destination)
        {
            var moved = new List<CloudreveItem>();
            foreach (var group in items.GroupBy(i => i.ParentPath))
            {
                if (group.Key == destination)
                {
                    moved.AddRange(group); // already there: nothing to ask the server
                    continue;
                }

                var batch = group.ToList();
                try
                {
                    Run(ct => session.Backend.MoveAsync(group.Key, batch, destination, ct));
                    moved.AddRange(batch);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, batch.Count == 1 ? (object)batch[0] : batch.ToArray());
                }
            }

            return moved;
        }
    }
}

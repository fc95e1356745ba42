using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Moves items into a folder, in as few requests as the server allows.</summary>
    [Cmdlet(VerbsCommon.Move, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class MoveCloudreveItemCommand : CloudreveRelocateCmdlet
    {
        protected override string Verb => "move";

        internal override IEnumerable<CloudreveItem> Relocate(CloudreveSession session, IReadOnlyList<CloudreveItem> items, string destination)
        {
            // Items already in the destination need no request.
            var work = items.Where(i => i.ParentPath != destination).ToList();
            IReadOnlyList<CloudreveItem> done = new CloudreveItem[0];
            if (work.Count > 0)
            {
                var outcome = Run(ct => session.Backend.MoveAsync(work, destination, ct));
                foreach (var failure in outcome.Failures)
                {
                    WriteFailure(failure.Error, failure.Target);
                }

                done = outcome.Done;
            }

            // Source folder by source folder, as the items came.
            return items.GroupBy(i => i.ParentPath).SelectMany(g => g).Where(i => i.ParentPath == destination || done.Contains(i)).ToList();
        }
    }
}

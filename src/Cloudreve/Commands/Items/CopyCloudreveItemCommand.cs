using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Copies items (folders recursively) into a folder, in as few requests as the server allows.</summary>
    [Cmdlet(VerbsCommon.Copy, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class CopyCloudreveItemCommand : CloudreveRelocateCmdlet
    {
        protected override string Verb => "copy";

        internal override IEnumerable<CloudreveItem> Relocate(CloudreveSession session, IReadOnlyList<CloudreveItem> items, string destination)
        {
            var outcome = Run(ct => session.Backend.CopyAsync(items, destination, ct));
            foreach (var failure in outcome.Failures)
            {
                WriteFailure(failure.Error, failure.Target);
            }

            var done = outcome.Done;
            return items.Where(done.Contains);
        }
    }
}

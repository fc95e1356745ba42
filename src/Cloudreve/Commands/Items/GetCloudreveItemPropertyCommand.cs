using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Details of items: dates, storage policy, size (recursive for folders), file and folder counts.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveItemProperty", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CloudreveItemProperty))]
    public sealed class GetCloudreveItemPropertyCommand : CloudreveItemInputCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                try
                {
                    var session = SessionFor(item);
                    WriteObject(Run(ct => session.Backend.GetPropertyAsync(item, ct)));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, item);
                }
            }
        }
    }
}

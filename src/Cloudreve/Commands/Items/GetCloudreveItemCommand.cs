using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Gets the file or folder at each path.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveItem", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class GetCloudreveItemCommand : CloudreveItemPathCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var item in PathItems())
            {
                WriteObject(item);
            }
        }
    }
}

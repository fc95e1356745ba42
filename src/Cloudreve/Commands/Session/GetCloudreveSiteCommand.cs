using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Site information: title, version, registration and captcha settings, current user.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveSite", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(CloudreveSiteInfo))]
    public sealed class GetCloudreveSiteCommand : CloudreveSiteCmdlet
    {
        protected override void ProcessRecord()
        {
            object target = ParameterSetName == UriSet ? Uri : (object?)Session ?? "default session";
            try
            {
                WriteObject(WithBackend((backend, _) => Run(ct => backend.GetSiteInfoAsync(ct))));
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, target);
            }
        }
    }
}

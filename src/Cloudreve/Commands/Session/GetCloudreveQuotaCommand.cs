using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Storage used, free and total for the session's user.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveQuota")]
    [OutputType(typeof(CloudreveQuota))]
    public sealed class GetCloudreveQuotaCommand : CloudreveSessionCmdlet
    {
        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var quota = Run(ct => session.Backend.GetQuotaAsync(ct));
                quota.UserName = session.UserName;
                WriteObject(quota);
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, session);
            }
        }
    }
}

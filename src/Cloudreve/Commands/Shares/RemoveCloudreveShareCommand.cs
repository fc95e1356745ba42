using System;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Deletes share links (the shared files stay).</summary>
    [Cmdlet(VerbsCommon.Remove, "CloudreveShare", DefaultParameterSetName = KeySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveCloudreveShareCommand : CloudreveShareTargetCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var (session, key, target) in Targets())
            {
                Remove(session, key, target);
            }
        }

        private void Remove(CloudreveSession session, string key, object target)
        {
            if (!ShouldProcess(target is CloudreveShare s && s.Name.Length > 0 ? $"{key} ({s.Name})" : key, "Delete share link"))
            {
                return;
            }

            try
            {
                Run(ct => session.Services().RemoveShareAsync(key, ct));
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex.ServerCode == 40058 ? new CloudreveException(CloudreveErrorKind.NotFound, $"The share '{key}' does not exist or is not yours.", ex) : ex, target);
            }
        }
    }
}

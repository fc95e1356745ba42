using System;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Deletes share links (the shared files stay).</summary>
    [Cmdlet(VerbsCommon.Remove, "CloudreveShare", DefaultParameterSetName = KeySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveCloudreveShareCommand : CloudreveSessionCmdlet
    {
        private const string KeySet = "Key";
        private const string InputObjectSet = "InputObject";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeySet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveShare[] InputObject { get; set; } = Array.Empty<CloudreveShare>();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var share in InputObject)
                {
                    Remove(Session ?? share.Session ?? ResolveSession(), share.Key, share);
                }
            }
            else
            {
                var session = ResolveSession();
                foreach (var key in Key)
                {
                    Remove(session, key, key);
                }
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

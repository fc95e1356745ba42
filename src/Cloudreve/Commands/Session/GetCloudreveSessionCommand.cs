using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Lists the sessions of this runspace.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveSession")]
    [OutputType(typeof(CloudreveSession))]
    public sealed class GetCloudreveSessionCommand : PSCmdlet
    {
        [Parameter]
        public SwitchParameter Default { get; set; }

        protected override void ProcessRecord()
        {
            var registry = SessionRegistry.Current;
            if (Default)
            {
                var session = registry.Default;
                if (session != null)
                {
                    WriteObject(session);
                }

                return;
            }

            foreach (var session in registry.All)
            {
                WriteObject(session);
            }
        }
    }
}

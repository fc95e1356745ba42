using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Deletes everything in the trash of a Cloudreve 4.18 (or later) server for good.</summary>
    [Cmdlet(VerbsCommon.Clear, "CloudreveTrash", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class ClearCloudreveTrashCommand : CloudreveSessionCmdlet
    {
        /// <summary>Do not ask for confirmation (-Confirm still asks, -WhatIf still only tells).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var session = ResolveSession();
            ICloudreveTrashBackend trash;
            try
            {
                trash = session.EmptiableTrash("Emptying the trash");
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(ex, session);
                return;
            }

            if (!Confirmed($"the trash of {session}", "Delete everything in the trash permanently"))
            {
                return;
            }

            try
            {
                Run(ct => trash.EmptyTrashAsync(ct));
                WriteVerbose($"Emptied the trash of {session}");
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, session);
            }
        }

        /// <summary>-Force skips the prompt that ConfirmImpact High brings, unless -Confirm asks for it; -WhatIf always wins.</summary>
        private bool Confirmed(string target, string action)
        {
            if (!Force || Switch("Confirm", null))
            {
                return ShouldProcess(target, action);
            }

            return Switch("WhatIf", "WhatIfPreference") ? ShouldProcess(target, action) : true;
        }

        private bool Switch(string parameter, string? preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var value))
            {
                return LanguagePrimitives.IsTrue(value);
            }

            return preference != null && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue(preference));
        }
    }
}

using System;
using System.Management.Automation;
using System.Security;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Changes the password or the preview setting of shares.</summary>
    [Cmdlet(VerbsCommon.Set, "CloudreveShare", DefaultParameterSetName = KeySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveShare))]
    public sealed class SetCloudreveShareCommand : CloudreveShareTargetCmdlet
    {
        /// <summary>The new password; an empty SecureString removes it.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>Remove the password.</summary>
        [Parameter]
        public SwitchParameter RemovePassword { get; set; }

        /// <summary>Turn browser preview on ($true) or off ($false).</summary>
        [Parameter]
        public bool? AllowPreview { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (Password != null && RemovePassword)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "Use either -Password or -RemovePassword, not both.", null);
            }

            if (Password == null && !RemovePassword && !AllowPreview.HasValue)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "Nothing to change: give -Password, -RemovePassword or -AllowPreview.", null);
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var (session, key, target) in Targets())
            {
                Change(session, key, target as CloudreveShare);
            }
        }

        private void Change(CloudreveSession session, string key, CloudreveShare? share)
        {
            if (!ShouldProcess(key, "Change share settings"))
            {
                return;
            }

            try
            {
                var services = session.Services();
                if (Password != null || RemovePassword)
                {
                    Run(ct => services.SetSharePasswordAsync(key, RemovePassword ? null : Password, ct));
                }

                if (AllowPreview.HasValue)
                {
                    Run(ct => services.SetSharePreviewAsync(key, AllowPreview.Value, ct));
                }

                if (PassThru)
                {
                    foreach (var s in Run(ct => services.GetSharesAsync(ct)))
                    {
                        if (s.Key == key)
                        {
                            s.Session = session;
                            s.Item = share?.Item;
                            WriteObject(s);
                        }
                    }
                }
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex.ServerCode == 40058 ? new CloudreveException(CloudreveErrorKind.NotFound, $"The share '{key}' does not exist, is not yours, or no longer works (expired shares cannot be changed).", ex) : ex, (object?)share ?? key);
            }
        }
    }
}

using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Logs in to a Cloudreve server and makes the session the default one.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Cloudreve")]
    [OutputType(typeof(CloudreveSession))]
    public sealed class ConnectCloudreveCommand : CloudreveCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "Server")]
        [ValidateNotNull]
        public Uri Uri { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        [Parameter]
        [ValidatePattern(@"^\s*\d{6}\s*$")]
        public string? OtpCode { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? TotpSecret { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The name of the drive mounted for the session (Cloudreve by default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidatePattern(@"^[^:/\\.~]+$")]
        public string DriveName { get; set; } = Provider.DriveMounter.DefaultDriveName;

        /// <summary>Mounts no drive.</summary>
        [Parameter]
        public SwitchParameter NoDrive { get; set; }

        protected override void ProcessRecord()
        {
            if (Credential == PSCredential.Empty || string.IsNullOrWhiteSpace(Credential.UserName))
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "A user name (the account's e-mail address) is required.", Credential);
            }

            ICloudreveBackend backend;
            try
            {
                backend = Run(ct => CloudreveConnector.CreateBackendAsync(Uri, SkipCertificateCheck, ct));
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(ex, Uri);
                return;
            }

            var connected = false;
            try
            {
                var site = Run(ct => backend.GetSiteInfoAsync(ct));
                if (site.LoginCaptcha)
                {
                    throw new CloudreveException(CloudreveErrorKind.LoginCaptchaRequired,
                        $"The server at {backend.SiteUri} requires a captcha for every login, which a script cannot solve. Ask the administrator to turn off the login captcha (Settings > Captcha) for API use.");
                }

                WriteVerbose($"Cloudreve {site.Version} at {backend.SiteUri}; logging in as {Credential.UserName}.");
                var outcome = Run(ct => backend.LoginAsync(Credential.UserName, Credential.Password, ct));
                var user = outcome.User;
                if (outcome.SecondFactorRequired)
                {
                    var code = GetSecondFactorCode();
                    user = Run(ct => backend.SubmitSecondFactorAsync(outcome, code, ct));
                }

                var session = CloudreveConnector.CreateSession(backend, user!, site, Credential, TotpSecret);
                SessionRegistry.Current.Add(session);
                connected = true;
                WriteVerbose($"Connected to {session.Uri} as {session.UserName} ({session.GroupName}). This is now the default session.");
                if (!NoDrive)
                {
                    try
                    {
                        Provider.DriveMounter.Mount(this, session, DriveName);
                    }
                    catch (CloudreveException ex)
                    {
                        WriteFailure(ex, DriveName);
                    }
                    catch (ProviderNotFoundException)
                    {
                        // The cmdlets are loaded without the module's provider (a host that registers them
                        // one by one): the session works, there is just no drive.
                        WriteWarning($"The Cloudreve provider is not loaded in this runspace, so no {DriveName}: drive was mounted. Import the Cloudreve module to get drives, or use -NoDrive.");
                    }
                    catch (Exception ex) when (ex is SessionStateException || ex is PSInvalidOperationException)
                    {
                        WriteError(new ErrorRecord(ex, "CloudreveDriveNotMounted", ErrorCategory.ResourceUnavailable, DriveName));
                    }
                }

                if (PassThru)
                {
                    WriteObject(session);
                }
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(Explain(ex), Uri);
            }
            finally
            {
                if (!connected)
                {
                    backend.Dispose();
                }
            }
        }

        private CloudreveException Explain(CloudreveException ex)
        {
            string? message = null;
            switch (ex.Kind)
            {
                case CloudreveErrorKind.InvalidCredential:
                    message = $"The server at {Uri} rejected the user name or password of '{Credential.UserName}'.";
                    break;
                case CloudreveErrorKind.InvalidOtpCode:
                    message = $"The server at {Uri} rejected the two-factor code for '{Credential.UserName}'. Check the code, the TOTP secret, and this computer's clock.";
                    break;
                case CloudreveErrorKind.AccountBlocked:
                    message = $"The account '{Credential.UserName}' is blocked on {Uri}.";
                    break;
                case CloudreveErrorKind.AccountNotActivated:
                    message = $"The account '{Credential.UserName}' on {Uri} has not been activated yet.";
                    break;
                case CloudreveErrorKind.InvalidArgument when ex.ServerCode == 40001:
                    message = $"The server at {Uri} refused the login request: {ex.ServerMessage}. The user name must be the account's e-mail address and the password 4 to 64 characters.";
                    break;
                case CloudreveErrorKind.LoginCaptchaRequired when ex.ServerCode.HasValue:
                    message = $"The server at {Uri} requires a captcha for every login, which a script cannot solve.";
                    break;
            }

            return message == null ? ex : new CloudreveException(ex.Kind, message, ex) { ServerCode = ex.ServerCode, ServerMessage = ex.ServerMessage };
        }

        private string GetSecondFactorCode()
        {
            if (!string.IsNullOrWhiteSpace(OtpCode))
            {
                return OtpCode!.Trim();
            }

            if (TotpSecret != null)
            {
                WriteVerbose("The account uses two-factor authentication; computing the current code from -TotpSecret.");
                return TotpCode.Compute(TotpSecret, DateTime.UtcNow);
            }

            var prompted = PromptForCode();
            if (prompted != null)
            {
                return prompted;
            }

            throw new CloudreveException(CloudreveErrorKind.OtpRequired,
                $"The account '{Credential.UserName}' uses two-factor authentication. Pass -OtpCode, or -TotpSecret for unattended scripts.");
        }

        private string? PromptForCode()
        {
            try
            {
                var field = new FieldDescription("Code") { IsMandatory = true };
                field.SetParameterType(typeof(string));
                var answer = Host.UI.Prompt("Two-factor authentication", $"Enter the 6-digit code for {Credential.UserName}.", new Collection<FieldDescription> { field });
                if (answer != null && answer.TryGetValue("Code", out var value) && value != null)
                {
                    var code = value.BaseObject?.ToString()?.Trim();
                    return string.IsNullOrEmpty(code) ? null : code;
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteVerbose($"The host cannot prompt for a two-factor code ({ex.GetType().Name}).");
            }

            return null;
        }
    }
}

using System;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>$true when the server answers as Cloudreve (and the session is logged in), else $false. Never throws for network failures.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CloudreveConnection", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(bool))]
    public sealed class TestCloudreveConnectionCommand : CloudreveCmdlet
    {
        private const string SessionSet = "Session";
        private const string UriSet = "Uri";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "Server")]
        [ValidateNotNull]
        public Uri Uri { get; set; } = null!;

        [Parameter(ParameterSetName = UriSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == UriSet)
            {
                ICloudreveBackend? backend = null;
                try
                {
                    backend = CloudreveConnector.CreateBackend(Uri, SkipCertificateCheck);
                    var version = Run(ct => backend.GetServerVersionAsync(ct));
                    WriteVerbose($"{Uri} answers as Cloudreve {version}.");
                    WriteObject(true);
                }
                catch (CloudreveException ex)
                {
                    WriteVerbose(ex.Message);
                    WriteObject(false);
                }
                finally
                {
                    backend?.Dispose();
                }

                return;
            }

            if (Session != null && !Session.IsConnected)
            {
                WriteVerbose($"{Session} was disconnected.");
                WriteObject(false);
                return;
            }

            var session = SessionResolver.Resolve(this, Session);
            try
            {
                var user = Run(ct => session.Backend.GetCurrentUserAsync(ct));
                if (user == null && session.Credential != null)
                {
                    WriteVerbose("The server no longer knows this login; trying to log in again.");
                    Run(ct => CloudreveConnector.ReauthenticateAsync(session, ct));
                    user = Run(ct => session.Backend.GetCurrentUserAsync(ct));
                }

                WriteVerbose(user == null ? $"{session} is not logged in." : $"{session} is logged in as {user.UserName}.");
                WriteObject(user != null);
            }
            catch (CloudreveException ex)
            {
                WriteVerbose(ex.Message);
                WriteObject(false);
            }
        }
    }
}

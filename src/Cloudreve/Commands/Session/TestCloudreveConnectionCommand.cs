using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>$true when the server answers as Cloudreve (and the session is logged in), else $false. Never throws for network failures.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CloudreveConnection", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(bool))]
    public sealed class TestCloudreveConnectionCommand : CloudreveSiteCmdlet
    {
        protected override void ProcessRecord()
        {
            if (ParameterSetName == SessionSet && Session != null && !Session.IsConnected)
            {
                WriteVerbose($"{Session} was disconnected.");
                WriteObject(false);
                return;
            }

            try
            {
                WriteObject(WithBackend((backend, session) => session == null ? AnswersAsCloudreve(backend) : IsLoggedIn(session)));
            }
            catch (CloudreveException ex)
            {
                WriteVerbose(ex.Message);
                WriteObject(false);
            }
        }

        private bool AnswersAsCloudreve(ICloudreveBackend backend)
        {
            var version = Run(ct => backend.GetServerVersionAsync(ct));
            WriteVerbose($"{backend.SiteUri} answers as Cloudreve {version}.");
            return true;
        }

        private bool IsLoggedIn(CloudreveSession session)
        {
            var user = Run(ct => session.Backend.GetCurrentUserAsync(ct));
            if (user == null && session.Credential != null)
            {
                WriteVerbose("The server no longer knows this login; trying to log in again.");
                Run(ct => CloudreveConnector.ReauthenticateAsync(session, ct));
                user = Run(ct => session.Backend.GetCurrentUserAsync(ct));
            }

            WriteVerbose(user == null ? $"{session} is not logged in." : $"{session} is logged in as {user.UserName}.");
            return user != null;
        }
    }
}

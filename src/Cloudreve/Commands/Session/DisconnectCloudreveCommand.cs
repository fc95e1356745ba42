using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Logs out of the server and forgets the session.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Cloudreve", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class DisconnectCloudreveCommand : CloudreveCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveSession[]? Session { get; set; }

        protected override void ProcessRecord()
        {
            var sessions = Session ?? new[] { SessionResolver.Resolve(this, null) };
            foreach (var session in sessions)
            {
                if (!ShouldProcess(session.ToString(), "Log out and forget the session"))
                {
                    continue;
                }

                try
                {
                    if (session.IsConnected)
                    {
                        Run(ct => session.Backend.LogoutAsync(ct));
                    }
                }
                catch (Transport.CloudreveException ex)
                {
                    // The server may already have forgotten the login or be unreachable: the local
                    // session is still removed, the failure is reported.
                    WriteFailure(ex, session);
                }
                finally
                {
                    Provider.DriveMounter.Unmount(this, session);
                    SessionRegistry.Current.Remove(session);
                    session.IsConnected = false;
                    session.Backend.Dispose();
                }
            }
        }
    }
}

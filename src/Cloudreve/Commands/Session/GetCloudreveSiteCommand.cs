using System;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Site information: title, version, registration and captcha settings, current user.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveSite", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(CloudreveSiteInfo))]
    public sealed class GetCloudreveSiteCommand : CloudreveCmdlet
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
                    var site = Run(ct => backend.GetSiteInfoAsync(ct));
                    WriteObject(site);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, Uri);
                }
                finally
                {
                    backend?.Dispose();
                }

                return;
            }

            var session = SessionResolver.Resolve(this, Session);
            try
            {
                WriteObject(Run(ct => session.Backend.GetSiteInfoAsync(ct)));
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, session);
            }
        }
    }
}

using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Deletes direct links (Cloudreve 4.1 and later); the files stay.</summary>
    [Cmdlet(VerbsCommon.Remove, "CloudreveSourceLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveCloudreveSourceLinkCommand : CloudreveSessionCmdlet
    {
        /// <summary>Links from Get-CloudreveSourceLink.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveSourceLink[] InputObject { get; set; } = Array.Empty<CloudreveSourceLink>();

        protected override void ProcessRecord()
        {
            foreach (var link in InputObject)
            {
                try
                {
                    var session = link.Item?.Session ?? ResolveSession();
                    var backend = SourceLinks(session);
                    if (!ShouldProcess($"{link.Url} ({link.Item?.Path ?? link.Name})", "Delete direct link"))
                    {
                        continue;
                    }

                    Run(ct => backend.RemoveSourceLinkAsync(link, ct));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, link);
                }
            }
        }

        private static ICloudreveSourceLinkBackend SourceLinks(CloudreveSession session)
        {
            var version = Regex.Match(session.ServerVersion ?? string.Empty, @"^(\d+)\.(\d+)");
            var tooOld = version.Success && (int.Parse(version.Groups[1].Value) < 4 || int.Parse(version.Groups[1].Value) == 4 && int.Parse(version.Groups[2].Value) < 1);
            if (tooOld || !(session.Backend is ICloudreveSourceLinkBackend backend))
            {
                throw new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                    $"Removing direct links needs Cloudreve 4.1 or later; the server at {session.Uri} runs Cloudreve {session.ServerVersion}.");
            }

            return backend;
        }
    }
}

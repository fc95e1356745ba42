using System;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Gets a temporary download URL for files (absolute; valid for the server's download timeout).</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveDownloadUrl", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(string))]
    public sealed class GetCloudreveDownloadUrlCommand : CloudreveItemInputCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                if (!(item is CloudreveFile file))
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is a folder; only files have download URLs."), item.Path);
                    continue;
                }

                var session = SessionFor(item);
                if (!(session.Backend is ICloudreveDownloadBackend transfers))
                {
                    WriteFailure(FeatureSupport.NotSupported(session, "Download URLs (Get-CloudreveDownloadUrl)"), item.Path);
                    continue;
                }

                try
                {
                    var url = Run(ct => transfers.GetDownloadUrlAsync(file, ct));
                    WriteObject(url.AbsoluteUri);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, item.Path);
                }
            }
        }
    }
}

using System;
using System.Management.Automation;
using System.Security;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Shares files or folders and returns the share links.</summary>
    [Cmdlet(VerbsCommon.New, "CloudreveShare", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveShare))]
    public sealed class NewCloudreveShareCommand : CloudreveItemInputCmdlet
    {
        /// <summary>A password visitors must enter; none when omitted.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>How long the share works; forever when omitted.</summary>
        [Parameter]
        public TimeSpan? ExpireAfter { get; set; }

        /// <summary>How many downloads the share allows; unlimited when omitted.</summary>
        [Parameter]
        [ValidateRange(1, 100_000_000)]
        public int? DownloadLimit { get; set; }

        /// <summary>Let visitors preview files in the browser.</summary>
        [Parameter]
        public SwitchParameter AllowPreview { get; set; }

        protected override void BeginProcessing()
        {
            if (ExpireAfter.HasValue && ExpireAfter.Value <= TimeSpan.Zero)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, $"-ExpireAfter must be a positive time span; {ExpireAfter.Value} would make a share that has already expired.", ExpireAfter);
            }

            if (ExpireAfter.HasValue && ExpireAfter.Value.TotalSeconds > 50L * 365 * 24 * 3600)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "-ExpireAfter cannot exceed 50 years; omit it for a share that never expires.", ExpireAfter);
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                var session = SessionFor(item);
                if (!session.User.CanShare)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.PermissionDenied, $"The group '{session.GroupName}' may not create shares; '{item.Path}' was not shared."), item);
                    continue;
                }

                if (!ShouldProcess(item.Path, "Create share link"))
                {
                    continue;
                }

                var request = new ShareRequest
                {
                    Item = item,
                    Password = Password,
                    ExpireSeconds = ExpireAfter.HasValue ? (long)Math.Ceiling(ExpireAfter.Value.TotalSeconds) : (long?)null,
                    DownloadLimit = DownloadLimit,
                    AllowPreview = AllowPreview,
                };
                try
                {
                    var share = Run(ct => session.Services().CreateShareAsync(request, ct));
                    share.Session = session;
                    WriteObject(share);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, item);
                }
            }
        }
    }
}

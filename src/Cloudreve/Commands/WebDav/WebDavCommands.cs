using System;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Lists WebDAV accounts.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveWebDavAccount")]
    [OutputType(typeof(CloudreveWebDavAccount))]
    public sealed class GetCloudreveWebDavAccountCommand : CloudreveSessionCmdlet
    {
        /// <summary>Only accounts whose name matches (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string? Name { get; set; }

        /// <summary>Only the accounts with these ids.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[]? Id { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var pattern = string.IsNullOrEmpty(Name) ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
                foreach (var account in Run(ct => session.Services().GetWebDavAccountsAsync(ct)))
                {
                    if ((pattern == null || pattern.IsMatch(account.Name)) && (Id == null || Id.Contains(account.Id, StringComparer.Ordinal)))
                    {
                        account.Session = session;
                        account.UserName = session.UserName;
                        WriteObject(account);
                    }
                }
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, session);
            }
        }
    }

    /// <summary>Creates a WebDAV account limited to a folder.</summary>
    [Cmdlet(VerbsCommon.New, "CloudreveWebDavAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveWebDavAccount))]
    public sealed class NewCloudreveWebDavAccountCommand : CloudreveItemCmdletBase
    {
        /// <summary>A label for the account.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        public string Name { get; set; } = string.Empty;

        /// <summary>The folder the account sees as its root. It must exist.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteFolderCompleter))]
        public string Root { get; set; } = RemotePath.Root;

        /// <summary>Allow reading only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter ReadOnly { get; set; }

        /// <summary>Let the server proxy downloads for this account (when the group allows it).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter UseProxy { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var root = ToRemotePath(Root);
                if (!session.User.CanUseWebDav)
                {
                    throw new CloudreveException(CloudreveErrorKind.PermissionDenied, $"The group '{session.GroupName}' may not use WebDAV.");
                }

                // The server accepts any root, and an account whose root is missing sees the whole drive.
                if (Run(ct => Locator(session).FindFolderAsync(root, ct)) == null)
                {
                    throw new CloudreveException(CloudreveErrorKind.NotFound, $"The root folder '{root}' does not exist; create it first (an account with a missing root would see the whole drive).");
                }

                if (!ShouldProcess($"{Name} ({root})", "Create WebDAV account"))
                {
                    return;
                }

                var services = session.Services();
                var account = Run(ct => services.CreateWebDavAccountAsync(Name, root, ct));
                if (ReadOnly || UseProxy)
                {
                    Run(ct => services.SetWebDavAccountAsync(account.Id, ReadOnly ? true : (bool?)null, UseProxy ? true : (bool?)null, ct));
                    account.ReadOnly = ReadOnly;
                    account.UseProxy = UseProxy;
                }

                account.Session = session;
                account.UserName = session.UserName;
                WriteObject(account);
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, Name);
            }
        }
    }

    /// <summary>Changes the read-only and proxy flags of WebDAV accounts.</summary>
    [Cmdlet(VerbsCommon.Set, "CloudreveWebDavAccount", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveWebDavAccount))]
    public sealed class SetCloudreveWebDavAccountCommand : CloudreveWebDavTargetCmdlet
    {
        [Parameter]
        public bool? ReadOnly { get; set; }

        [Parameter]
        public bool? UseProxy { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (!ReadOnly.HasValue && !UseProxy.HasValue)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "Nothing to change: give -ReadOnly and/or -UseProxy.", null);
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var (session, id, display) in Targets())
            {
                if (!ShouldProcess(display, "Change account flags"))
                {
                    continue;
                }

                try
                {
                    var services = session.Services();
                    var existing = Run(ct => services.GetWebDavAccountsAsync(ct)).FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal)) ??
                        throw new CloudreveException(CloudreveErrorKind.NotFound, $"There is no WebDAV account with id {id}.");
                    Run(ct => services.SetWebDavAccountAsync(id, ReadOnly, UseProxy, ct));
                    if (PassThru)
                    {
                        existing.ReadOnly = ReadOnly ?? existing.ReadOnly;
                        existing.UseProxy = UseProxy ?? existing.UseProxy;
                        existing.Session = session;
                        existing.UserName = session.UserName;
                        WriteObject(existing);
                    }
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }

    /// <summary>Deletes WebDAV accounts.</summary>
    [Cmdlet(VerbsCommon.Remove, "CloudreveWebDavAccount", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveCloudreveWebDavAccountCommand : CloudreveWebDavTargetCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var (session, id, display) in Targets())
            {
                if (!ShouldProcess(display, "Delete"))
                {
                    continue;
                }

                try
                {
                    var services = session.Services();
                    // The server answers success for unknown ids; check so a typo is not a silent success.
                    if (!Run(ct => services.GetWebDavAccountsAsync(ct)).Any(a => string.Equals(a.Id, id, StringComparison.Ordinal)))
                    {
                        throw new CloudreveException(CloudreveErrorKind.NotFound, $"There is no WebDAV account with id {id}.");
                    }

                    Run(ct => services.RemoveWebDavAccountAsync(id, ct));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Base of the administrator cmdlets: one clear permission error for non-admin sessions.</summary>
    public abstract class CloudreveAdminCmdlet : CloudreveSessionCmdlet
    {
        private IReadOnlyList<CloudreveGroup>? _groups;

        protected CloudreveSession AdminSession { get; private set; } = null!;

        protected override void BeginProcessing()
        {
            AdminSession = ResolveSession();
            if (!AdminSession.IsAdmin)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new CloudreveException(CloudreveErrorKind.PermissionDenied,
                        $"{MyInvocation.MyCommand.Name} needs an administrator session; '{AdminSession.UserName}' is in the group '{AdminSession.GroupName}'."),
                    ErrorIds.For(CloudreveErrorKind.PermissionDenied), ErrorCategory.PermissionDenied, AdminSession));
            }
        }

        private protected ICloudreveServiceBackend Admin => AdminSession.Services();

        /// <summary>
        /// Accepts the numeric id the administrator API uses, or the hashid users see when the server
        /// allows mapping it (the session's own account).
        /// </summary>
        protected int ResolveUserId(string id)
        {
            if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) && numeric > 0)
            {
                return numeric;
            }

            if (string.Equals(id, AdminSession.UserId, StringComparison.Ordinal))
            {
                return Run(ct => Admin.GetOwnNumericIdAsync(ct));
            }

            throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                $"'{id}' is not a numeric user id. The server's administrator API takes numeric ids (the ID column of Get-CloudreveUser); a hashid can only be mapped for your own account.");
        }

        /// <summary>A group given by numeric id or by name.</summary>
        protected CloudreveGroup ResolveGroup(string group)
        {
            _groups ??= Run(ct => Admin.GetGroupsAsync(ct));
            var found = int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? _groups.FirstOrDefault(g => g.Id == id)
                : _groups.FirstOrDefault(g => string.Equals(g.Name, group, StringComparison.OrdinalIgnoreCase));
            return found ?? throw new CloudreveException(CloudreveErrorKind.NotFound,
                $"There is no group '{group}'. Groups: {string.Join(", ", _groups.Select(g => $"{g.Name} ({g.Id})"))}.");
        }

        protected CloudreveUser Attach(CloudreveUser user)
        {
            user.Session = AdminSession;
            return user;
        }
    }

    /// <summary>Cmdlets that act on users given by -Id or from the pipeline.</summary>
    public abstract class CloudreveUserTargetCmdlet : CloudreveAdminCmdlet
    {
        protected const string IdSet = "Id";
        protected const string InputObjectSet = "InputObject";

        /// <summary>Numeric user ids (or your own hashid).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
        [Alias("NumericId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Users from Get-CloudreveUser.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveUser[] InputObject { get; set; } = Array.Empty<CloudreveUser>();

        /// <summary>The targets of this pipeline input as (numeric id, display, target object); errors written for bad ids.</summary>
        protected System.Collections.Generic.IEnumerable<(int Id, string Display, object Target)> Targets()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var user in InputObject)
                {
                    if (user.NumericId.HasValue)
                    {
                        yield return (user.NumericId.Value, $"{user.UserName} (id {user.NumericId})", user);
                    }
                    else
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{user.UserName}' has no numeric id; get users with Get-CloudreveUser."), user);
                    }
                }

                yield break;
            }

            foreach (var raw in Id)
            {
                int id;
                try
                {
                    id = ResolveUserId(raw);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, raw);
                    continue;
                }

                yield return (id, $"user {id}", raw);
            }
        }

        /// <summary>Blocks or unblocks the targets; the first user can never be blocked.</summary>
        protected void SetBanned(bool banned, bool passThru)
        {
            foreach (var (id, display, target) in Targets())
            {
                if (banned && id == 1)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, "The first user (id 1) cannot be blocked."), target);
                    continue;
                }

                if (!ShouldProcess(display, banned ? "Block user" : "Unblock user"))
                {
                    continue;
                }

                try
                {
                    Run(ct => Admin.SetUserBannedAsync(id, banned, ct));
                    if (passThru)
                    {
                        WriteObject(Attach(Run(ct => Admin.GetUserAsync(id, ct))));
                    }
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(SetCloudreveUserCommand.Explain(ex, id), target);
                }
            }
        }
    }
}

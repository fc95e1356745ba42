using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Gets users by id, or lists all users (every page) with filters. Administrators only.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveUser", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(CloudreveUser))]
    public sealed class GetCloudreveUserCommand : CloudreveAdminCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
        [Alias("NumericId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Only users of this group (name or numeric id).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Group { get; set; }

        /// <summary>Only users with this status.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public CloudreveUserStatus? Status { get; set; }

        /// <summary>Only users whose nickname contains this text.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? NickName { get; set; }

        /// <summary>Only users whose e-mail address contains this text.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Email { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet)
            {
                foreach (var raw in Id)
                {
                    try
                    {
                        var id = ResolveUserId(raw);
                        WriteObject(Attach(Run(ct => Admin.GetUserAsync(id, ct))));
                    }
                    catch (CloudreveException ex)
                    {
                        WriteFailure(ex.ServerCode == 40021 ? new CloudreveException(CloudreveErrorKind.NotFound, $"There is no user with id {raw}.", ex) : ex, raw);
                    }
                }

                return;
            }

            try
            {
                var query = new UserQuery { Status = Status, NickName = NickName, Email = Email };
                if (Group != null)
                {
                    query.GroupId = ResolveGroup(Group).Id;
                }

                foreach (var user in Run(ct => Admin.FindUsersAsync(query, ct)))
                {
                    WriteObject(Attach(user));
                }
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, Group ?? (object?)Email ?? NickName);
            }
        }
    }

    /// <summary>Creates a user account. Administrators only.</summary>
    [Cmdlet(VerbsCommon.New, "CloudreveUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveUser))]
    public sealed class NewCloudreveUserCommand : CloudreveAdminCmdlet
    {
        /// <summary>The login e-mail address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName")]
        [ValidatePattern(@"^[^@\s]+@[^@\s]+$")]
        public string Email { get; set; } = string.Empty;

        /// <summary>The initial password (4 to 64 characters).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public SecureString Password { get; set; } = null!;

        /// <summary>The display name; the part of the e-mail before @ when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? NickName { get; set; }

        /// <summary>The group, by name or numeric id (default: the built-in group for registered users, id 2).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; } = "2";

        protected override void ProcessRecord()
        {
            try
            {
                if (Password.Length < 4 || Password.Length > 64)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "The password must be 4 to 64 characters long.");
                }

                var group = ResolveGroup(Group);
                var nick = string.IsNullOrEmpty(NickName) ? Email.Substring(0, Email.IndexOf('@')) : NickName!;
                if (!ShouldProcess($"{Email} in group {group.Name}", "Create user"))
                {
                    return;
                }

                if (Run(ct => Admin.FindUsersAsync(new UserQuery { Email = Email }, ct)).Any(u => string.Equals(u.UserName, Email, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict, $"A user with the e-mail address '{Email}' already exists.");
                }

                var id = Run(ct => Admin.CreateUserAsync(Email, nick, group.Id, Password, ct));
                WriteObject(Attach(Run(ct => Admin.GetUserAsync(id, ct))));
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, Email);
            }
        }
    }

    /// <summary>Changes a user's nickname, e-mail, group or password. Administrators only.</summary>
    [Cmdlet(VerbsCommon.Set, "CloudreveUser", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveUser))]
    public sealed class SetCloudreveUserCommand : CloudreveUserTargetCmdlet
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? NickName { get; set; }

        [Parameter]
        [ValidatePattern(@"^[^@\s]+@[^@\s]+$")]
        public string? Email { get; set; }

        /// <summary>The new group, by name or numeric id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Group { get; set; }

        /// <summary>A new password (4 to 64 characters).</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (NickName == null && Email == null && Group == null && Password == null)
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "Nothing to change: give -NickName, -Email, -Group or -Password.", null);
            }

            if (Password != null && (Password.Length < 4 || Password.Length > 64))
            {
                ThrowFailure(CloudreveErrorKind.InvalidArgument, "The password must be 4 to 64 characters long.", null);
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var (id, display, target) in Targets())
            {
                try
                {
                    var changes = new UserChanges { NickName = NickName, Email = Email, Password = Password };
                    if (Group != null)
                    {
                        changes.GroupId = ResolveGroup(Group).Id;
                    }

                    if (!ShouldProcess(display, "Change user"))
                    {
                        continue;
                    }

                    Run(ct => Admin.UpdateUserAsync(id, changes, ct));
                    if (PassThru)
                    {
                        WriteObject(Attach(Run(ct => Admin.GetUserAsync(id, ct))));
                    }
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(Explain(ex, id), target);
                }
            }
        }

        internal static CloudreveException Explain(CloudreveException ex, int id)
        {
            switch (ex.ServerCode)
            {
                case 40021: return new CloudreveException(CloudreveErrorKind.NotFound, $"There is no user with id {id}.", ex);
                case 40042: return new CloudreveException(CloudreveErrorKind.InvalidArgument, "The first user must stay in the administrator group.", ex);
                case 40043: return new CloudreveException(CloudreveErrorKind.InvalidArgument, "The first user cannot be blocked, deleted or deactivated.", ex);
                default: return ex;
            }
        }
    }

    /// <summary>Deletes users with all their files. Administrators only.</summary>
    [Cmdlet(VerbsCommon.Remove, "CloudreveUser", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveCloudreveUserCommand : CloudreveUserTargetCmdlet
    {
        private readonly List<(int Id, object Target)> _pending = new List<(int, object)>();

        protected override void ProcessRecord()
        {
            foreach (var (id, display, target) in Targets())
            {
                if (id == 1)
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, "The first user (id 1) cannot be deleted."), target);
                    continue;
                }

                if (!ShouldProcess(display, "Delete user and all their files"))
                {
                    continue;
                }

                try
                {
                    // The server skips unknown ids silently: check, so a typo is not a silent success.
                    Run(ct => Admin.GetUserAsync(id, ct));
                    _pending.Add((id, target));
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(SetCloudreveUserCommand.Explain(ex, id), target);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_pending.Count == 0)
            {
                return;
            }

            try
            {
                Run(ct => Admin.RemoveUsersAsync(_pending.Select(p => p.Id).Distinct().ToList(), ct));
            }
            catch (CloudreveException ex)
            {
                foreach (var (id, target) in _pending)
                {
                    WriteFailure(SetCloudreveUserCommand.Explain(ex, id), target);
                }
            }
        }
    }

    /// <summary>Blocks users from logging in (ban). Administrators only.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "CloudreveUser", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveUser))]
    public sealed class DisableCloudreveUserCommand : CloudreveUserTargetCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => SetBanned(banned: true, PassThru);
    }

    /// <summary>Lets blocked users log in again. Administrators only.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "CloudreveUser", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveUser))]
    public sealed class EnableCloudreveUserCommand : CloudreveUserTargetCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => SetBanned(banned: false, PassThru);
    }

    /// <summary>Lists user groups. Administrators only.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveGroup")]
    [OutputType(typeof(CloudreveGroup))]
    public sealed class GetCloudreveGroupCommand : CloudreveAdminCmdlet
    {
        /// <summary>Only groups whose name matches (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string? Name { get; set; }

        /// <summary>Only the groups with these numeric ids.</summary>
        [Parameter]
        [Alias("GroupId")]
        public int[]? Id { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var pattern = string.IsNullOrEmpty(Name) ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
                foreach (var group in Run(ct => Admin.GetGroupsAsync(ct)))
                {
                    if ((pattern == null || pattern.IsMatch(group.Name)) && (Id == null || Id.Contains(group.Id)))
                    {
                        WriteObject(group);
                    }
                }
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, Name);
            }
        }
    }
}

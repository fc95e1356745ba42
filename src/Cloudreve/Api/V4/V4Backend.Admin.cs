using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>User and group administration on Cloudreve 4 (reference section 14). Ids are integers here.</summary>
    internal sealed partial class V4Backend
    {
        private const int AdminPageSize = 100;

        public async Task<CloudreveUser> GetUserAsync(int numericId, CancellationToken cancellationToken) =>
            ToAdminUser(await ReadAdminUserAsync(numericId, cancellationToken).ConfigureAwait(false));

        public async Task<IReadOnlyList<CloudreveUser>> FindUsersAsync(UserQuery query, CancellationToken cancellationToken)
        {
            var request = new V4AdminListRequest { PageSize = AdminPageSize };
            if (query.GroupId.HasValue)
            {
                request.Conditions["user_group"] = query.GroupId.Value.ToString(CultureInfo.InvariantCulture);
            }

            if (query.Status.HasValue)
            {
                request.Conditions["user_status"] = StatusName(query.Status.Value);
            }

            if (!string.IsNullOrEmpty(query.Email))
            {
                request.Conditions["user_email"] = query.Email!;
            }

            if (!string.IsNullOrEmpty(query.NickName))
            {
                request.Conditions["user_nick"] = query.NickName!;
            }

            var all = new List<CloudreveUser>();
            for (request.Page = 1; ; request.Page++)
            {
                var list = await CallAsync<V4AdminUserList>(HttpMethod.Post, "admin/user", request, "Listing users", true, cancellationToken).ConfigureAwait(false);
                var items = list.Users ?? Array.Empty<V4AdminUser>();
                all.AddRange(items.Select(ToAdminUser));
                if (items.Length == 0 || (long)request.Page * request.PageSize >= (list.Pagination?.TotalItems ?? 0))
                {
                    break;
                }
            }

            // Filter here too, so both conditions must match whatever the server does with two of them.
            return all.Where(u =>
                (string.IsNullOrEmpty(query.Email) || u.UserName.IndexOf(query.Email!, StringComparison.OrdinalIgnoreCase) >= 0) &&
                (string.IsNullOrEmpty(query.NickName) || u.NickName.IndexOf(query.NickName!, StringComparison.OrdinalIgnoreCase) >= 0)).ToList();
        }

        public async Task<int> CreateUserAsync(string email, string nickName, int groupId, SecureString password, CancellationToken cancellationToken)
        {
            var body = new V4AdminUserSave
            {
                User = new V4AdminUserWrite { Email = email, Nick = nickName, GroupUsers = groupId, Status = "active" },
                Password = Secrets.Unprotect(password),
            };
            try
            {
                var created = await CallAsync<V4AdminUser>(HttpMethod.Put, "admin/user", body, $"Creating the user '{email}'", true, cancellationToken).ConfigureAwait(false);
                return created.Id;
            }
            finally
            {
                body.Password = null;
            }
        }

        public async Task UpdateUserAsync(int numericId, UserChanges changes, CancellationToken cancellationToken)
        {
            // PUT /admin/user/{id} writes email, nick, avatar, status and group_users from the body every time
            // (missing ones are blanked), takes the id from the body, and clears 2FA whenever two_fa is sent:
            // read the user, send every column back, change only what was asked, never send two_fa.
            var current = await ReadAdminUserAsync(numericId, cancellationToken).ConfigureAwait(false);
            var body = new V4AdminUserSave
            {
                User = new V4AdminUserWrite
                {
                    Id = current.Id,
                    Email = changes.Email ?? current.Email ?? string.Empty,
                    Nick = changes.NickName ?? current.Nick ?? string.Empty,
                    Avatar = current.Avatar ?? string.Empty,
                    Status = changes.Status.HasValue ? StatusName(changes.Status.Value) : (string.IsNullOrEmpty(current.Status) ? "active" : current.Status!),
                    GroupUsers = changes.GroupId ?? current.GroupUsers,
                },
                Password = changes.Password == null || changes.Password.Length == 0 ? null : Secrets.Unprotect(changes.Password),
            };
            try
            {
                await CallAsync(HttpMethod.Put, "admin/user/" + current.Id.ToString(CultureInfo.InvariantCulture), body, $"Updating user {numericId}", true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                body.Password = null;
            }
        }

        public Task RemoveUsersAsync(IReadOnlyList<int> numericIds, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, "admin/user/batch/delete", new V4IntIds { Ids = numericIds.ToArray() },
                numericIds.Count == 1 ? $"Deleting user {numericIds[0]}" : $"Deleting {numericIds.Count} users", true, cancellationToken);

        public async Task<CloudreveUserStatus> SetUserBannedAsync(int numericId, bool banned, CancellationToken cancellationToken)
        {
            var user = await GetUserAsync(numericId, cancellationToken).ConfigureAwait(false);
            var isBanned = user.Status != CloudreveUserStatus.Active;
            if (isBanned == banned)
            {
                return user.Status;
            }

            var status = banned ? CloudreveUserStatus.Banned : CloudreveUserStatus.Active;
            await UpdateUserAsync(numericId, new UserChanges { Status = status }, cancellationToken).ConfigureAwait(false);
            return status;
        }

        public async Task<IReadOnlyList<CloudreveGroup>> GetGroupsAsync(CancellationToken cancellationToken)
        {
            var request = new V4AdminListRequest { PageSize = AdminPageSize };
            var all = new List<CloudreveGroup>();
            for (request.Page = 1; ; request.Page++)
            {
                var list = await CallAsync<V4AdminGroupList>(HttpMethod.Post, "admin/group", request, "Listing groups", true, cancellationToken).ConfigureAwait(false);
                var items = list.Groups ?? Array.Empty<V4AdminGroup>();
                all.AddRange(items.Select(ToGroup));
                if (items.Length == 0 || (long)request.Page * request.PageSize >= (list.Pagination?.TotalItems ?? 0))
                {
                    return all;
                }
            }
        }

        /// <summary>/user/me gives only the hashid; the administrator list by e-mail gives the integer id.</summary>
        public async Task<int> GetOwnNumericIdAsync(CancellationToken cancellationToken)
        {
            var me = await CallAsync<V4User>(HttpMethod.Get, "user/me", null, "Reading the account", true, cancellationToken).ConfigureAwait(false);
            var users = await FindUsersAsync(new UserQuery { Email = me.Email }, cancellationToken).ConfigureAwait(false);
            var mine = users.FirstOrDefault(u => string.Equals(u.UserName, me.Email, StringComparison.OrdinalIgnoreCase) && string.Equals(u.Id, me.Id, StringComparison.Ordinal));
            return mine?.NumericId ?? throw new CloudreveException(CloudreveErrorKind.NotFound, "The server's user list does not contain the logged-in account.");
        }

        /// <summary>An unknown or deleted id answers 50001 "Failed to get user", not 404 (cap 157).</summary>
        private async Task<V4AdminUser> ReadAdminUserAsync(int numericId, CancellationToken cancellationToken)
        {
            try
            {
                return await CallAsync<V4AdminUser>(HttpMethod.Get, "admin/user/" + numericId.ToString(CultureInfo.InvariantCulture), null, $"Reading user {numericId}", true, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.ServerCode == 50001)
            {
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"There is no user with id {numericId}.", ex);
            }
        }

        private static string StatusName(CloudreveUserStatus status)
        {
            switch (status)
            {
                case CloudreveUserStatus.NotActivated: return "inactive";
                case CloudreveUserStatus.Banned: return "manual_banned";
                case CloudreveUserStatus.OverUseBanned: return "sys_banned";
                default: return "active";
            }
        }

        private static CloudreveGroup ToGroup(V4AdminGroup g)
        {
            var permissions = GroupPermissions.Parse(g.Permissions);
            return new CloudreveGroup
            {
                Id = g.Id,
                Name = g.Name ?? string.Empty,
                MaxStorage = g.MaxStorage,
                ShareEnabled = permissions.Has(GroupPermissions.Share),
                WebDavEnabled = permissions.Has(GroupPermissions.WebDav),
                AdvancedDelete = permissions.Has(GroupPermissions.AdvanceDelete),
                SourceLinkBatchLimit = g.Settings?.SourceBatch ?? 0,
                UserCount = g.TotalUsers,
            };
        }

        private static CloudreveUser ToAdminUser(V4AdminUser u)
        {
            var group = u.Edges?.Group;
            var permissions = GroupPermissions.Parse(group?.Permissions);
            var created = ParseTime(u.CreatedAt);
            return new CloudreveUser
            {
                Id = u.HashId,
                NumericId = u.Id,
                UserName = u.Email ?? string.Empty,
                NickName = u.Nick ?? string.Empty,
                Status = ToStatus(u.Status),
                GroupId = u.GroupUsers,
                GroupName = group?.Name ?? string.Empty,
                Created = created == default ? (DateTimeOffset?)null : created,
                IsAdmin = permissions.Has(GroupPermissions.IsAdmin),
                StorageUsed = u.Storage,
                TwoFactorEnabled = u.TwoFaEnabled,
                CanShare = permissions.Has(GroupPermissions.Share),
                CanUseWebDav = permissions.Has(GroupPermissions.WebDav),
                CanArchiveDownload = permissions.Has(GroupPermissions.ArchiveDownload),
                CanAdvancedDelete = permissions.Has(GroupPermissions.AdvanceDelete),
                SourceLinkBatchLimit = group?.Settings?.SourceBatch ?? 0,
            };
        }
    }
}

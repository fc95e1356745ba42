using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>What a new share should do, as the user states it.</summary>
    internal sealed class ShareRequest
    {
        public CloudreveItem Item { get; set; } = null!;

        public SecureString? Password { get; set; }

        /// <summary>Seconds until the share expires; null = never.</summary>
        public long? ExpireSeconds { get; set; }

        /// <summary>Downloads allowed; null = unlimited.</summary>
        public int? DownloadLimit { get; set; }

        public bool AllowPreview { get; set; }
    }

    /// <summary>Changes to a user account (administrator); null members stay as they are.</summary>
    internal sealed class UserChanges
    {
        public string? Email { get; set; }

        public string? NickName { get; set; }

        public int? GroupId { get; set; }

        public CloudreveUserStatus? Status { get; set; }

        public SecureString? Password { get; set; }
    }

    /// <summary>Filters for listing users (administrator); null members do not filter.</summary>
    internal sealed class UserQuery
    {
        public int? GroupId { get; set; }

        public CloudreveUserStatus? Status { get; set; }

        public string? NickName { get; set; }

        public string? Email { get; set; }
    }

    /// <summary>Shares, direct links, WebDAV accounts and user administration, version-neutral.</summary>
    internal interface ICloudreveServiceBackend
    {
        Task<CloudreveShare> CreateShareAsync(ShareRequest request, CancellationToken cancellationToken);

        /// <summary>All shares of the user, every page.</summary>
        Task<IReadOnlyList<CloudreveShare>> GetSharesAsync(CancellationToken cancellationToken);

        Task SetSharePasswordAsync(string key, SecureString? password, CancellationToken cancellationToken);

        Task SetSharePreviewAsync(string key, bool allowPreview, CancellationToken cancellationToken);

        Task RemoveShareAsync(string key, CancellationToken cancellationToken);

        /// <summary>Direct links for files whose names are unique within the call; the caller batches.</summary>
        Task<IReadOnlyList<CloudreveSourceLink>> GetSourceLinksAsync(IReadOnlyList<CloudreveFile> files, CancellationToken cancellationToken);

        Task<IReadOnlyList<CloudreveWebDavAccount>> GetWebDavAccountsAsync(CancellationToken cancellationToken);

        Task<CloudreveWebDavAccount> CreateWebDavAccountAsync(string name, string root, CancellationToken cancellationToken);

        Task SetWebDavAccountAsync(string id, bool? readOnly, bool? useProxy, CancellationToken cancellationToken);

        Task RemoveWebDavAccountAsync(string id, CancellationToken cancellationToken);

        Task<CloudreveUser> GetUserAsync(int numericId, CancellationToken cancellationToken);

        Task<IReadOnlyList<CloudreveUser>> FindUsersAsync(UserQuery query, CancellationToken cancellationToken);

        Task<int> CreateUserAsync(string email, string nickName, int groupId, SecureString password, CancellationToken cancellationToken);

        Task UpdateUserAsync(int numericId, UserChanges changes, CancellationToken cancellationToken);

        Task RemoveUsersAsync(IReadOnlyList<int> numericIds, CancellationToken cancellationToken);

        /// <summary>Bans (true) or re-activates (false) a user; returns the new status.</summary>
        Task<CloudreveUserStatus> SetUserBannedAsync(int numericId, bool banned, CancellationToken cancellationToken);

        Task<IReadOnlyList<CloudreveGroup>> GetGroupsAsync(CancellationToken cancellationToken);

        /// <summary>The numeric id of the logged-in user.</summary>
        Task<int> GetOwnNumericIdAsync(CancellationToken cancellationToken);
    }
}

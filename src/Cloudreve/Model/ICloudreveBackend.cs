using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>What a login attempt led to.</summary>
    internal sealed class LoginOutcome
    {
        private LoginOutcome(CloudreveUser? user) => User = user;

        public CloudreveUser? User { get; }

        public bool SecondFactorRequired => User == null;

        public static LoginOutcome Success(CloudreveUser user) => new LoginOutcome(user);

        public static LoginOutcome NeedsSecondFactor() => new LoginOutcome(null);
    }

    /// <summary>
    /// The version-neutral operations the cmdlets and the provider need. One implementation per
    /// server API generation (v3 now); cmdlets never see routes or JSON.
    /// </summary>
    internal interface ICloudreveBackend : IDisposable
    {
        /// <summary>The API generation this backend speaks, for example "v3".</summary>
        string ApiVersion { get; }

        Uri SiteUri { get; }

        /// <summary>Called once when an authenticated request finds the login gone; it must log in again or throw.</summary>
        Func<CancellationToken, Task>? Reauthenticate { get; set; }

        /// <summary>Checks that the site is a Cloudreve server of this API generation and returns its version.</summary>
        Task<string> GetServerVersionAsync(CancellationToken cancellationToken);

        Task<CloudreveSiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken);

        Task<LoginOutcome> LoginAsync(string userName, SecureString password, CancellationToken cancellationToken);

        Task<CloudreveUser> SubmitSecondFactorAsync(string code, CancellationToken cancellationToken);

        Task LogoutAsync(CancellationToken cancellationToken);

        /// <summary>The logged-in user, or null when the session is not (or no longer) logged in. Never re-authenticates.</summary>
        Task<CloudreveUser?> GetCurrentUserAsync(CancellationToken cancellationToken);

        Task<CloudreveQuota> GetQuotaAsync(CancellationToken cancellationToken);

        // ---- items (paths are normalised remote paths, see RemotePath) ----

        /// <summary>The folder and its direct children. A missing folder (or a file) is NotFound.</summary>
        Task<FolderListing> ListAsync(string folderPath, CancellationToken cancellationToken);

        /// <summary>Creates a folder and any missing parents; an existing folder is not an error.</summary>
        Task CreateFolderAsync(string folderPath, CancellationToken cancellationToken);

        /// <summary>Creates an empty file (parents are created as needed). Returns nothing: look the file up.</summary>
        Task CreateFileAsync(string filePath, CancellationToken cancellationToken);

        /// <summary>Deletes items (any folders, recursively). <paramref name="force"/> and <paramref name="unlink"/> need the group's advanced delete.</summary>
        Task DeleteAsync(IReadOnlyCollection<CloudreveItem> items, bool force, bool unlink, CancellationToken cancellationToken);

        /// <summary>Moves items that are all direct children of <paramref name="sourceFolder"/> into <paramref name="destinationFolder"/>.</summary>
        Task MoveAsync(string sourceFolder, IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken);

        /// <summary>Copies one item into <paramref name="destinationFolder"/>.</summary>
        Task CopyAsync(CloudreveItem item, string destinationFolder, CancellationToken cancellationToken);

        Task RenameAsync(CloudreveItem item, string newName, CancellationToken cancellationToken);

        Task<CloudreveItemProperty> GetPropertyAsync(CloudreveItem item, CancellationToken cancellationToken);

    }
}

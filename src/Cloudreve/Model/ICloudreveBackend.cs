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
        private LoginOutcome(CloudreveUser? user, string? pendingLogin)
        {
            User = user;
            PendingLogin = pendingLogin;
        }

        public CloudreveUser? User { get; }

        public bool SecondFactorRequired => User == null;

        /// <summary>
        /// What the backend needs to finish a login with a second factor: the server's login-session id where
        /// the server hands one out (v4), null where the server keeps it in the cookie (v3). Not a secret on its
        /// own, but never shown.
        /// </summary>
        internal string? PendingLogin { get; }

        public static LoginOutcome Success(CloudreveUser user) => new LoginOutcome(user, null);

        public static LoginOutcome NeedsSecondFactor(string? pendingLogin = null) => new LoginOutcome(null, pendingLogin);
    }

    /// <summary>
    /// The version-neutral operations the cmdlets and the provider need. One implementation per
    /// server API generation (Api/V3, Api/V4); cmdlets never see routes, JSON, cookies or tokens.
    /// </summary>
    internal interface ICloudreveBackend : IDisposable
    {
        /// <summary>The API generation this backend speaks: "v3" or "v4".</summary>
        string ApiVersion { get; }

        Uri SiteUri { get; }

        /// <summary>Called once when an authenticated request finds the login gone; it must log in again or throw.</summary>
        Func<CancellationToken, Task>? Reauthenticate { get; set; }

        /// <summary>Checks that the site is a Cloudreve server of this API generation and returns its version.</summary>
        Task<string> GetServerVersionAsync(CancellationToken cancellationToken);

        Task<CloudreveSiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken);

        /// <summary>
        /// Logs in with a password. How the login is kept (a cookie on v3, access and refresh tokens on v4) is
        /// the backend's business; callers only see the user or that a second factor is needed.
        /// </summary>
        Task<LoginOutcome> LoginAsync(string userName, SecureString password, CancellationToken cancellationToken);

        /// <summary>Finishes a login that <see cref="LoginAsync"/> left waiting for a second factor.</summary>
        Task<CloudreveUser> SubmitSecondFactorAsync(LoginOutcome pending, string code, CancellationToken cancellationToken);

        /// <summary>Ends the login on the server (v3: the cookie session; v4: revokes the refresh token) and forgets it here.</summary>
        Task LogoutAsync(CancellationToken cancellationToken);

        /// <summary>The logged-in user, or null when the session is not (or no longer) logged in. Never re-authenticates.</summary>
        Task<CloudreveUser?> GetCurrentUserAsync(CancellationToken cancellationToken);

        Task<CloudreveQuota> GetQuotaAsync(CancellationToken cancellationToken);

        // ---- items (paths are normalised remote paths, see RemotePath) ----

        /// <summary>The folder and its direct children. A missing folder (or a file) is NotFound.</summary>
        Task<FolderListing> ListAsync(string folderPath, CancellationToken cancellationToken);

        /// <summary>
        /// The same listing read page by page, one request per page asked for (v3: its single response), so items
        /// can stream as pages arrive and paging stops when the reader stops. Opening makes no request.
        /// </summary>
        IListingPager OpenListing(string folderPath);

        /// <summary>Creates a folder and any missing parents; an existing folder is not an error.</summary>
        Task CreateFolderAsync(string folderPath, CancellationToken cancellationToken);

        /// <summary>Creates an empty file (parents are created as needed). Returns nothing: look the file up.</summary>
        Task CreateFileAsync(string filePath, CancellationToken cancellationToken);

        /// <summary>Deletes items (any folders, recursively). <paramref name="force"/> and <paramref name="unlink"/> need the group's advanced delete.</summary>
        Task DeleteAsync(IReadOnlyCollection<CloudreveItem> items, bool force, bool unlink, CancellationToken cancellationToken);

        /// <summary>
        /// Moves items, which may come from different folders, into <paramref name="destinationFolder"/> in as few
        /// requests as the server allows. Failures are reported item by item in the outcome, not thrown.
        /// </summary>
        Task<BatchOutcome> MoveAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken);

        /// <summary>Copies items (folders with their content), from any folders, into <paramref name="destinationFolder"/>; failures as for <see cref="MoveAsync"/>.</summary>
        Task<BatchOutcome> CopyAsync(IReadOnlyCollection<CloudreveItem> items, string destinationFolder, CancellationToken cancellationToken);

        Task RenameAsync(CloudreveItem item, string newName, CancellationToken cancellationToken);

        Task<CloudreveItemProperty> GetPropertyAsync(CloudreveItem item, CancellationToken cancellationToken);

    }
}

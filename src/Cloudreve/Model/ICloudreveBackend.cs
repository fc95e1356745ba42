using System;
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
    }
}

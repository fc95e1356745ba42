using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Api.V3;
using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>Creates backends for a site and performs the login steps that do not need the user.</summary>
    internal static class CloudreveConnector
    {
        /// <summary>Test seam: lets in-process tests put a handler under the transport.</summary>
        internal static Func<TransportOptions, ICloudreveBackend>? BackendFactoryOverride { get; set; }

        public static ICloudreveBackend CreateBackend(Uri siteUri, bool skipCertificateCheck)
        {
            var options = new TransportOptions(siteUri) { SkipCertificateCheck = skipCertificateCheck };
            var factory = BackendFactoryOverride;
            return factory != null ? factory(options) : new V3Backend(new CloudreveTransport(options));
        }

        /// <summary>
        /// Logs in again after the server forgot the login. Works without the user when the account has
        /// no second factor or when the TOTP secret was given at connect time.
        /// </summary>
        public static async Task ReauthenticateAsync(CloudreveSession session, CancellationToken cancellationToken)
        {
            var credential = session.Credential ??
                throw new CloudreveException(CloudreveErrorKind.SessionExpired, "The login has expired and no credential is stored. Run Connect-Cloudreve again.");
            var outcome = await session.Backend.LoginAsync(credential.UserName, credential.Password, cancellationToken).ConfigureAwait(false);
            if (!outcome.SecondFactorRequired)
            {
                session.User = outcome.User!;
                return;
            }

            if (session.TotpSecret == null)
            {
                throw new CloudreveException(CloudreveErrorKind.SessionExpired,
                    $"The login of '{credential.UserName}' has expired and the account needs a two-factor code. Run Connect-Cloudreve again (use -TotpSecret for unattended scripts).");
            }

            session.User = await session.Backend.SubmitSecondFactorAsync(outcome, TotpCode.Compute(session.TotpSecret, DateTime.UtcNow), cancellationToken).ConfigureAwait(false);
        }

        public static CloudreveSession CreateSession(ICloudreveBackend backend, CloudreveUser user, CloudreveSiteInfo site, PSCredential credential, SecureString? totpSecret)
        {
            var session = new CloudreveSession(backend, user, site.Version, site.Title)
            {
                Credential = credential,
                TotpSecret = totpSecret?.Copy(),
            };
            session.TotpSecret?.MakeReadOnly();
            backend.Reauthenticate = ct => ReauthenticateAsync(session, ct);
            return session;
        }
    }
}

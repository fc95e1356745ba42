using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using System.Net.Http;
using Cloudreve.Api;
using Cloudreve.Api.V3;
using Cloudreve.Api.V4;
using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>Creates backends for a site and performs the login steps that do not need the user.</summary>
    internal static class CloudreveConnector
    {
        /// <summary>Test seam: lets in-process tests put a handler under the transport.</summary>
        internal static Func<TransportOptions, ICloudreveBackend>? BackendFactoryOverride { get; set; }

        /// <summary>
        /// Finds out which API generation the site speaks and returns the backend for it: GET /api/v4/site/ping
        /// first (a Cloudreve 4 server answers its version, a 3.x server a plain-text 404), else the v3 backend,
        /// which checks /api/v3/site/ping itself when it is first used.
        /// </summary>
        public static async Task<ICloudreveBackend> CreateBackendAsync(Uri siteUri, bool skipCertificateCheck, CancellationToken cancellationToken)
        {
            var options = new TransportOptions(siteUri) { SkipCertificateCheck = skipCertificateCheck };
            var factory = BackendFactoryOverride;
            if (factory != null)
            {
                return factory(options);
            }

            var transport = new CloudreveTransport(options);
            try
            {
                var version = await ProbeV4Async(transport, cancellationToken).ConfigureAwait(false);
                return version != null ? new V4Backend(transport, version) : (ICloudreveBackend)new V3Backend(transport);
            }
            catch
            {
                transport.Dispose();
                throw;
            }
        }

        /// <summary>The Cloudreve 4 version the site reports, or null when it does not answer as Cloudreve 4.</summary>
        private static async Task<string?> ProbeV4Async(CloudreveTransport transport, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(transport.SiteUri, "api/v4/site/ping"));
            using var response = await transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return V4Backend.ReadPingVersion(await ApiEnvelope.ReadAsync(response).ConfigureAwait(false));
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

using System;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;
using Envelope = Cloudreve.Api.ApiEnvelope;

namespace Cloudreve.Api.V3
{
    /// <summary>The Cloudreve 3.x adapter: v3 routes, wire DTOs and the envelope, on top of the transport.</summary>
    internal sealed partial class V3Backend : ICloudreveBackend
    {
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions();

        private readonly CloudreveTransport _transport;
        private readonly LoginRenewal _renewal = new LoginRenewal();

        public V3Backend(CloudreveTransport transport)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        public string ApiVersion => "v3";

        public Uri SiteUri => _transport.SiteUri;

        public Func<CancellationToken, Task>? Reauthenticate { get; set; }

        internal CloudreveTransport Transport => _transport;

        public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken)
        {
            var envelope = await TrySendAsync(HttpMethod.Get, "site/ping", null, cancellationToken).ConfigureAwait(false);
            if (envelope != null && envelope.Code == 0 && envelope.Data.HasValue && envelope.Data.Value.ValueKind == JsonValueKind.String)
            {
                return envelope.Data.Value.GetString() ?? string.Empty;
            }

            // Not a v3 answer. The connector asks /api/v4/site/ping before it picks this backend, so a
            // Cloudreve 4 server never gets here: the address is not a Cloudreve server.
            throw new CloudreveException(CloudreveErrorKind.NotACloudreveServer,
                $"The server at {SiteUri} did not answer as a Cloudreve server: GET /api/v3/site/ping gave no Cloudreve version. Check the address.");
        }

        public async Task<CloudreveSiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken)
        {
            var version = await GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
            var config = await CallAsync<V3SiteConfig>(HttpMethod.Get, "site/config", null, "Reading the site configuration", false, cancellationToken).ConfigureAwait(false);
            return new CloudreveSiteInfo
            {
                Uri = SiteUri,
                Title = config.Title ?? string.Empty,
                Version = version,
                RegistrationEnabled = config.RegisterEnabled,
                EmailActivation = config.EmailActive,
                LoginCaptcha = config.LoginCaptcha,
                RegisterCaptcha = config.RegCaptcha,
                ForgotPasswordCaptcha = config.ForgetCaptcha,
                CaptchaType = config.CaptchaType ?? string.Empty,
                WebAuthnEnabled = config.Authn,
                User = config.User == null || config.User.Anonymous ? null : ToUser(config.User),
            };
        }

        public async Task<LoginOutcome> LoginAsync(string userName, SecureString password, CancellationToken cancellationToken)
        {
            var body = new V3LoginRequest { UserName = userName, Password = Secrets.Unprotect(password) };
            var envelope = await SendAsync(HttpMethod.Post, "user/session", body, "Logging in", false, cancellationToken).ConfigureAwait(false);
            body.Password = string.Empty;
            if (envelope.Code == V3Errors.PartialSuccess)
            {
                return LoginOutcome.NeedsSecondFactor();
            }

            ThrowIfError(envelope, $"Logging in as '{userName}'");
            return LoginOutcome.Success(ToUser(Deserialize<V3User>(envelope, "Logging in")));
        }

        /// <summary>3.x keeps the half-finished login in the session cookie; <paramref name="pending"/> carries nothing.</summary>
        public async Task<CloudreveUser> SubmitSecondFactorAsync(LoginOutcome pending, string code, CancellationToken cancellationToken)
        {
            var user = await CallAsync<V3User>(HttpMethod.Post, "user/2fa", new V3TwoFactorRequest { Code = code }, "Checking the two-factor code", false, cancellationToken).ConfigureAwait(false);
            _renewal.Advance();
            return ToUser(user);
        }

        public async Task LogoutAsync(CancellationToken cancellationToken)
        {
            var envelope = await SendAsync(HttpMethod.Delete, "user/session", null, "Logging out", false, cancellationToken).ConfigureAwait(false);
            if (envelope.Code != V3Errors.LoginRequired)
            {
                ThrowIfError(envelope, "Logging out");
            }

            _transport.ForgetCookies();
        }

        public async Task<CloudreveUser?> GetCurrentUserAsync(CancellationToken cancellationToken)
        {
            var envelope = await SendAsync(HttpMethod.Get, "user/me", null, "Reading the current user", false, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V3Errors.LoginRequired)
            {
                return null;
            }

            ThrowIfError(envelope, "Reading the current user");
            return ToUser(Deserialize<V3User>(envelope, "Reading the current user"));
        }

        public async Task<CloudreveQuota> GetQuotaAsync(CancellationToken cancellationToken)
        {
            var storage = await CallAsync<V3Storage>(HttpMethod.Get, "user/storage", null, "Reading the storage quota", true, cancellationToken).ConfigureAwait(false);
            return new CloudreveQuota { Used = storage.Used, Free = storage.Free, Total = storage.Total };
        }

        public void Dispose()
        {
            _transport.Dispose();
            _renewal.Dispose();
        }

        // ---- envelope plumbing -------------------------------------------------------------

        /// <summary>Calls a route that must succeed (code 0) and returns its data.</summary>
        internal async Task<T> CallAsync<T>(HttpMethod method, string route, object? body, string operation, bool authenticated, CancellationToken cancellationToken)
        {
            var envelope = await SendAsync(method, route, body, operation, authenticated, cancellationToken).ConfigureAwait(false);
            ThrowIfError(envelope, operation);
            return Deserialize<T>(envelope, operation);
        }

        /// <summary>Calls a route that must succeed (code 0) and has no data worth reading.</summary>
        internal async Task CallAsync(HttpMethod method, string route, object? body, string operation, bool authenticated, CancellationToken cancellationToken)
        {
            var envelope = await SendAsync(method, route, body, operation, authenticated, cancellationToken).ConfigureAwait(false);
            ThrowIfError(envelope, operation);
        }

        /// <summary>
        /// Sends one API request and parses the envelope. For authenticated routes a "login required"
        /// answer triggers one transparent re-login (shared by concurrent callers) and one retry.
        /// </summary>
        internal async Task<Envelope> SendAsync(HttpMethod method, string route, object? body, string operation, bool authenticated, CancellationToken cancellationToken)
        {
            var generation = _renewal.Generation;
            var envelope = await SendOnceAsync(method, route, body, operation, cancellationToken).ConfigureAwait(false);
            if (!authenticated || envelope.Code != V3Errors.LoginRequired)
            {
                return envelope;
            }

            if (Reauthenticate == null)
            {
                throw NotLoggedIn(operation);
            }

            await ReauthenticateOnceAsync(generation, cancellationToken).ConfigureAwait(false);

            envelope = await SendOnceAsync(method, route, body, operation, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V3Errors.LoginRequired)
            {
                throw NotLoggedIn(operation);
            }

            return envelope;
        }

        /// <summary>
        /// Logs in again unless another request already did since <paramref name="generation"/> was read:
        /// concurrent requests that all find the login gone share one re-login.
        /// </summary>
        internal Task ReauthenticateOnceAsync(int generation, CancellationToken cancellationToken) =>
            _renewal.RenewOnceAsync(generation, ct =>
            {
                var reauthenticate = Reauthenticate;
                if (reauthenticate == null)
                {
                    return Task.CompletedTask;
                }

                TransportLog.Write("The server no longer knows this login; logging in again with the stored credential.");
                return reauthenticate(ct);
            }, cancellationToken);

        private CloudreveException NotLoggedIn(string operation) =>
            new CloudreveException(CloudreveErrorKind.SessionExpired,
                $"{operation} failed: the server at {SiteUri} no longer accepts this session. Run Connect-Cloudreve again.")
            {
                ServerCode = V3Errors.LoginRequired,
            };

        private async Task<Envelope> SendOnceAsync(HttpMethod method, string route, object? body, string operation, CancellationToken cancellationToken)
        {
            using var request = CreateRequest(method, route, body);
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            var envelope = await ReadEnvelopeAsync(response).ConfigureAwait(false);
            if (envelope == null)
            {
                var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
                var kind = response.StatusCode == HttpStatusCode.InternalServerError ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError;
                throw new CloudreveException(kind,
                    $"{operation} failed: {method} /api/v3/{RouteForDisplay(route)} answered HTTP {(int)response.StatusCode} ({type}) instead of a Cloudreve response.");
            }

            return envelope;
        }

        private async Task<Envelope?> TrySendAsync(HttpMethod method, string route, object? body, CancellationToken cancellationToken)
        {
            using var request = CreateRequest(method, route, body);
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return await ReadEnvelopeAsync(response).ConfigureAwait(false);
        }

        private HttpRequestMessage CreateRequest(HttpMethod method, string route, object? body)
        {
            var request = new HttpRequestMessage(method, new Uri(SiteUri, "api/v3/" + route));
            if (body != null)
            {
                var text = body as string ?? JsonSerializer.Serialize(body, body.GetType(), Json);
                request.Content = new StringContent(text, Encoding.UTF8, "application/json");
            }

            return request;
        }

        private static string RouteForDisplay(string route)
        {
            var q = route.IndexOf('?');
            return q < 0 ? route : route.Substring(0, q);
        }

        private static Task<Envelope?> ReadEnvelopeAsync(HttpResponseMessage response) => Envelope.ReadAsync(response);

        /// <summary>The envelope in a response body, or null when the body is not a Cloudreve envelope.</summary>
        internal static Envelope? ParseEnvelope(byte[] bytes) => Envelope.Parse(bytes);

        internal static void ThrowIfError(Envelope envelope, string operation)
        {
            if (envelope.Code != V3Errors.Success)
            {
                throw V3Errors.ToException(envelope.Code, envelope.Message, operation);
            }
        }

        internal static T Deserialize<T>(Envelope envelope, string operation) => envelope.Deserialize<T>(operation, Json);

        internal static CloudreveUser ToUser(V3User user)
        {
            var group = user.Group ?? new V3Group();
            return new CloudreveUser
            {
                Id = user.Id ?? string.Empty,
                UserName = user.UserName ?? string.Empty,
                NickName = user.Nickname ?? string.Empty,
                Status = (CloudreveUserStatus)user.Status,
                GroupId = group.Id,
                GroupName = group.Name ?? string.Empty,
                Created = user.CreatedAt == default ? (DateTimeOffset?)null : user.CreatedAt,
                IsAdmin = group.Id == 1,
                CanShare = group.AllowShare,
                CanUseWebDav = group.WebDav,
                CanArchiveDownload = group.AllowArchiveDownload,
                CanAdvancedDelete = group.AdvanceDelete,
                SourceLinkBatchLimit = group.SourceBatch,
            };
        }
    }
}

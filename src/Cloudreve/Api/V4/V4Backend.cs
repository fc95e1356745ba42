using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// The Cloudreve 4.x adapter: v4 routes and wire DTOs on top of the transport, with a token login
    /// (access token refreshed ahead of its expiry and once after a 401; a new login with the stored
    /// credential when the refresh token is gone too).
    /// </summary>
    internal sealed partial class V4Backend : ICloudreveBackend
    {
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions();
        private static readonly Regex SemVer = new Regex(@"^\d+\.\d+(\.\d+)?", RegexOptions.Compiled);

        private readonly CloudreveTransport _transport;
        private readonly LoginRenewal _renewal = new LoginRenewal();
        private string? _serverVersion;

        public V4Backend(CloudreveTransport transport, string? serverVersion = null)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            _serverVersion = serverVersion;
        }

        public string ApiVersion => "v4";

        public Uri SiteUri => _transport.SiteUri;

        public Func<CancellationToken, Task>? Reauthenticate { get; set; }

        /// <summary>Test seam: the clock used to decide when the access token needs refreshing.</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        internal CloudreveTransport Transport => _transport;

        /// <summary>The version a v4 ping answers ("4.18.0", "4.1.0-pro"), or null when the reply is not a Cloudreve 4 ping.</summary>
        internal static string? ReadPingVersion(ApiEnvelope? envelope)
        {
            if (envelope == null || envelope.Code != 0 || envelope.Data?.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var text = envelope.Data.Value.GetString() ?? string.Empty;
            var core = text.EndsWith("-pro", StringComparison.OrdinalIgnoreCase) ? text.Substring(0, text.Length - 4) : text;
            var match = SemVer.Match(core);
            return match.Success && core.StartsWith("4.", StringComparison.Ordinal) ? text : null;
        }

        public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken)
        {
            using var request = CreateRequest(HttpMethod.Get, "site/ping", null, authorize: false);
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            var version = ReadPingVersion(await ApiEnvelope.ReadAsync(response).ConfigureAwait(false));
            if (version == null)
            {
                throw new CloudreveException(CloudreveErrorKind.NotACloudreveServer,
                    $"The server at {SiteUri} did not answer as a Cloudreve 4 server: GET /api/v4/site/ping gave no Cloudreve version. Check the address.");
            }

            _serverVersion = version;
            return version;
        }

        public async Task<CloudreveSiteInfo> GetSiteInfoAsync(CancellationToken cancellationToken)
        {
            var version = await GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
            var basic = await CallAsync<V4SiteConfig>(HttpMethod.Get, "site/config/basic", null, "Reading the site configuration", false, cancellationToken).ConfigureAwait(false);
            var login = await CallAsync<V4LoginConfig>(HttpMethod.Get, "site/config/login", null, "Reading the login settings", false, cancellationToken).ConfigureAwait(false);
            // The site config is read anonymously; the caller's identity comes from /user/me (section 16).
            var user = await GetCurrentUserAsync(cancellationToken).ConfigureAwait(false);
            return new CloudreveSiteInfo
            {
                Uri = SiteUri,
                Title = basic.Title ?? string.Empty,
                Version = version,
                RegistrationEnabled = login.RegisterEnabled,
                EmailActivation = login.EmailActive,
                LoginCaptcha = login.LoginCaptcha,
                RegisterCaptcha = login.RegCaptcha,
                ForgotPasswordCaptcha = login.ForgetCaptcha,
                CaptchaType = basic.CaptchaType ?? string.Empty,
                WebAuthnEnabled = login.Authn,
                User = user ?? (basic.User == null || basic.User.Anonymous || string.IsNullOrEmpty(basic.User.Email) ? null : ToUser(basic.User)),
            };
        }

        public async Task<LoginOutcome> LoginAsync(string userName, SecureString password, CancellationToken cancellationToken)
        {
            var body = new V4LoginRequest { Email = userName, Password = Secrets.Unprotect(password) };
            ApiEnvelope envelope;
            try
            {
                envelope = await SendOnceAsync(HttpMethod.Post, "session/token", body, "Logging in", false, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                body.Password = string.Empty;
            }

            if (envelope.Code == V4Errors.SecondFactorRequired)
            {
                var sessionId = envelope.Data?.ValueKind == JsonValueKind.String ? envelope.Data.Value.GetString() : null;
                if (string.IsNullOrEmpty(sessionId))
                {
                    throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"Logging in as '{userName}': the server asked for a second factor but sent no login session.");
                }

                return LoginOutcome.NeedsSecondFactor(sessionId);
            }

            ThrowIfError(envelope, $"Logging in as '{userName}'");
            return LoginOutcome.Success(AcceptLogin(envelope, "Logging in"));
        }

        public async Task<CloudreveUser> SubmitSecondFactorAsync(LoginOutcome pending, string code, CancellationToken cancellationToken)
        {
            if (pending?.PendingLogin == null)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "There is no login waiting for a two-factor code. Log in with the password first.");
            }

            const string operation = "Checking the two-factor code";
            var envelope = await SendOnceAsync(HttpMethod.Post, "session/token/2fa", new V4TwoFactorRequest { Otp = code, SessionId = pending.PendingLogin }, operation, false, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 404)
            {
                // An unknown or used login session (it lives 10 minutes).
                throw new CloudreveException(CloudreveErrorKind.SessionExpired, $"{operation} failed: the server no longer knows this login attempt. Log in again.")
                {
                    ServerCode = envelope.Code,
                    ServerMessage = envelope.Message,
                };
            }

            ThrowIfError(envelope, operation);
            return AcceptLogin(envelope, operation);
        }

        public async Task LogoutAsync(CancellationToken cancellationToken)
        {
            var tokens = _transport.Tokens.Current;
            _transport.Tokens.Clear();
            if (tokens == null || tokens.RefreshToken.Length == 0)
            {
                return;
            }

            // Revoking an already revoked token still answers 0; the access token lives on until it expires.
            var envelope = await SendOnceAsync(HttpMethod.Delete, "session/token", new V4RefreshRequest { RefreshToken = tokens.RefreshToken }, "Logging out", false, cancellationToken).ConfigureAwait(false);
            if (envelope.Code != V4Errors.CredentialInvalid)
            {
                ThrowIfError(envelope, "Logging out");
            }
        }

        public async Task<CloudreveUser?> GetCurrentUserAsync(CancellationToken cancellationToken)
        {
            if (_transport.Tokens.Current == null)
            {
                return null;
            }

            // A refresh is fine here; logging in again is not (the caller asks whether the login still holds).
            var envelope = await SendAsync(HttpMethod.Get, "user/me", null, "Reading the current user", true, cancellationToken, allowLogin: false).ConfigureAwait(false);
            if (envelope.Code == V4Errors.LoginRequired)
            {
                return null;
            }

            ThrowIfError(envelope, "Reading the current user");
            return ToUser(envelope.Deserialize<V4User>("Reading the current user", Json));
        }

        public async Task<CloudreveQuota> GetQuotaAsync(CancellationToken cancellationToken)
        {
            var capacity = await CallAsync<V4Capacity>(HttpMethod.Get, "user/capacity", null, "Reading the storage quota", true, cancellationToken).ConfigureAwait(false);
            return new CloudreveQuota { Used = capacity.Used, Total = capacity.Total, Free = Math.Max(0, capacity.Total - capacity.Used) };
        }

        public void Dispose()
        {
            _transport.Tokens.Clear();
            _transport.Dispose();
            _renewal.Dispose();
        }

        // ---- tokens ------------------------------------------------------------------------

        private CloudreveUser AcceptLogin(ApiEnvelope envelope, string operation)
        {
            var reply = envelope.Deserialize<V4LoginReply>(operation, Json);
            if (reply.User == null || reply.Token == null || string.IsNullOrEmpty(reply.Token.AccessToken))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer carried no user or no token.");
            }

            StoreTokens(reply.Token);
            _renewal.Advance();
            return ToUser(reply.User);
        }

        private void StoreTokens(V4Token token) =>
            _transport.Tokens.Set(new BearerTokens(token.AccessToken ?? string.Empty, token.RefreshToken ?? string.Empty, token.AccessExpires, token.RefreshExpires, Clock()));

        /// <summary>
        /// Replaces the token pair: a refresh while the refresh token is usable, else (or when the server refuses
        /// it) a new login with the stored credential through <see cref="ICloudreveBackend.Reauthenticate"/>.
        /// </summary>
        private async Task RenewAsync(bool allowLogin, CancellationToken cancellationToken)
        {
            var tokens = _transport.Tokens.Current;
            if (tokens != null && tokens.RefreshUsable(Clock()))
            {
                TransportLog.Write("Refreshing the access token.");
                var envelope = await SendOnceAsync(HttpMethod.Post, "session/token/refresh", new V4RefreshRequest { RefreshToken = tokens.RefreshToken }, "Refreshing the login", false, cancellationToken).ConfigureAwait(false);
                if (envelope.Code == V4Errors.Success)
                {
                    StoreTokens(envelope.Deserialize<V4Token>("Refreshing the login", Json));
                    return;
                }

                if (envelope.Code != V4Errors.CredentialInvalid && envelope.Code != V4Errors.LoginRequired)
                {
                    ThrowIfError(envelope, "Refreshing the login");
                }
            }

            var reauthenticate = Reauthenticate;
            if (!allowLogin || reauthenticate == null)
            {
                _transport.Tokens.Clear();
                return;
            }

            TransportLog.Write("The server no longer accepts this login; logging in again with the stored credential.");
            await reauthenticate(cancellationToken).ConfigureAwait(false);
        }

        // ---- envelope plumbing -------------------------------------------------------------

        /// <summary>Calls a route that must succeed (code 0) and returns its data.</summary>
        internal async Task<T> CallAsync<T>(HttpMethod method, string route, object? body, string operation, bool authenticated, CancellationToken cancellationToken)
        {
            var envelope = await SendAsync(method, route, body, operation, authenticated, cancellationToken).ConfigureAwait(false);
            ThrowIfError(envelope, operation);
            return envelope.Deserialize<T>(operation, Json);
        }

        /// <summary>Calls a route that must succeed (code 0) and has no data worth reading.</summary>
        internal async Task CallAsync(HttpMethod method, string route, object? body, string operation, bool authenticated, CancellationToken cancellationToken)
        {
            var envelope = await SendAsync(method, route, body, operation, authenticated, cancellationToken).ConfigureAwait(false);
            ThrowIfError(envelope, operation);
        }

        /// <summary>
        /// Sends one API request and parses the envelope. Authenticated requests carry the access token; one
        /// that is about to expire is renewed first, and a 401 answer renews it once (shared by concurrent
        /// requests) and repeats the request.
        /// </summary>
        internal Task<ApiEnvelope> SendAsync(HttpMethod method, string route, object? body, string operation, bool authenticated, CancellationToken cancellationToken, bool allowLogin = true) =>
            SendAsync(() => CreateRequest(method, route, body, authenticated), operation, authenticated, _transport.Options.RequestTimeout, cancellationToken, allowLogin);

        /// <summary>
        /// Sends the request <paramref name="make"/> builds (again for the repeat after a renewal, so bodies such as
        /// upload chunks are made fresh) and parses the envelope, renewing the login as described above.
        /// </summary>
        internal async Task<ApiEnvelope> SendAsync(Func<HttpRequestMessage> make, string operation, bool authenticated, TimeSpan timeout, CancellationToken cancellationToken, bool allowLogin = true)
        {
            if (!authenticated)
            {
                return await SendOnceAsync(make, operation, timeout, cancellationToken).ConfigureAwait(false);
            }

            var generation = _renewal.Generation;
            var tokens = _transport.Tokens.Current;
            if (tokens == null || tokens.AccessNearExpiry(Clock()))
            {
                await _renewal.RenewOnceAsync(generation, ct => RenewAsync(allowLogin, ct), cancellationToken).ConfigureAwait(false);
                generation = _renewal.Generation;
            }

            var envelope = await SendOnceAsync(make, operation, timeout, cancellationToken).ConfigureAwait(false);
            if (envelope.Code != V4Errors.LoginRequired)
            {
                return envelope;
            }

            await _renewal.RenewOnceAsync(generation, ct => RenewAsync(allowLogin, ct), cancellationToken).ConfigureAwait(false);
            if (_transport.Tokens.Current == null)
            {
                if (!allowLogin)
                {
                    return envelope;
                }

                throw NotLoggedIn(operation);
            }

            envelope = await SendOnceAsync(make, operation, timeout, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V4Errors.LoginRequired && allowLogin)
            {
                throw NotLoggedIn(operation);
            }

            return envelope;
        }

        private CloudreveException NotLoggedIn(string operation) =>
            new CloudreveException(CloudreveErrorKind.SessionExpired,
                $"{operation} failed: the server at {SiteUri} no longer accepts this login. Run Connect-Cloudreve again.")
            {
                ServerCode = V4Errors.LoginRequired,
            };

        private Task<ApiEnvelope> SendOnceAsync(HttpMethod method, string route, object? body, string operation, bool authorize, CancellationToken cancellationToken) =>
            SendOnceAsync(() => CreateRequest(method, route, body, authorize), operation, _transport.Options.RequestTimeout, cancellationToken);

        private async Task<ApiEnvelope> SendOnceAsync(Func<HttpRequestMessage> make, string operation, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var request = make();
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout, cancellationToken).ConfigureAwait(false);
            var envelope = await ApiEnvelope.ReadAsync(response).ConfigureAwait(false);
            if (envelope == null)
            {
                var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
                var kind = (int)response.StatusCode >= 500 ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError;
                throw new CloudreveException(kind,
                    $"{operation} failed: {request.Method} {TransportLog.Describe(request.RequestUri)} answered HTTP {(int)response.StatusCode} ({type}) instead of a Cloudreve response.");
            }

            return envelope;
        }

        internal HttpRequestMessage CreateRequest(HttpMethod method, string route, object? body, bool authorize)
        {
            var request = new HttpRequestMessage(method, new Uri(SiteUri, "api/v4/" + route));
            if (authorize)
            {
                BearerTokenHandler.Authorize(request);
            }

            if (body != null)
            {
                var text = JsonSerializer.Serialize(body, body.GetType(), Json);
                request.Content = new StringContent(text, Encoding.UTF8, "application/json");
            }

            return request;
        }

        internal static void ThrowIfError(ApiEnvelope envelope, string operation)
        {
            if (envelope.Code != V4Errors.Success)
            {
                throw V4Errors.ToException(envelope.Code, envelope.Message, operation);
            }
        }

        internal static DateTimeOffset ParseTime(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return default;
            }

            // Go writes nanoseconds; .NET parses at most seven fractional digits.
            var trimmed = Regex.Replace(text!, @"(\.\d{7})\d+", "$1");
            return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value : default;
        }

        internal static CloudreveUser ToUser(V4User user)
        {
            var group = user.Group ?? new V4Group();
            var permissions = GroupPermissions.Parse(group.Permission);
            var created = ParseTime(user.CreatedAt);
            return new CloudreveUser
            {
                Id = user.Id ?? string.Empty,
                UserName = user.Email ?? string.Empty,
                NickName = user.Nickname ?? string.Empty,
                Status = ToStatus(user.Status),
                GroupName = group.Name ?? string.Empty,
                Created = created == default ? (DateTimeOffset?)null : created,
                IsAdmin = permissions.Has(GroupPermissions.IsAdmin),
                CanShare = permissions.Has(GroupPermissions.Share),
                CanUseWebDav = permissions.Has(GroupPermissions.WebDav),
                CanArchiveDownload = permissions.Has(GroupPermissions.ArchiveDownload),
                CanAdvancedDelete = permissions.Has(GroupPermissions.AdvanceDelete),
                SourceLinkBatchLimit = group.DirectLinkBatchSize,
            };
        }

        private static CloudreveUserStatus ToStatus(string? status)
        {
            switch (status)
            {
                case "inactive": return CloudreveUserStatus.NotActivated;
                case "manual_banned": return CloudreveUserStatus.Banned;
                case "sys_banned": return CloudreveUserStatus.OverUseBanned;
                default: return CloudreveUserStatus.Active;
            }
        }
    }

    /// <summary>The group permission bit set of Cloudreve 4: base64 bytes, bit n in byte n/8 at position n%8.</summary>
    internal readonly struct GroupPermissions
    {
        public const int IsAdmin = 0;
        public const int Share = 2;
        public const int WebDav = 3;
        public const int ArchiveDownload = 4;
        public const int AdvanceDelete = 12;

        private readonly byte[] _bits;

        private GroupPermissions(byte[] bits) => _bits = bits;

        public static GroupPermissions Parse(string? base64)
        {
            if (string.IsNullOrEmpty(base64))
            {
                return new GroupPermissions(Array.Empty<byte>());
            }

            try
            {
                return new GroupPermissions(Convert.FromBase64String(base64));
            }
            catch (FormatException)
            {
                return new GroupPermissions(Array.Empty<byte>());
            }
        }

        public bool Has(int bit) => _bits != null && bit / 8 < _bits.Length && (_bits[bit / 8] & (1 << (bit % 8))) != 0;
    }
}

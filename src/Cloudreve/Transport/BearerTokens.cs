using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transport
{
    /// <summary>The access and refresh token of one token login (Cloudreve 4). Never printed: ToString shows only the expiry times.</summary>
    internal sealed class BearerTokens
    {
        public BearerTokens(string accessToken, string refreshToken, DateTimeOffset accessExpires, DateTimeOffset refreshExpires, DateTimeOffset receivedAt)
        {
            AccessToken = accessToken;
            RefreshToken = refreshToken;
            AccessExpires = accessExpires;
            RefreshExpires = refreshExpires;
            ReceivedAt = receivedAt;
        }

        public string AccessToken { get; }

        public string RefreshToken { get; }

        public DateTimeOffset AccessExpires { get; }

        public DateTimeOffset RefreshExpires { get; }

        /// <summary>When this client received the pair (its own clock), to tell how long the server lets access tokens live.</summary>
        public DateTimeOffset ReceivedAt { get; }

        /// <summary>
        /// True when the access token should be replaced before it is used: less than a minute left, or less than
        /// half of its lifetime for servers that issue very short-lived tokens (so that a fresh token is not refreshed at once).
        /// </summary>
        public bool AccessNearExpiry(DateTimeOffset now)
        {
            var lifetime = AccessExpires - ReceivedAt;
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(60).Ticks, Math.Max(0, lifetime.Ticks / 2)));
            return now >= AccessExpires - margin;
        }

        public bool RefreshUsable(DateTimeOffset now) => RefreshToken.Length > 0 && now < RefreshExpires;

        public override string ToString() => $"access token until {AccessExpires:u}, refresh token until {RefreshExpires:u}";
    }

    /// <summary>The current token pair of one session, scoped to the API origin (scheme, host, port).</summary>
    internal sealed class BearerTokenStore
    {
        private BearerTokens? _current;

        public BearerTokenStore(Uri origin)
        {
            Origin = new Uri(origin.GetLeftPart(UriPartial.Authority));
        }

        public Uri Origin { get; }

        public BearerTokens? Current => Volatile.Read(ref _current);

        public void Set(BearerTokens tokens) => Volatile.Write(ref _current, tokens ?? throw new ArgumentNullException(nameof(tokens)));

        public void Clear() => Volatile.Write(ref _current, null);

        public bool Matches(Uri? uri) =>
            uri != null && uri.IsAbsoluteUri &&
            string.Equals(uri.Scheme, Origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(uri.Host, Origin.Host, StringComparison.OrdinalIgnoreCase) &&
            uri.Port == Origin.Port;
    }

    /// <summary>
    /// Adds "Authorization: Bearer" to requests that an API client marked with <see cref="Authorize"/>, and only
    /// when they go to the API origin. Storage URLs, signed download URLs and other origins never get the token,
    /// even when a caller marks them by mistake.
    /// </summary>
    internal sealed class BearerTokenHandler : DelegatingHandler
    {
        private const string PropertyName = "Cloudreve.BearerToken";
        private readonly BearerTokenStore _store;

        public BearerTokenHandler(BearerTokenStore store)
        {
            _store = store;
        }

        /// <summary>Asks for the session's access token on this request (an API route of the Cloudreve origin).</summary>
        public static void Authorize(HttpRequestMessage request)
        {
#pragma warning disable CS0618 // HttpRequestMessage.Properties is the netstandard2.0 way; Options does not exist there.
            request.Properties[PropertyName] = true;
#pragma warning restore CS0618
        }

        private static bool IsMarked(HttpRequestMessage request)
        {
#pragma warning disable CS0618
            return request.Properties.TryGetValue(PropertyName, out var value) && value is bool marked && marked;
#pragma warning restore CS0618
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var tokens = _store.Current;
            if (IsMarked(request) && tokens != null && _store.Matches(request.RequestUri))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            }
            else if (tokens != null && request.Headers.Authorization is { } auth &&
                     string.Equals(auth.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && auth.Parameter == tokens.AccessToken)
            {
                // Never let the session's token leave for anything but a marked API request to the API origin.
                request.Headers.Authorization = null;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

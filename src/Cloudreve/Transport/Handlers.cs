using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transport
{
    /// <summary>Adds the session cookie to requests for the server's own origin and records cookies it sets.</summary>
    internal sealed class SessionCookieHandler : DelegatingHandler
    {
        private readonly SessionCookieJar _jar;

        public SessionCookieHandler(SessionCookieJar jar)
        {
            _jar = jar;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var own = _jar.Matches(request.RequestUri);
            request.Headers.Remove("Cookie");
            if (own)
            {
                var cookie = _jar.GetHeaderValue();
                if (cookie != null)
                {
                    request.Headers.TryAddWithoutValidation("Cookie", cookie);
                }
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (own)
            {
                _jar.Apply(response);
            }

            return response;
        }
    }

    /// <summary>
    /// Retries requests that are safe to repeat (GET, HEAD, OPTIONS) after connection failures and
    /// 502/503/504 answers, with exponential backoff. Never retries after cancellation, nor a request
    /// marked with <see cref="Skip"/> (content GETs, which the transfer engine retries itself).
    /// </summary>
    internal sealed class TransientRetryHandler : DelegatingHandler
    {
        private const string SkipKey = "Cloudreve.NoTransportRetry";
        private readonly int _maxRetries;
        private readonly TimeSpan _baseDelay;

        /// <summary>Marks a request that this handler must pass through once, whatever happens.</summary>
        public static void Skip(HttpRequestMessage request) => request.Properties[SkipKey] = true;

        public TransientRetryHandler(int maxRetries, TimeSpan baseDelay)
        {
            _maxRetries = maxRetries;
            _baseDelay = baseDelay;
        }

        private static bool IsIdempotent(HttpMethod m) => m == HttpMethod.Get || m == HttpMethod.Head || m == HttpMethod.Options;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!IsIdempotent(request.Method) || request.Content != null || request.Properties.ContainsKey(SkipKey))
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage? response = null;
                try
                {
                    response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    if (attempt >= _maxRetries || (status != 502 && status != 503 && status != 504))
                    {
                        return response;
                    }

                    TransportLog.Write($"{request.Method} {TransportLog.Describe(request.RequestUri)} answered {status}; retrying");
                    response.Dispose();
                }
                catch (HttpRequestException ex) when (attempt < _maxRetries && !cancellationToken.IsCancellationRequested)
                {
                    TransportLog.Write($"{request.Method} {TransportLog.Describe(request.RequestUri)} failed ({ex.Message}); retrying");
                }

                var delay = TimeSpan.FromMilliseconds(_baseDelay.TotalMilliseconds * Math.Pow(2, attempt));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes one line per HTTP exchange to the ambient log sink: method, redacted URL, status, duration.</summary>
    internal sealed class RequestLogHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                TransportLog.Write($"{request.Method} {TransportLog.Describe(request.RequestUri)} -> {(int)response.StatusCode} ({watch.ElapsedMilliseconds} ms)");
                return response;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                TransportLog.Write($"{request.Method} {TransportLog.Describe(request.RequestUri)} failed after {watch.ElapsedMilliseconds} ms: {ex.GetType().Name}");
                throw;
            }
        }
    }

    /// <summary>
    /// Ambient, per-operation sink for transport diagnostics. Cmdlets set it and replay the lines as
    /// verbose output on the pipeline thread. Signatures and credentials are removed from URLs.
    /// </summary>
    public static class TransportLog
    {
        private static readonly AsyncLocal<Action<string>?> Sink = new AsyncLocal<Action<string>?>();
        private static readonly Regex Secrets = new Regex(@"(?<=[?&](sign|signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|token|access_token|refresh_token|tempauth|OSSAccessKeyId|Signature|q-signature|authorization)=)[^&]*", RegexOptions.IgnoreCase | RegexOptions.Compiled);

        public static IDisposable Capture(Action<string> sink)
        {
            var previous = Sink.Value;
            Sink.Value = sink;
            return new Restore(() => Sink.Value = previous);
        }

        internal static void Write(string line) => Sink.Value?.Invoke(line);

        public static string Describe(Uri? uri)
        {
            if (uri == null)
            {
                return "(no URL)";
            }

            var text = uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped) : uri.OriginalString;
            return Secrets.Replace(text, "<redacted>");
        }

        private sealed class Restore : IDisposable
        {
            private Action? _undo;

            public Restore(Action undo) => _undo = undo;

            public void Dispose()
            {
                _undo?.Invoke();
                _undo = null;
            }
        }
    }
}

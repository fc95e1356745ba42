using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudreve.Transport
{
    /// <summary>Settings of one connection to one server.</summary>
    public sealed class TransportOptions
    {
        public TransportOptions(Uri siteUri)
        {
            SiteUri = NormalizeSiteUri(siteUri);
        }

        /// <summary>The site root, always ending with a slash (for example https://pan.example.com/).</summary>
        public Uri SiteUri { get; }

        public bool SkipCertificateCheck { get; set; }

        /// <summary>Time allowed for one API request (not for streaming bodies).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        public int MaxRetries { get; set; } = 3;

        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>
        /// Accepts "https://host", "https://host/", "https://host/sub/path" and the same with a trailing
        /// "/api/v3" that users often copy from documentation.
        /// </summary>
        public static Uri NormalizeSiteUri(Uri uri)
        {
            if (uri == null)
            {
                throw new ArgumentNullException(nameof(uri));
            }

            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                    $"'{uri.OriginalString}' is not an absolute http:// or https:// address.");
            }

            var path = uri.AbsolutePath.TrimEnd('/');
            foreach (var suffix in new[] { "/api/v3", "/api/v4" })
            {
                if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    path = path.Substring(0, path.Length - suffix.Length);
                }
            }

            var builder = new UriBuilder(uri.Scheme, uri.Host, uri.Port, path + "/");
            return builder.Uri;
        }
    }

    /// <summary>
    /// The HTTP pipeline of one session: an HttpClient from Microsoft.Extensions.Http's factory with
    /// retry, cookie-scoping and logging handlers. Knows nothing about Cloudreve routes or JSON.
    /// </summary>
    public sealed class CloudreveTransport : IDisposable
    {
        private static readonly string UserAgent = "CloudrevePowerShell/" +
            (typeof(CloudreveTransport).GetTypeInfo().Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

        private readonly ServiceProvider _services;
        private readonly SessionCookieJar _cookies;
        private readonly BearerTokenStore _tokens;

        public CloudreveTransport(TransportOptions options, HttpMessageHandler? primaryHandler = null)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            _cookies = new SessionCookieJar(options.SiteUri);
            _tokens = new BearerTokenStore(options.SiteUri);

            var services = new ServiceCollection();
            var name = "cloudreve";
            services.AddHttpClient(name, client =>
                {
                    client.Timeout = Timeout.InfiniteTimeSpan;
                    client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("CloudrevePowerShell", UserAgent.Split('/')[1]));
                    client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                })
                .ConfigurePrimaryHttpMessageHandler(() => primaryHandler ?? CreatePrimaryHandler(options))
                .AddHttpMessageHandler(() => new TransientRetryHandler(options.MaxRetries, options.RetryBaseDelay))
                .AddHttpMessageHandler(() => new SessionCookieHandler(_cookies))
                .AddHttpMessageHandler(() => new BearerTokenHandler(_tokens))
                .AddHttpMessageHandler(() => new RequestLogHandler())
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            _services = services.BuildServiceProvider();
            Client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        }

        public TransportOptions Options { get; }

        public Uri SiteUri => Options.SiteUri;

        internal HttpClient Client { get; }

        internal SessionCookieJar Cookies => _cookies;

        /// <summary>The token pair of a token login (Cloudreve 4); empty for cookie logins.</summary>
        internal BearerTokenStore Tokens => _tokens;

        /// <summary>True when the server has given this session a cookie.</summary>
        public bool HasSessionCookie => !_cookies.IsEmpty;

        public void ForgetCookies() => _cookies.Clear();

        /// <summary>Resolves a server-relative URL (as Cloudreve returns for local downloads) against the site.</summary>
        public Uri Resolve(string url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
            {
                return absolute;
            }

            return new Uri(new Uri(SiteUri.GetLeftPart(UriPartial.Authority)), url);
        }

        /// <summary>
        /// Sends a request. Connection failures become <see cref="CloudreveErrorKind.ServerUnreachable"/>;
        /// a request that exceeds <see cref="TransportOptions.RequestTimeout"/> becomes
        /// <see cref="CloudreveErrorKind.Timeout"/>; cancellation by the caller stays an OperationCanceledException.
        /// </summary>
        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, TimeSpan? timeout, CancellationToken cancellationToken)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout.HasValue && timeout.Value != Timeout.InfiniteTimeSpan)
            {
                timeoutSource.CancelAfter(timeout.Value);
            }

            try
            {
                return await Client.SendAsync(request, completion, timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CloudreveException(CloudreveErrorKind.Timeout,
                    $"The server at {SiteUri} did not answer {request.Method} {TransportLog.Describe(request.RequestUri)} within {timeout?.TotalSeconds} seconds.");
            }
            catch (HttpRequestException ex)
            {
                throw new CloudreveException(CloudreveErrorKind.ServerUnreachable,
                    $"Cannot reach {SiteUri.GetLeftPart(UriPartial.Authority)}: {Describe(ex)}", ex);
            }
        }

        private static string Describe(Exception ex)
        {
            var message = ex.Message;
            for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
            {
                message = inner.Message;
            }

            return message;
        }

        private static HttpMessageHandler CreatePrimaryHandler(TransportOptions options)
        {
            var handler = new HttpClientHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (options.SkipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true;
            }

            return handler;
        }

        public void Dispose()
        {
            _services.Dispose();
        }
    }
}

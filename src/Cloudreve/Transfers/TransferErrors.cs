using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>Which failures are worth another attempt, and the backoff between attempts.</summary>
    internal static class TransferErrors
    {
        public static bool IsTransient(Exception ex)
        {
            switch (ex)
            {
                case CloudreveException c:
                    return c.Kind == CloudreveErrorKind.ServerUnreachable || c.Kind == CloudreveErrorKind.Timeout ||
                           (c.Kind == CloudreveErrorKind.ServerError && (!c.HttpStatus.HasValue || IsRetryableStatus(c.HttpStatus.Value))) ||
                           (c.Kind == CloudreveErrorKind.ProtocolError && c.InnerException is IOException);
                case HttpRequestException _:
                case IOException _ when !(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException):
                    return true;
                case OperationCanceledException _:
                    return false;
                default:
                    return ex.InnerException != null && IsTransient(ex.InnerException);
            }
        }

        /// <summary>HTTP answers of a content GET that are worth another attempt: overload and gateway failures.</summary>
        public static bool IsRetryableStatus(int status) => status == 500 || status == 502 || status == 503 || status == 504 || status == 429;

        /// <summary>Exponential backoff with jitter: 250 ms, 500 ms, 1 s, ... capped at 8 s.</summary>
        public static Task DelayAsync(int attempt, TimeSpan baseDelay, CancellationToken cancellationToken) =>
            Task.Delay(Backoff(attempt, baseDelay, null, TimeSpan.Zero), cancellationToken);

        /// <summary>
        /// The wait before the next attempt: the exponential backoff of <see cref="DelayAsync"/>, or the server's
        /// Retry-After when that is longer (at most <paramref name="maxRetryAfter"/>).
        /// </summary>
        public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan? retryAfter, TimeSpan maxRetryAfter)
        {
            var ms = Math.Min(8000, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
            ms *= 0.75 + Jitter() * 0.5;
            if (retryAfter.HasValue)
            {
                ms = Math.Max(ms, Math.Min(retryAfter.Value.TotalMilliseconds, maxRetryAfter.TotalMilliseconds));
            }

            return TimeSpan.FromMilliseconds(ms);
        }

        /// <summary>A few words on why an attempt failed, for the progress status (no URLs, no secrets).</summary>
        public static string Reason(Exception ex)
        {
            switch (ex)
            {
                case CloudreveException c when c.HttpStatus.HasValue:
                    return $"the server answered HTTP {c.HttpStatus.Value}";
                case CloudreveException c when c.Kind == CloudreveErrorKind.DownloadUrlExpired:
                    return "the download URL expired";
                case CloudreveException c when c.Kind == CloudreveErrorKind.Timeout:
                    return "no data arrived in time";
                case CloudreveException c when c.Kind == CloudreveErrorKind.ServerError:
                    return "the server failed";
                default:
                    return "the connection was lost";
            }
        }

        private static readonly Random Random = new Random();

        private static double Jitter()
        {
            lock (Random)
            {
                return Random.NextDouble();
            }
        }

        /// <summary>Wraps a local or network failure that is not a CloudreveException.</summary>
        public static Exception Describe(Exception ex, string what)
        {
            if (ex is CloudreveException)
            {
                return ex;
            }

            if (ex is HttpRequestException || ex is IOException)
            {
                return new CloudreveException(CloudreveErrorKind.ServerUnreachable, $"{what}: {ex.Message}", ex);
            }

            return ex;
        }
    }
}

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
                    return c.Kind == CloudreveErrorKind.ServerUnreachable || c.Kind == CloudreveErrorKind.Timeout || c.Kind == CloudreveErrorKind.ServerError ||
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

        /// <summary>Exponential backoff with jitter: 250 ms, 500 ms, 1 s, ... capped at 8 s.</summary>
        public static Task DelayAsync(int attempt, TimeSpan baseDelay, CancellationToken cancellationToken)
        {
            var ms = Math.Min(8000, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
            ms *= 0.75 + Jitter() * 0.5;
            return Task.Delay(TimeSpan.FromMilliseconds(ms), cancellationToken);
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

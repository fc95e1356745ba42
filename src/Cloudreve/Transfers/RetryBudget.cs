using System;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// The attempts of one download stream (the same budget as one upload chunk: <see cref="TransferOptions.MaxAttempts"/>
    /// attempts without progress). A failure that is worth another attempt is a lost connection, a timeout, an HTTP
    /// 500/502/503/504/429 or an expired download URL; an attempt that delivered bytes gives the budget back, since
    /// the next one resumes from there. The wait between attempts is the exponential backoff, or the server's
    /// Retry-After when longer; an expired URL is replaced at once. Waits end promptly on cancellation (Ctrl+C).
    /// </summary>
    internal sealed class RetryBudget
    {
        private readonly TransferOptions _options;

        public RetryBudget(TransferOptions options)
        {
            _options = options;
        }

        /// <summary>The number of the attempt under way (1 for the first).</summary>
        public int Attempt { get; private set; } = 1;

        /// <summary>Bytes arrived: the next failure starts the count again.</summary>
        public void Progressed() => Attempt = 1;

        /// <summary>True when <paramref name="error"/> is worth another attempt and the budget has one left (which it then counts).</summary>
        public bool TryAgain(Exception error, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested || Attempt >= _options.MaxAttempts || !(IsExpiredUrl(error) || TransferErrors.IsTransient(error)))
            {
                return false;
            }

            Attempt++;
            return true;
        }

        /// <summary>Waits before the attempt that <see cref="TryAgain"/> allowed.</summary>
        public Task WaitAsync(Exception error, CancellationToken cancellationToken)
        {
            if (IsExpiredUrl(error))
            {
                return Task.CompletedTask;
            }

            var wait = TransferErrors.Backoff(Attempt - 1, _options.RetryBaseDelay, (error as CloudreveException)?.RetryAfter, _options.MaxRetryAfter);
            TransportLog.Write($"Attempt {Attempt - 1} failed ({TransferErrors.Reason(error)}); attempt {Attempt} of {_options.MaxAttempts} in {(int)wait.TotalMilliseconds} ms.");
            return Task.Delay(wait, cancellationToken);
        }

        private static bool IsExpiredUrl(Exception error) => error is CloudreveException c && c.Kind == CloudreveErrorKind.DownloadUrlExpired;
    }
}

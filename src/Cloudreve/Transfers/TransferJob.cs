using System;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transfers
{
    internal enum TransferState
    {
        Queued,
        Running,
        Succeeded,
        Failed,
    }

    /// <summary>Settings shared by the jobs of one command.</summary>
    internal sealed class TransferOptions
    {
        /// <summary>Attempts per chunk / per download range before the transfer fails.</summary>
        public int MaxAttempts { get; set; } = 8;

        /// <summary>Times an upload is restarted with a new session after its session failed.</summary>
        public int MaxSessionRestarts { get; set; } = 2;

        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>The longest wait a server's Retry-After can impose between two attempts.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>A download body that delivers nothing for this long is treated as a dropped connection.</summary>
        public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Files at least this large are downloaded with several ranged streams at once (when the URL allows ranges).</summary>
        public long SegmentThreshold { get; set; } = 64L * 1024 * 1024;

        /// <summary>Ranged streams per large download.</summary>
        public int MaxSegments { get; set; } = 4;

        /// <summary>Time allowed for cleanup calls (cancelling an upload session) after a failure or Ctrl+C.</summary>
        public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromSeconds(10);
    }

    /// <summary>
    /// One file to send or receive. Workers update the byte counter and the status text; the pipeline
    /// thread reads them for progress and writes the result or the error once the job has ended.
    /// </summary>
    internal abstract class TransferJob
    {
        private long _done;
        private string _status = "Waiting";

        protected TransferJob(string displayName, object target, long totalBytes)
        {
            DisplayName = displayName;
            Target = target;
            TotalBytes = totalBytes;
        }

        public int Index { get; set; }

        /// <summary>What the progress bar shows for the job.</summary>
        public string DisplayName { get; }

        /// <summary>The target object of an error record for the job (the path the user gave or sees).</summary>
        public object Target { get; }

        public long TotalBytes { get; protected set; }

        public long DoneBytes => Interlocked.Read(ref _done);

        public string Status
        {
            get => Volatile.Read(ref _status);
            protected set => Volatile.Write(ref _status, value);
        }

        public TransferState State { get; set; }

        public DateTime StartedUtc { get; set; }

        /// <summary>What the cmdlet writes for a successful job (null = nothing).</summary>
        public object? Output { get; set; }

        public Exception? Error { get; set; }

        /// <summary>Lines the job wants the user to see as warnings (written by the pipeline thread).</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();

        public void AddBytes(long count) => Interlocked.Add(ref _done, count);

        public void SetBytes(long value) => Interlocked.Exchange(ref _done, value);

        /// <summary>The target object of the error record for <paramref name="error"/>.</summary>
        public virtual object TargetFor(Exception error) => Target;

        /// <summary>The transfer itself; runs inside the ThrottleLimit.</summary>
        public abstract Task<object?> RunAsync(TransferOptions options, CancellationToken cancellationToken);

        /// <summary>Follow-up work that needs no transfer slot (checks, renames); its result is the job's output.</summary>
        public virtual Task<object?> FinishAsync(object? transferred, TransferOptions options, CancellationToken cancellationToken) =>
            Task.FromResult(transferred);
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// Runs jobs with at most ThrottleLimit at a time. Finished jobs are handed to the pipeline thread in
    /// input order through <see cref="TryTakeFinished"/>; progress is read from <see cref="Snapshot"/>.
    /// Nothing here writes to the pipeline.
    /// </summary>
    internal sealed class TransferRunner
    {
        private readonly IReadOnlyList<TransferJob> _jobs;
        private readonly int _throttle;
        private readonly TransferOptions _options;
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly DateTime _started = DateTime.UtcNow;
        private int _nextToHandOut;
        private long _finishedBytes;
        private int _finishedCount;

        public TransferRunner(IReadOnlyList<TransferJob> jobs, int throttle, TransferOptions options)
        {
            _jobs = jobs;
            _throttle = Math.Max(1, throttle);
            _options = options;
            for (var i = 0; i < jobs.Count; i++)
            {
                jobs[i].Index = i;
            }
        }

        public IReadOnlyList<TransferJob> Jobs => _jobs;

        public long TotalBytes => _jobs.Sum(j => j.TotalBytes);

        /// <summary>Runs every job; never throws for a job's failure (it is recorded on the job).</summary>
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var gate = new SemaphoreSlim(_throttle, _throttle);
            var tasks = _jobs.Select(async job =>
            {
                try
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex)
                {
                    job.Error = ex;
                    job.State = TransferState.Failed;
                    Finished(job);
                    return;
                }

                object? transferred;
                try
                {
                    job.StartedUtc = DateTime.UtcNow;
                    job.State = TransferState.Running;
                    transferred = await Task.Run(() => job.RunAsync(_options, cancellationToken), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    gate.Release();
                    job.Error = ex;
                    job.State = TransferState.Failed;
                    Finished(job);
                    return;
                }

                gate.Release();
                try
                {
                    job.Output = await job.FinishAsync(transferred, _options, cancellationToken).ConfigureAwait(false);
                    job.State = TransferState.Succeeded;
                }
                catch (Exception ex)
                {
                    job.Error = ex;
                    job.State = TransferState.Failed;
                }
                finally
                {
                    Finished(job);
                }
            }).ToArray();
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        private void Finished(TransferJob job)
        {
            Interlocked.Increment(ref _finishedCount);
            Interlocked.Add(ref _finishedBytes, job.TotalBytes);
            _signal.Release();
        }

        /// <summary>Waits up to <paramref name="timeout"/> for a job to end.</summary>
        public bool WaitForChange(TimeSpan timeout) => _signal.Wait(timeout);

        /// <summary>The next finished job in input order, or null when it has not ended yet.</summary>
        public TransferJob? TryTakeFinished()
        {
            if (_nextToHandOut >= _jobs.Count)
            {
                return null;
            }

            var job = _jobs[_nextToHandOut];
            if (job.State != TransferState.Succeeded && job.State != TransferState.Failed)
            {
                return null;
            }

            _nextToHandOut++;
            return job;
        }

        public bool AllHandedOut => _nextToHandOut >= _jobs.Count;

        public TransferSnapshot Snapshot()
        {
            var running = _jobs.Where(j => j.State == TransferState.Running).ToArray();
            var done = _jobs.Where(j => j.State == TransferState.Succeeded || j.State == TransferState.Failed).Sum(j => j.TotalBytes);
            var bytes = done + running.Sum(j => Math.Min(j.DoneBytes, j.TotalBytes));
            var elapsed = DateTime.UtcNow - _started;
            return new TransferSnapshot(Volatile.Read(ref _finishedCount), _jobs.Count, bytes, TotalBytes, elapsed, running);
        }
    }

    internal sealed class TransferSnapshot
    {
        public TransferSnapshot(int filesDone, int filesTotal, long bytesDone, long bytesTotal, TimeSpan elapsed, TransferJob[] running)
        {
            FilesDone = filesDone;
            FilesTotal = filesTotal;
            BytesDone = bytesDone;
            BytesTotal = bytesTotal;
            Elapsed = elapsed;
            Running = running;
        }

        public int FilesDone { get; }

        public int FilesTotal { get; }

        public long BytesDone { get; }

        public long BytesTotal { get; }

        public TimeSpan Elapsed { get; }

        public TransferJob[] Running { get; }

        /// <summary>Bytes per second since the start.</summary>
        public double Rate => Elapsed.TotalSeconds > 0.2 ? BytesDone / Elapsed.TotalSeconds : 0;

        public int? SecondsLeft => Rate > 0 ? (int?)Math.Ceiling((BytesTotal - BytesDone) / Rate) : null;
    }
}

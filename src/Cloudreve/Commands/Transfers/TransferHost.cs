using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transfers;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>
    /// Runs transfer jobs for a cmdlet: the jobs work on the thread pool, and this class, on the pipeline
    /// thread, writes their results and errors in input order, their warnings and verbose lines, and one
    /// overall progress bar with a child bar per active file (at most every 200 ms).
    /// </summary>
    internal sealed class TransferHost
    {
        private const int ParentId = 1;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

        private readonly PSCmdlet _cmdlet;
        private readonly string _activity;
        private readonly bool _showProgress;

        public TransferHost(PSCmdlet cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _activity = activity;
            var preference = cmdlet.GetVariableValue("ProgressPreference");
            _showProgress = !(preference is ActionPreference p && (p == ActionPreference.SilentlyContinue || p == ActionPreference.Ignore))
                && !(preference is string s && (s.Equals("SilentlyContinue", StringComparison.OrdinalIgnoreCase) || s.Equals("Ignore", StringComparison.OrdinalIgnoreCase)));
        }

        /// <summary>Runs the jobs to the end. Ctrl+C (the token) stops them; this waits for their cleanup, then stops the pipeline.</summary>
        public void Run(IReadOnlyList<TransferJob> jobs, int throttleLimit, TransferOptions options, CancellationTokenSource stop, Action<object>? writeOutput = null)
        {
            if (jobs.Count == 0)
            {
                return;
            }

            var runner = new TransferRunner(jobs, throttleLimit, options);
            var lines = new ConcurrentQueue<string>();
            Task task;
            using (TransportLog.Capture(lines.Enqueue))
            {
                task = Task.Run(() => runner.RunAsync(stop.Token));
            }

            var children = new Dictionary<TransferJob, int>();
            var freeIds = new Stack<int>();
            var nextId = ParentId + 1;
            var lastProgress = DateTime.MinValue;
            try
            {
                while (true)
                {
                    var finished = task.IsCompleted;
                    Drain(lines);
                    for (var job = runner.TryTakeFinished(); job != null; job = runner.TryTakeFinished())
                    {
                        Report(job, writeOutput, stop.IsCancellationRequested);
                    }

                    if (finished && runner.AllHandedOut)
                    {
                        break;
                    }

                    if (_showProgress && DateTime.UtcNow - lastProgress >= ProgressInterval)
                    {
                        lastProgress = DateTime.UtcNow;
                        WriteProgress(runner.Snapshot(), children, freeIds, ref nextId);
                    }

                    runner.WaitForChange(ProgressInterval);
                }
            }
            catch (PipelineStoppedException)
            {
                stop.Cancel();
                task.Wait(TimeSpan.FromSeconds(30));
                throw;
            }
            finally
            {
                if (_showProgress && !stop.IsCancellationRequested)
                {
                    CompleteProgress(children);
                }
            }

            task.GetAwaiter().GetResult();
            if (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void Report(TransferJob job, Action<object>? writeOutput, bool stopping)
        {
            while (job.Warnings.TryDequeue(out var warning))
            {
                _cmdlet.WriteWarning(warning);
            }

            if (job.State == TransferState.Succeeded)
            {
                if (job.Output != null)
                {
                    if (writeOutput != null)
                    {
                        writeOutput(job.Output);
                    }
                    else
                    {
                        _cmdlet.WriteObject(job.Output);
                    }
                }

                return;
            }

            var error = job.Error!;
            if (error is OperationCanceledException && stopping)
            {
                return;
            }

            if (error is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                error = aggregate.InnerExceptions[0];
            }

            _cmdlet.WriteError(ToErrorRecord(error, job.TargetFor(error)));
        }

        internal static ErrorRecord ToErrorRecord(Exception exception, object? target)
        {
            if (exception is CloudreveException cloudreve)
            {
                return new ErrorRecord(cloudreve, ErrorIds.For(cloudreve.Kind), ErrorIds.Category(cloudreve.Kind), target);
            }

            if (exception is UnauthorizedAccessException)
            {
                return new ErrorRecord(exception, "CloudreveLocalAccessDenied", ErrorCategory.PermissionDenied, target);
            }

            if (exception is System.IO.IOException)
            {
                return new ErrorRecord(exception, "CloudreveLocalIOError", ErrorCategory.WriteError, target);
            }

            return new ErrorRecord(exception, "CloudreveUnexpectedError", ErrorCategory.NotSpecified, target);
        }

        private void Drain(ConcurrentQueue<string> lines)
        {
            while (lines.TryDequeue(out var line))
            {
                _cmdlet.WriteVerbose(line);
            }
        }

        private void WriteProgress(TransferSnapshot snapshot, Dictionary<TransferJob, int> children, Stack<int> freeIds, ref int nextId)
        {
            var percent = snapshot.BytesTotal > 0 ? (int)Math.Min(100, snapshot.BytesDone * 100 / snapshot.BytesTotal) : (snapshot.FilesTotal > 0 ? snapshot.FilesDone * 100 / snapshot.FilesTotal : 0);
            var status = string.Format(CultureInfo.CurrentCulture, "{0} of {1} files, {2} of {3}, {4}/s",
                snapshot.FilesDone, snapshot.FilesTotal, SizeFormatter.Format(snapshot.BytesDone), SizeFormatter.Format(snapshot.BytesTotal), SizeFormatter.Format((long)snapshot.Rate));
            var parent = new ProgressRecord(ParentId, _activity, status) { PercentComplete = percent };
            if (snapshot.SecondsLeft.HasValue)
            {
                parent.SecondsRemaining = snapshot.SecondsLeft.Value;
            }

            _cmdlet.WriteProgress(parent);

            var running = new HashSet<TransferJob>(snapshot.Running);
            foreach (var gone in new List<TransferJob>(children.Keys))
            {
                if (!running.Contains(gone))
                {
                    var id = children[gone];
                    children.Remove(gone);
                    _cmdlet.WriteProgress(new ProgressRecord(id, gone.DisplayName, "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed });
                    freeIds.Push(id);
                }
            }

            foreach (var job in snapshot.Running)
            {
                if (!children.TryGetValue(job, out var id))
                {
                    id = freeIds.Count > 0 ? freeIds.Pop() : nextId++;
                    children[job] = id;
                }

                var done = Math.Min(job.DoneBytes, job.TotalBytes);
                var record = new ProgressRecord(id, job.DisplayName, string.Format(CultureInfo.CurrentCulture, "{0}: {1} of {2}", job.Status, SizeFormatter.Format(done), SizeFormatter.Format(job.TotalBytes)))
                {
                    ParentActivityId = ParentId,
                    PercentComplete = job.TotalBytes > 0 ? (int)(done * 100 / job.TotalBytes) : 0,
                };
                _cmdlet.WriteProgress(record);
            }
        }

        private void CompleteProgress(Dictionary<TransferJob, int> children)
        {
            try
            {
                foreach (var pair in children)
                {
                    _cmdlet.WriteProgress(new ProgressRecord(pair.Value, pair.Key.DisplayName, "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed });
                }

                _cmdlet.WriteProgress(new ProgressRecord(ParentId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
            }
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Internal
{
    /// <summary>
    /// Async work waited for on the pipeline thread, shared by the cmdlets and the provider: the work runs on
    /// the thread pool, transport diagnostics are written as verbose lines while it runs, and a cancellation
    /// the caller asked for ends as <see cref="PipelineStoppedException"/>.
    /// </summary>
    internal static class PipelineWait
    {
        private const int PollMilliseconds = 100;

        /// <summary>
        /// Runs <paramref name="operation"/> to completion. Between waits, <paramref name="stopRequested"/> (when
        /// given) is asked whether to cancel <paramref name="stop"/>, verbose lines are written, and
        /// <paramref name="tick"/> runs (progress).
        /// </summary>
        public static T Run<T>(Func<CancellationToken, Task<T>> operation, CancellationTokenSource stop, Action<string> writeVerbose,
            Func<bool>? stopRequested = null, Action? tick = null)
        {
            var lines = new ConcurrentQueue<string>();
            Task<T> task;
            using (TransportLog.Capture(lines.Enqueue))
            {
                task = Task.Run(() => operation(stop.Token));
            }

            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(PollMilliseconds))
            {
                if (stopRequested != null && !stop.IsCancellationRequested && stopRequested())
                {
                    stop.Cancel();
                }

                Drain(lines, writeVerbose);
                tick?.Invoke();
            }

            Drain(lines, writeVerbose);
            Finish(task, stop);
            return task.Result;
        }

        /// <summary>
        /// Runs a producer on the thread pool and consumes what it yields on this thread as it arrives (so
        /// output streams); verbose lines are written in between. When <paramref name="stopRequested"/> says so,
        /// <paramref name="stop"/> is cancelled and consuming ends at once.
        /// </summary>
        public static void Pump<T>(Func<CancellationToken, Action<T>, Task> producer, Action<T> consume, CancellationTokenSource stop,
            Action<string> writeVerbose, Func<bool>? stopRequested = null)
        {
            var queue = new BlockingCollection<T>();
            var lines = new ConcurrentQueue<string>();
            Task task;
            using (TransportLog.Capture(lines.Enqueue))
            {
                task = Task.Run(() => producer(stop.Token, queue.Add)).ContinueWith(t =>
                {
                    queue.CompleteAdding();
                    return t;
                }, TaskScheduler.Default).Unwrap();
            }

            try
            {
                while (!queue.IsCompleted)
                {
                    if (stopRequested != null && stopRequested())
                    {
                        stop.Cancel();
                        break;
                    }

                    if (queue.TryTake(out var item, PollMilliseconds))
                    {
                        consume(item);
                    }

                    Drain(lines, writeVerbose);
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }

            Drain(lines, writeVerbose);
            Finish(task, stop);
        }

        /// <summary>
        /// For a <see cref="Pump{T}"/> producer: hands <paramref name="work"/> to the pipeline thread and waits until it
        /// ran there, so the producer asks the server for no more than the pipeline took (a downstream
        /// Select-Object -First stops the paging). Work that throws (the pipeline stopped) or a cancellation ends
        /// the wait as cancelled.
        /// </summary>
        public static async Task HandOffAsync(Action<Action> yield, Action work, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => done.TrySetCanceled()))
            {
                yield(() =>
                {
                    var ran = false;
                    try
                    {
                        work();
                        ran = true;
                    }
                    finally
                    {
                        if (ran)
                        {
                            done.TrySetResult(true);
                        }
                        else
                        {
                            done.TrySetCanceled();
                        }
                    }
                });
                await done.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Waits for the ended work and rethrows its failure; a cancellation asked for stops the pipeline.</summary>
        private static void Finish(Task task, CancellationTokenSource stop)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private static void Drain(ConcurrentQueue<string> lines, Action<string> writeVerbose)
        {
            while (lines.TryDequeue(out var line))
            {
                writeVerbose(line);
            }
        }
    }
}

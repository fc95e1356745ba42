// The synchronous runner of the Cloudreve provider: async work run to completion on the pipeline thread's behalf,
// with transport diagnostics as verbose lines and Ctrl+C cancelling it.

using System;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        /// <summary>Runs async work, writing transport diagnostics as verbose lines; Ctrl+C (Stopping) cancels it.</summary>
        private T Run<T>(Func<CancellationToken, Task<T>> operation) => Run(operation, null);

        /// <summary>Like Run; <paramref name="tick"/> runs on the pipeline thread while the work is going (progress).</summary>
        private T Run<T>(Func<CancellationToken, Task<T>> operation, Action? tick)
        {
            using var stop = new CancellationTokenSource();
            return PipelineWait.Run(operation, stop, WriteVerbose, () => Stopping, tick);
        }

        private void Run(Func<CancellationToken, Task> operation) =>
            Run<bool>(async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            });
    }
}

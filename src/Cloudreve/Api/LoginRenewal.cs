using System;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Api
{
    /// <summary>
    /// Renews a login at most once for a group of concurrent requests that all found it gone: each request
    /// reads <see cref="Generation"/> before it is sent, and <see cref="RenewOnceAsync"/> renews only when no
    /// other request renewed since. Used by every API generation (v3: log in again; v4: refresh the tokens,
    /// else log in again).
    /// </summary>
    internal sealed class LoginRenewal : IDisposable
    {
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private int _generation;

        /// <summary>Changes whenever the login has been renewed (or replaced by a new login).</summary>
        public int Generation => Volatile.Read(ref _generation);

        /// <summary>Records a new login made outside <see cref="RenewOnceAsync"/> (for example a second factor).</summary>
        public void Advance() => Interlocked.Increment(ref _generation);

        /// <summary>Runs <paramref name="renew"/> unless the login was renewed since <paramref name="generation"/> was read.</summary>
        public async Task RenewOnceAsync(int generation, Func<CancellationToken, Task> renew, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Generation == generation)
                {
                    await renew(cancellationToken).ConfigureAwait(false);
                    Advance();
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _gate.Dispose();
    }
}

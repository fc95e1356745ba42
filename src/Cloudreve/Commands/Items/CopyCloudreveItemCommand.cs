using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Copies items (folders recursively) into a folder; several copies run at once.</summary>
    [Cmdlet(VerbsCommon.Copy, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class CopyCloudreveItemCommand : CloudreveRelocateCmdlet
    {
        private const int CopyConcurrency = 4;

        protected override string Verb => "copy";

        internal override IEnumerable<CloudreveItem> Relocate(CloudreveSession session, IReadOnlyList<CloudreveItem> items, string destination)
        {
            // The server copies one object per request: run a few at once.
            var copied = new ConcurrentBag<CloudreveItem>();
            Pump<Action>(async (ct, yield) =>
            {
                using var gate = new SemaphoreSlim(CopyConcurrency, CopyConcurrency);
                await Task.WhenAll(items.Select(async item =>
                {
                    await gate.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        await session.Backend.CopyAsync(item, destination, ct).ConfigureAwait(false);
                        copied.Add(item);
                    }
                    catch (CloudreveException ex)
                    {
                        yield(() => WriteFailure(ex, item));
                    }
                    finally
                    {
                        gate.Release();
                    }
                })).ConfigureAwait(false);
            }, write => write());
            return items.Where(copied.Contains);
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>One failure of a batch call: the items it covers (one, or all items of a request that failed as a whole) and why.</summary>
    internal sealed class BatchFailure
    {
        public BatchFailure(IReadOnlyList<CloudreveItem> items, CloudreveException error)
        {
            Items = items;
            Error = error;
        }

        public IReadOnlyList<CloudreveItem> Items { get; }

        public CloudreveException Error { get; }

        /// <summary>What an error record should name: the item, or all items of the failed request.</summary>
        public object Target => Items.Count == 1 ? (object)Items[0] : Items.ToArray();
    }

    /// <summary>What a batch move or copy led to, item by item. Failures are reported here, not thrown.</summary>
    internal sealed class BatchOutcome
    {
        private readonly List<CloudreveItem> _done = new List<CloudreveItem>();
        private readonly List<BatchFailure> _failures = new List<BatchFailure>();
        private readonly object _gate = new object();

        /// <summary>The items that made it, in no particular order.</summary>
        public IReadOnlyList<CloudreveItem> Done
        {
            get { lock (_gate) { return _done.ToArray(); } }
        }

        public IReadOnlyList<BatchFailure> Failures
        {
            get { lock (_gate) { return _failures.ToArray(); } }
        }

        public void Succeeded(IEnumerable<CloudreveItem> items)
        {
            lock (_gate) { _done.AddRange(items); }
        }

        public void Failed(IReadOnlyList<CloudreveItem> items, CloudreveException error)
        {
            lock (_gate) { _failures.Add(new BatchFailure(items, error)); }
        }

        /// <summary>For callers that handle one item at a time: throws the first failure.</summary>
        public void ThrowIfFailed()
        {
            var failures = Failures;
            if (failures.Count > 0)
            {
                throw failures[0].Error;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>Download URLs for several files from one request, in the order asked.</summary>
    internal sealed class DownloadUrlBatch
    {
        public DownloadUrlBatch(IReadOnlyList<Uri?> urls, DateTimeOffset? expires)
        {
            Urls = urls;
            Expires = expires;
        }

        /// <summary>One entry per file; null where the server made no URL (the file's own request tells why).</summary>
        public IReadOnlyList<Uri?> Urls { get; }

        /// <summary>When the first of these URLs runs out, when the server said.</summary>
        public DateTimeOffset? Expires { get; }
    }

    /// <summary>
    /// A download backend that makes URLs for many files in one request (Cloudreve 4: POST /file/url with many
    /// URIs). Backends without it (3.x) make one URL per request through <see cref="ICloudreveDownloadBackend"/>.
    /// </summary>
    internal interface ICloudreveDownloadUrlBatches
    {
        /// <summary>The most files one request may ask for (the server's limit).</summary>
        int MaxFilesPerUrlRequest { get; }

        /// <summary>
        /// URLs for up to <see cref="MaxFilesPerUrlRequest"/> files in one request. A file the server makes no URL for
        /// (missing, a folder, not allowed) gets null instead of failing the others; a failure of the request as a
        /// whole throws.
        /// </summary>
        Task<DownloadUrlBatch> GetDownloadUrlBatchAsync(IReadOnlyList<CloudreveFile> files, CancellationToken cancellationToken);
    }
}

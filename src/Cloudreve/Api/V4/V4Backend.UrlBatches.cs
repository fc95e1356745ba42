using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// Download URLs for many files in one POST /file/url (reference section 12): skip_error keeps the files the
    /// server can serve when others fail ({"url":""} in their place, order kept, cap 375); at most max_batched_file
    /// URIs (3000 on 4.18) per request, more is 40074.
    /// </summary>
    internal sealed partial class V4Backend : ICloudreveDownloadUrlBatches
    {
        public int MaxFilesPerUrlRequest => MaxUrisPerCall;

        public async Task<DownloadUrlBatch> GetDownloadUrlBatchAsync(IReadOnlyList<CloudreveFile> files, CancellationToken cancellationToken)
        {
            if (files.Count == 0 || files.Count > MaxUrisPerCall)
            {
                throw new ArgumentOutOfRangeException(nameof(files), $"A URL request takes 1 to {MaxUrisPerCall} files.");
            }

            var operation = files.Count == 1 ? $"Getting a download URL for '{files[0].Path}'" : $"Getting download URLs for {files.Count} files";
            var body = new V4UrlRequest { Uris = files.Select(UriOf).ToArray(), Download = true, SkipError = true };
            var reply = await CallAsync<V4UrlReply>(HttpMethod.Post, "file/url", body, operation, true, cancellationToken).ConfigureAwait(false);
            var urls = reply.Urls ?? Array.Empty<V4UrlEntry>();
            if (urls.Length != files.Count)
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server answered with {urls.Length} URL(s) for {files.Count} file(s).");
            }

            DateTimeOffset? expires = null;
            if (!string.IsNullOrEmpty(reply.Expires) &&
                DateTimeOffset.TryParse(System.Text.RegularExpressions.Regex.Replace(reply.Expires!, @"(\.\d{7})\d+", "$1"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                expires = at;
            }

            // The URLs are absolute (cap 17, 525, 570); Resolve only guards against a relative one.
            return new DownloadUrlBatch(urls.Select(u => string.IsNullOrEmpty(u.Url) ? null : _transport.Resolve(u.Url!)).ToArray(), expires);
        }
    }
}

using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api
{
    /// <summary>Opens download URLs for every API generation: ranges, status codes and the envelope a failed download may carry.</summary>
    internal static class DownloadOpener
    {
        private const int SignatureExpiredCode = 40005;
        private const int InvalidSignCode = 40071;
        private const int EnvelopeSniffLimit = 64 * 1024;

        /// <summary>
        /// GETs a download URL (from <paramref name="offset"/>, to <paramref name="end"/> when given). Signed URLs
        /// carry their own authority: the request is not marked for the bearer token, and the v3 cookie goes only
        /// to the site's own origin. A JSON envelope instead of content becomes an error: expired or bad
        /// signatures as DownloadUrlExpired, anything else through <paramref name="toException"/>.
        /// </summary>
        public static async Task<DownloadResponse> OpenAsync(CloudreveTransport transport, Uri url, long offset, long? end, Func<ApiEnvelope, string, CloudreveException> toException, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Clear();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
            if (offset > 0 || end.HasValue)
            {
                request.Headers.Range = new RangeHeaderValue(offset, end);
            }

            // The transfer engine retries content GETs itself (fresh URL, resume offset, one attempt budget).
            TransientRetryHandler.Skip(request);

            HttpResponseMessage response;
            try
            {
                response = await transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                request.Dispose();
            }

            try
            {
                var status = (int)response.StatusCode;
                var what = $"GET {TransportLog.Describe(url)}";
                if (status == 416)
                {
                    var total = response.Content.Headers.ContentRange?.Length;
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"{what}: the server cannot serve bytes from {offset} (file length {total?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}).") { ServerCode = 416 };
                }

                if (status == 401 || status == 403 || status == 410)
                {
                    throw new CloudreveException(CloudreveErrorKind.DownloadUrlExpired, $"{what} answered HTTP {status}: the download URL is no longer valid.") { HttpStatus = status };
                }

                if (status >= 500 || status == 429)
                {
                    throw new CloudreveException(CloudreveErrorKind.ServerError, $"{what} answered HTTP {status}.") { HttpStatus = status, RetryAfter = RetryAfterOf(response) };
                }

                if (status == 404)
                {
                    throw new CloudreveException(CloudreveErrorKind.NotFound, $"{what} answered HTTP 404: the storage no longer holds the file.") { HttpStatus = status };
                }

                if (status != 200 && status != 206)
                {
                    throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{what} answered HTTP {status}.") { HttpStatus = status };
                }

                var headers = response.Content.Headers;
                var mediaType = headers.ContentType?.MediaType;
                var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                if (status == 200 && headers.ContentDisposition == null && mediaType != null && mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0
                    && (headers.ContentLength ?? 0) <= EnvelopeSniffLimit)
                {
                    // "If the call fails before streaming starts you get HTTP 200 + JSON envelope instead."
                    var buffered = new MemoryStream();
                    await body.CopyToAsync(buffered, 81920, cancellationToken).ConfigureAwait(false);
                    body.Dispose();
                    var envelope = ApiEnvelope.Parse(buffered.ToArray());
                    if (envelope != null)
                    {
                        buffered.Dispose();
                        if (envelope.Code == SignatureExpiredCode || envelope.Code == InvalidSignCode || envelope.Code == 404 || envelope.Code == 403)
                        {
                            throw new CloudreveException(CloudreveErrorKind.DownloadUrlExpired, $"{what}: the download URL is no longer valid (Cloudreve code {envelope.Code}: {envelope.Message}).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                        }

                        throw toException(envelope, what);
                    }

                    buffered.Position = 0;
                    body = buffered;
                }

                long start = 0;
                long? totalLength = null;
                if (status == 206)
                {
                    var range = headers.ContentRange;
                    start = range?.From ?? offset;
                    totalLength = range?.Length;
                }
                else
                {
                    totalLength = headers.ContentLength;
                }

                var acceptsRanges = status == 206 || response.Headers.AcceptRanges.Contains("bytes");
                return new DownloadResponse(response, body, start, totalLength, headers.LastModified, acceptsRanges);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>The wait a Retry-After header asks for (seconds or an HTTP date), when there is one.</summary>
        private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null)
            {
                return null;
            }

            if (header.Delta.HasValue)
            {
                return header.Delta.Value;
            }

            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }

            return null;
        }
    }
}

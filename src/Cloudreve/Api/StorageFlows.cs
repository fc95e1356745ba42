using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api
{
    /// <summary>
    /// The storage providers' own upload protocols, the same whichever Cloudreve generation handed out the
    /// URLs: S3-style part PUTs with ETags and the CompleteMultipartUpload XML (s3, ks3, cos, obs, oss parts),
    /// the OSS complete call, Qiniu's v2 multipart API, the Upyun form, the OneDrive (Graph) upload session,
    /// and a Cloudreve slave node's chunk route. Requests are never marked for the bearer token and go to other
    /// origins than the site, so neither the token nor the session cookie reaches a storage URL.
    /// </summary>
    internal sealed class StorageFlows
    {
        private readonly CloudreveTransport _transport;

        public StorageFlows(CloudreveTransport transport)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        /// <summary>Generous: 100 s plus one second per 256 KiB (a stalled connection still ends).</summary>
        public static TimeSpan ChunkTimeout(long length) => TimeSpan.FromSeconds(100 + length / (256 * 1024));

        public TimeSpan RequestTimeout => _transport.Options.RequestTimeout;

        /// <summary>What sending chunk <paramref name="index"/> of <paramref name="session"/> is called in errors.</summary>
        public static string PartOperation(UploadSession session, int index) =>
            $"Sending part {index + 1} of {session.ChunkCount} of '{session.TargetPath}'";

        /// <summary>The pre-signed URL of part <paramref name="index"/>; a server that gave too few is a protocol error.</summary>
        public static string PartUrl(string[]? urls, UploadSession session, int index, string operation)
        {
            urls ??= Array.Empty<string>();
            if (index >= urls.Length)
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server gave {urls.Length} part URL(s) for {session.ChunkCount} part(s).");
            }

            return urls[index];
        }

        /// <summary>A fresh chunk body from <paramref name="makeContent"/>, typed application/octet-stream.</summary>
        public static HttpContent OctetStream(Func<HttpContent> makeContent)
        {
            var made = makeContent();
            made.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return made;
        }

        public Uri Resolve(string url) => _transport.Resolve(url);

        /// <summary>Sends a storage request: no JSON Accept default, the body read whole (storage answers are small).</summary>
        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            request.Headers.Accept.Clear();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
            return _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout, cancellationToken);
        }

        public static async Task<string> EnsureSuccessAsync(HttpResponseMessage response, string operation)
        {
            var text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Error((int)response.StatusCode, text, operation);
            }

            return text;
        }

        public static CloudreveException Error(int status, string text, string operation)
        {
            var kind = status >= 500 || status == 408 || status == 429 ? CloudreveErrorKind.ServerError
                : status == 401 || status == 403 ? CloudreveErrorKind.PermissionDenied
                : status == 404 ? CloudreveErrorKind.UploadSessionExpired
                : CloudreveErrorKind.TransferFailed;
            return new CloudreveException(kind, $"{operation} failed: the storage answered HTTP {status} ({Shorten(text)}).");
        }

        /// <summary>
        /// PUT of one part to a pre-signed URL (S3 and the S3-like storages). Returns the part's ETag as sent
        /// (quotes kept), or null when the storage sent none and <paramref name="requireTag"/> is false.
        /// </summary>
        public async Task<string?> PutPartAsync(string url, HttpContent content, bool requireTag, TimeSpan timeout, string operation, CancellationToken cancellationToken)
        {
            content.Headers.ContentType ??= new MediaTypeHeaderValue("application/octet-stream");
            using var request = new HttpRequestMessage(HttpMethod.Put, Resolve(url)) { Content = content };
            using var response = await SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
            var tag = response.Headers.ETag?.ToString() ?? (response.Headers.TryGetValues("ETag", out var tags) ? tags.FirstOrDefault() : null);
            if (requireTag && string.IsNullOrEmpty(tag))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the storage answered without an ETag.");
            }

            return tag;
        }

        /// <summary>The S3 CompleteMultipartUpload call: the parts in ascending PartNumber, each ETag with its quotes.</summary>
        public async Task CompleteMultipartAsync(string completeUrl, IReadOnlyList<string?> tags, IEnumerable<KeyValuePair<string, string>>? headers, string operation, CancellationToken cancellationToken)
        {
            var xml = new StringBuilder("<CompleteMultipartUpload>");
            for (var i = 0; i < tags.Count; i++)
            {
                xml.Append("<Part><PartNumber>").Append(i + 1).Append("</PartNumber><ETag>")
                   .Append(WebUtility.HtmlEncode(tags[i] ?? string.Empty)).Append("</ETag></Part>");
            }

            xml.Append("</CompleteMultipartUpload>");
            using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(completeUrl));
            request.Content = new StringContent(xml.ToString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xhtml+xml");
            foreach (var header in headers ?? Enumerable.Empty<KeyValuePair<string, string>>())
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var response = await SendAsync(request, RequestTimeout, cancellationToken).ConfigureAwait(false);
            var text = await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
            if (text.IndexOf("<Error>", StringComparison.Ordinal) >= 0)
            {
                throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"{operation} failed: the storage refused to assemble the parts ({Shorten(text)}).");
            }
        }

        /// <summary>The OSS complete call (empty body, the storage lists the parts itself); returns the storage's answer (OSS relays the server's callback reply).</summary>
        public async Task<string> CompleteOssAsync(string completeUrl, string operation, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(completeUrl));
            request.Content = new ByteArrayContent(Array.Empty<byte>());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Headers.TryAddWithoutValidation("x-oss-forbid-overwrite", "true");
            request.Headers.TryAddWithoutValidation("x-oss-complete-all", "yes");
            using var response = await SendAsync(request, RequestTimeout, cancellationToken).ConfigureAwait(false);
            return await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
        }

        /// <summary>Qiniu multipart: PUT {base}/{index+1} with the upload token; returns the part's etag.</summary>
        public async Task<string> QiniuPartAsync(string baseUrl, int index, string? credential, HttpContent content, TimeSpan timeout, string operation, CancellationToken cancellationToken)
        {
            content.Headers.ContentType ??= new MediaTypeHeaderValue("application/octet-stream");
            using var request = new HttpRequestMessage(HttpMethod.Put, Resolve(baseUrl.TrimEnd('/') + "/" + (index + 1).ToString(CultureInfo.InvariantCulture))) { Content = content };
            request.Headers.TryAddWithoutValidation("Authorization", "UpToken " + credential);
            using var response = await SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            var text = await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
            return ReadJsonString(text, "etag") ?? throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: Qiniu answered without an etag.");
        }

        /// <summary>Qiniu complete: POST {base} with the parts (and the MIME type when known); returns Qiniu's answer (it relays the server's callback reply).</summary>
        public async Task<string> QiniuCompleteAsync(string baseUrl, string? credential, IReadOnlyList<string?> tags, string? mimeType, string operation, CancellationToken cancellationToken)
        {
            var parts = string.Join(",", tags.Select((t, i) =>
                "{\"etag\":" + JsonSerializer.Serialize(t ?? string.Empty) + ",\"partNumber\":" + (i + 1).ToString(CultureInfo.InvariantCulture) + "}"));
            var body = "{\"parts\":[" + parts + "]" + (string.IsNullOrEmpty(mimeType) ? string.Empty : ",\"mimeType\":" + JsonSerializer.Serialize(mimeType)) + "}";
            using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(baseUrl));
            request.Headers.TryAddWithoutValidation("Authorization", "UpToken " + credential);
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await SendAsync(request, RequestTimeout, cancellationToken).ConfigureAwait(false);
            return await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
        }

        /// <summary>The Upyun form upload: policy, authorization, then the file as the last part.</summary>
        public async Task UpyunFormAsync(string url, string? policy, string? authorization, string fileName, HttpContent content, TimeSpan timeout, string operation, CancellationToken cancellationToken)
        {
            using var form = new MultipartFormDataContent();
            AddField(form, "policy", policy);
            AddField(form, "authorization", authorization);
            form.Add(content, "file", fileName);
            using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(url)) { Content = form };
            using var response = await SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
        }

        /// <summary>
        /// A slave node's chunk route: POST {url}?chunk={index} with the credential as the whole Authorization
        /// header. Returns the node's envelope (the caller reads the codes of its generation).
        /// </summary>
        public async Task<ApiEnvelope> RemoteChunkAsync(string url, int index, string? credential, HttpContent content, TimeSpan timeout, string operation, CancellationToken cancellationToken)
        {
            content.Headers.ContentType ??= new MediaTypeHeaderValue("application/octet-stream");
            var target = url + (url.IndexOf('?') >= 0 ? "&" : "?") + "chunk=" + index.ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(target)) { Content = content };
            request.Headers.TryAddWithoutValidation("Authorization", credential ?? string.Empty);
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout, cancellationToken).ConfigureAwait(false);
            var envelope = await ReadEnvelopeAnyStatusAsync(response).ConfigureAwait(false);
            if (envelope == null)
            {
                var status = (int)response.StatusCode;
                throw new CloudreveException(status >= 500 ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError,
                    $"{operation} failed: POST {TransportLog.Describe(request.RequestUri)} answered HTTP {status} instead of a Cloudreve response.");
            }

            return envelope;
        }

        /// <summary>
        /// One chunk of a OneDrive (Graph) upload session: PUT with Content-Range, in order. A resend first asks
        /// the session which bytes it still expects, so a chunk whose answer was lost is not sent twice.
        /// </summary>
        public async Task<ChunkOutcome> OneDriveChunkAsync(string sessionUrl, long start, long length, long total, HttpContent content, bool resend, string operation, CancellationToken cancellationToken)
        {
            var url = Resolve(sessionUrl);
            if (total == 0)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"{operation}: OneDrive cannot receive empty files through an upload session.");
            }

            if (resend)
            {
                var next = await OneDriveNextExpectedAsync(url, cancellationToken).ConfigureAwait(false);
                if (next.HasValue && next.Value >= start + length)
                {
                    content.Dispose();
                    return ChunkOutcome.AlreadyStored;
                }
            }

            content.Headers.ContentType ??= new MediaTypeHeaderValue("application/octet-stream");
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
            content.Headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, total);
            using var response = await SendAsync(request, ChunkTimeout(length), cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status == 200 || status == 201 || status == 202)
            {
                return ChunkOutcome.Stored;
            }

            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (text.IndexOf("fragmentOverlap", StringComparison.OrdinalIgnoreCase) >= 0 || status == 416)
            {
                var next = await OneDriveNextExpectedAsync(url, cancellationToken).ConfigureAwait(false);
                if (next.HasValue && next.Value >= start + length)
                {
                    return ChunkOutcome.AlreadyStored;
                }
            }

            throw Error(status, text, operation);
        }

        /// <summary>GET on a Graph upload session: the first byte of nextExpectedRanges, null when unknown.</summary>
        private async Task<long?> OneDriveNextExpectedAsync(Uri url, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await SendAsync(request, RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
                if (doc.RootElement.TryGetProperty("nextExpectedRanges", out var ranges) && ranges.ValueKind == JsonValueKind.Array && ranges.GetArrayLength() > 0)
                {
                    var first = ranges[0].GetString() ?? string.Empty;
                    var dash = first.IndexOf('-');
                    if (long.TryParse(dash < 0 ? first : first.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var next))
                    {
                        return next;
                    }
                }
            }
            catch (JsonException)
            {
            }

            return null;
        }

        /// <summary>The envelope in a JSON reply of any HTTP status (callback routes and slave nodes answer 400/401/403 with one).</summary>
        public static async Task<ApiEnvelope?> ReadEnvelopeAnyStatusAsync(HttpResponseMessage response)
        {
            var mediaType = response.Content?.Headers.ContentType?.MediaType;
            if (response.Content == null || mediaType == null || mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return null;
            }

            return ApiEnvelope.Parse(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        }

        /// <summary>A storage answer that is a Cloudreve envelope with a non-zero code (OSS and Qiniu relay the server's callback reply).</summary>
        public static ApiEnvelope? FailedEnvelope(string text)
        {
            var envelope = ApiEnvelope.Parse(Encoding.UTF8.GetBytes(text));
            return envelope != null && envelope.Code != 0 ? envelope : null;
        }

        public static string? ReadJsonString(string text, string property)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public static void AddField(MultipartFormDataContent form, string name, string? value)
        {
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(value ?? string.Empty)), name);
        }

        public static string Shorten(string text)
        {
            text = text.Replace('\r', ' ').Replace('\n', ' ').Trim();
            return text.Length <= 200 ? (text.Length == 0 ? "no body" : text) : text.Substring(0, 200) + "…";
        }
    }
}

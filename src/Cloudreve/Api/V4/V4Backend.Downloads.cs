using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>Downloads on 4.x: POST /file/url gives absolute signed URLs (section 12), fetched without the token.</summary>
    internal sealed partial class V4Backend
    {
        internal sealed class V4UrlRequest
        {
            [JsonPropertyName("uris")] public string[] Uris { get; set; } = Array.Empty<string>();
            [JsonPropertyName("download")] public bool Download { get; set; } = true;
        }

        internal sealed class V4UrlReply
        {
            [JsonPropertyName("urls")] public V4Url[]? Urls { get; set; }
        }

        internal sealed class V4Url
        {
            [JsonPropertyName("url")] public string? Url { get; set; }
        }

        public async Task<Uri> GetDownloadUrlAsync(CloudreveFile file, CancellationToken cancellationToken)
        {
            var operation = $"Getting a download URL for '{file.Path}'";
            var envelope = await SendAsync(HttpMethod.Post, "file/url", new V4UrlRequest { Uris = new[] { UriOf(file) } }, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V4Errors.BatchPartlyFailed && envelope.AggregatedErrors.Count > 0)
            {
                // One URI: the inner error is the reason (a missing file is 40016).
                var inner = envelope.AggregatedErrors.First().Value;
                if (inner.Code == 40016 || inner.Code == 404)
                {
                    throw new CloudreveException(CloudreveErrorKind.NotFound, $"{operation} failed: the file no longer exists on the server.") { ServerCode = inner.Code, ServerMessage = inner.Message };
                }

                throw V4Errors.ToException(inner.Code, inner.Message, operation);
            }

            if (envelope.Code == 40016)
            {
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"{operation} failed: the file no longer exists on the server.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            ThrowIfError(envelope, operation);
            var url = envelope.Deserialize<V4UrlReply>(operation, Json).Urls?.FirstOrDefault()?.Url;
            if (string.IsNullOrEmpty(url))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server answered with no URL.");
            }

            return _transport.Resolve(url!);
        }

        public Task<DownloadResponse> OpenDownloadAsync(Uri url, long offset, long? end, CancellationToken cancellationToken) =>
            DownloadOpener.OpenAsync(_transport, url, offset, end, (envelope, what) => V4Errors.ToException(envelope.Code, envelope.Message, what), cancellationToken);
    }
}

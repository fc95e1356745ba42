using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// Uploads on 4.x for the local storage policy (and relay policies), section 10.2: PUT /file/upload opens the
    /// session, POST /file/upload/{id}/{index} sends each chunk with the token, and the file is done after the
    /// last missing chunk. Other storage policies (remote, s3, ...) are not spoken yet: their sessions are
    /// cancelled at once and the upload fails with CloudreveNotSupportedByServer.
    /// </summary>
    internal sealed partial class V4Backend : ICloudreveTransferBackend
    {
        /// <summary>Open sessions of this login by id, with their URI: 4.x cancels by id and URI (DELETE /file/upload {id,uri}).</summary>
        private readonly ConcurrentDictionary<string, string> _openUploads = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        internal sealed class V4UploadRequest
        {
            [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
            [JsonPropertyName("size")] public long Size { get; set; }
            [JsonPropertyName("last_modified")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? LastModified { get; set; }
            [JsonPropertyName("mime_type")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MimeType { get; set; }
        }

        internal sealed class V4UploadReply
        {
            [JsonPropertyName("session_id")] public string? SessionId { get; set; }
            [JsonPropertyName("chunk_size")] public long ChunkSize { get; set; }
            [JsonPropertyName("expires")] public long Expires { get; set; }
            [JsonPropertyName("storage_policy")] public V4UploadPolicy? StoragePolicy { get; set; }
        }

        internal sealed class V4UploadPolicy
        {
            [JsonPropertyName("type")] public string? Type { get; set; }
            [JsonPropertyName("relay")] public bool Relay { get; set; }
        }

        internal sealed class V4CancelRequest
        {
            [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
            [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
        }

        public async Task<UploadSession> CreateUploadSessionAsync(UploadRequest request, CancellationToken cancellationToken)
        {
            var target = RemotePath.Combine(request.FolderPath, request.Name);
            var uri = CloudreveUris.FromPath(target);
            var operation = $"Opening an upload of '{target}'";
            var body = new V4UploadRequest
            {
                Uri = uri,
                Size = request.Size,
                LastModified = request.LastModified?.ToUnixTimeMilliseconds(),
                MimeType = string.IsNullOrEmpty(request.MimeType) ? null : request.MimeType,
            };
            var envelope = await SendAsync(HttpMethod.Put, "file/upload", body, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 40004)
            {
                // 4.x gives 40004 for an existing file and for a pending (or expired) upload of the same name alike.
                throw new CloudreveException(CloudreveErrorKind.Conflict, $"{operation} failed: '{target}' already exists or another upload holds the name.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            ThrowIfError(envelope, operation);
            var reply = envelope.Deserialize<V4UploadReply>(operation, Json);
            if (string.IsNullOrEmpty(reply.SessionId))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer carried no session id.");
            }

            _openUploads[reply.SessionId!] = uri;
            var type = (reply.StoragePolicy?.Type ?? request.Policy.Type ?? "local").ToLowerInvariant();
            if (type != "local" && reply.StoragePolicy?.Relay != true)
            {
                await CancelUploadAsync(reply.SessionId!, CancellationToken.None).ConfigureAwait(false);
                throw NotSupported($"Uploading to the '{type}' storage policy", "a storage policy of type local (or relay) for now; other policies are not spoken by this module on 4.x yet");
            }

            return new UploadSession
            {
                SessionId = reply.SessionId!,
                ChunkSize = reply.ChunkSize,
                Expires = DateTimeOffset.FromUnixTimeSeconds(reply.Expires),
                PolicyType = "local",
                Request = request,
            };
        }

        /// <summary>4.x accepts a chunk again before the upload completes, so a resend needs no special case.</summary>
        public async Task<ChunkOutcome> SendChunkAsync(UploadSession session, int index, Func<HttpContent> makeContent, bool resend, CancellationToken cancellationToken)
        {
            var operation = $"Sending part {index + 1} of {session.ChunkCount} of '{RemotePath.Combine(session.Request.FolderPath, session.Request.Name)}'";
            var route = $"file/upload/{Uri.EscapeDataString(session.SessionId)}/{index}";
            HttpRequestMessage Make()
            {
                var request = CreateRequest(HttpMethod.Post, route, null, authorize: true);
                var content = makeContent();
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content = content;
                return request;
            }

            // Generous: 100 s plus one second per 256 KiB (a stalled connection still ends).
            var timeout = TimeSpan.FromSeconds(100 + session.ChunkLength(index) / (256 * 1024));
            var envelope = await SendAsync(Make, operation, true, timeout, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 40011)
            {
                throw new CloudreveException(CloudreveErrorKind.UploadSessionExpired, $"{operation} failed: the upload session is gone (expired, cancelled or already finished).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            ThrowIfError(envelope, operation);
            return ChunkOutcome.Stored;
        }

        /// <summary>The local policy finishes by itself after the last missing chunk.</summary>
        public Task CompleteUploadAsync(UploadSession session, CancellationToken cancellationToken)
        {
            _openUploads.TryRemove(session.SessionId, out _);
            return Task.CompletedTask;
        }

        public async Task CancelUploadAsync(string sessionId, CancellationToken cancellationToken)
        {
            if (!_openUploads.TryGetValue(sessionId, out var uri))
            {
                return; // not opened by this login, or already finished or cancelled
            }

            var operation = "Cancelling an upload";
            var envelope = await SendAsync(HttpMethod.Delete, "file/upload", new V4CancelRequest { Id = sessionId, Uri = uri }, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code != 40016 && envelope.Code != 40011)
            {
                ThrowIfError(envelope, operation);
            }

            _openUploads.TryRemove(sessionId, out _);
        }

        /// <summary>4.x has no route that lists upload sessions: cancels those this login opened and has not finished.</summary>
        public async Task CancelAllUploadsAsync(CancellationToken cancellationToken)
        {
            foreach (var id in _openUploads.Keys.ToArray())
            {
                await CancelUploadAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;
using Envelope = Cloudreve.Api.ApiEnvelope;

namespace Cloudreve.Api.V3
{
    /// <summary>
    /// v3 transfer routes: upload sessions (PUT/DELETE /file/upload), the byte flows of every storage
    /// policy (section 5 of the API notes), download URLs (PUT /file/download/{id}) and ranged GETs.
    /// Requests to storage providers go through the same client; the session cookie handler only adds
    /// the Cloudreve cookie for the site's own origin, so third-party URLs never see it.
    /// </summary>
    internal sealed partial class V3Backend : ICloudreveTransferBackend
    {
        private const int UploadFailedCode = 40002;
        private const int UploadSessionExpiredCode = 40011;
        private StorageFlows? _storage;

        internal sealed class V3UploadRequest
        {
            [JsonPropertyName("path")] public string Path { get; set; } = "/";
            [JsonPropertyName("size")] public long Size { get; set; }
            [JsonPropertyName("name")] public string Name { get; set; } = string.Empty;
            [JsonPropertyName("policy_id")] public string PolicyId { get; set; } = string.Empty;
            [JsonPropertyName("last_modified")] public long LastModified { get; set; }
            [JsonPropertyName("mime_type")] public string MimeType { get; set; } = string.Empty;
        }

        internal sealed class V3UploadCredential
        {
            [JsonPropertyName("sessionID")] public string? SessionId { get; set; }
            [JsonPropertyName("chunkSize")] public long ChunkSize { get; set; }
            [JsonPropertyName("expires")] public long Expires { get; set; }
            [JsonPropertyName("uploadURLs")] public string[]? UploadUrls { get; set; }
            [JsonPropertyName("credential")] public string? Credential { get; set; }
            [JsonPropertyName("uploadID")] public string? UploadId { get; set; }
            [JsonPropertyName("callback")] public string? Callback { get; set; }
            [JsonPropertyName("path")] public string? Path { get; set; }
            [JsonPropertyName("ak")] public string? AccessKey { get; set; }
            [JsonPropertyName("keyTime")] public string? KeyTime { get; set; }
            [JsonPropertyName("policy")] public string? Policy { get; set; }
            [JsonPropertyName("completeURL")] public string? CompleteUrl { get; set; }
        }

        /// <summary>Per-session state: the credential and the part tags collected so far.</summary>
        internal sealed class V3UploadState
        {
            public V3UploadState(V3UploadCredential credential, int parts)
            {
                Credential = credential;
                PartTags = new string?[parts];
            }

            public V3UploadCredential Credential { get; }

            public string?[] PartTags { get; }
        }

        /// <summary>3.x has no versions: a replacement is an upload under another name, then delete and rename.</summary>
        public bool ReplacesInPlace => false;

        public async Task<UploadSession> CreateUploadSessionAsync(UploadRequest request, CancellationToken cancellationToken)
        {
            var body = new V3UploadRequest
            {
                Path = request.FolderPath,
                Size = request.Size,
                Name = request.Name,
                PolicyId = request.Policy.Id,
                LastModified = request.LastModified?.ToUnixTimeMilliseconds() ?? 0,
                MimeType = request.MimeType ?? string.Empty,
            };
            var target = RemotePath.Combine(request.FolderPath, request.Name);
            var operation = $"Opening an upload of '{target}'";
            var envelope = await SendAsync(HttpMethod.Put, "file/upload", body, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 40004)
            {
                throw new CloudreveException(CloudreveErrorKind.Conflict, $"{operation} failed: '{target}' already exists.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            if (envelope.Code == 40054)
            {
                throw new CloudreveException(CloudreveErrorKind.UploadInProgress,
                    $"{operation} failed: another upload of '{target}' is in progress (or an abandoned one still holds the name).")
                { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            if (envelope.Code == -1 && request.Policy.Type == "s3" && envelope.Message.IndexOf("exist", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw new CloudreveException(CloudreveErrorKind.Conflict, $"{operation} failed: the storage already holds '{target}' ({envelope.Message}).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            ThrowIfError(envelope, operation);
            var credential = Deserialize<V3UploadCredential>(envelope, operation);
            if (string.IsNullOrEmpty(credential.SessionId))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer carried no session id.");
            }

            var session = new UploadSession
            {
                SessionId = credential.SessionId!,
                ChunkSize = credential.ChunkSize,
                Expires = DateTimeOffset.FromUnixTimeSeconds(credential.Expires),
                PolicyType = string.IsNullOrEmpty(request.Policy.Type) ? "local" : request.Policy.Type.ToLowerInvariant(),
                Request = request,
            };
            session.State = new V3UploadState(credential, session.ChunkCount);
            return session;
        }

        public async Task<ChunkOutcome> SendChunkAsync(UploadSession session, int index, Func<HttpContent> makeContent, bool resend, CancellationToken cancellationToken)
        {
            var state = (V3UploadState)session.State!;
            var c = state.Credential;
            var operation = StorageFlows.PartOperation(session, index);
            var timeout = StorageFlows.ChunkTimeout(session.ChunkLength(index));
            HttpContent Make() => StorageFlows.OctetStream(makeContent);

            switch (session.PolicyType)
            {
                case "local":
                    {
                        var envelope = await SendContentAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(SiteUri, $"api/v3/file/upload/{Uri.EscapeDataString(session.SessionId)}/{index}")) { Content = Make() },
                            operation, true, timeout, cancellationToken).ConfigureAwait(false);
                        return ChunkEnvelope(envelope, index, resend, operation);
                    }

                case "remote":
                    {
                        var envelope = await Storage.RemoteChunkAsync(FirstUrl(c, operation), index, c.Credential, Make(), timeout, operation, cancellationToken).ConfigureAwait(false);
                        return ChunkEnvelope(envelope, index, resend, operation);
                    }

                case "onedrive":
                    return await Storage.OneDriveChunkAsync(FirstUrl(c, operation), session.ChunkOffset(index), session.ChunkLength(index), session.Request.Size, Make(), resend, operation, cancellationToken).ConfigureAwait(false);

                case "s3":
                case "oss":
                    {
                        var url = StorageFlows.PartUrl(c.UploadUrls, session, index, operation);
                        state.PartTags[index] = await Storage.PutPartAsync(url, Make(), session.PolicyType == "s3", timeout, operation, cancellationToken).ConfigureAwait(false);
                        return ChunkOutcome.Stored;
                    }

                case "qiniu":
                    {
                        state.PartTags[index] = await Storage.QiniuPartAsync(FirstUrl(c, operation), index, c.Credential, Make(), timeout, operation, cancellationToken).ConfigureAwait(false);
                        return ChunkOutcome.Stored;
                    }

                case "cos":
                    {
                        using var form = new MultipartFormDataContent();
                        StorageFlows.AddField(form, "policy", c.Policy);
                        StorageFlows.AddField(form, "key", c.Path);
                        StorageFlows.AddField(form, "x-cos-meta-callback", c.Callback);
                        StorageFlows.AddField(form, "x-cos-meta-key", session.SessionId);
                        StorageFlows.AddField(form, "q-sign-algorithm", "sha1");
                        StorageFlows.AddField(form, "q-key-time", c.KeyTime);
                        StorageFlows.AddField(form, "q-ak", c.AccessKey);
                        StorageFlows.AddField(form, "q-signature", c.Credential);
                        StorageFlows.AddField(form, "name", session.Request.Name);
                        form.Add(Make(), "file", session.Request.Name);
                        using var request = new HttpRequestMessage(HttpMethod.Post, Storage.Resolve(FirstUrl(c, operation))) { Content = form };
                        using var response = await Storage.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
                        await StorageFlows.EnsureSuccessAsync(response, operation).ConfigureAwait(false);
                        return ChunkOutcome.Stored;
                    }

                case "upyun":
                    await Storage.UpyunFormAsync(FirstUrl(c, operation), c.Policy, c.Credential, session.Request.Name, Make(), timeout, operation, cancellationToken).ConfigureAwait(false);
                    return ChunkOutcome.Stored;

                default:
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"{operation}: the storage policy type '{session.PolicyType}' is not supported by this module.");
            }
        }

        public async Task CompleteUploadAsync(UploadSession session, CancellationToken cancellationToken)
        {
            var state = (V3UploadState)session.State!;
            var c = state.Credential;
            var operation = $"Completing the upload of '{session.TargetPath}'";
            var sid = Uri.EscapeDataString(session.SessionId);
            switch (session.PolicyType)
            {
                case "local":
                case "remote":
                case "upyun":
                    return;

                case "onedrive":
                    await CallbackAsync(HttpMethod.Post, $"callback/onedrive/finish/{sid}", "{}", operation, cancellationToken).ConfigureAwait(false);
                    return;

                case "cos":
                    await CallbackAsync(HttpMethod.Get, $"callback/cos/{sid}", null, operation, cancellationToken).ConfigureAwait(false);
                    return;

                case "s3":
                    {
                        await Storage.CompleteMultipartAsync(c.CompleteUrl ?? throw MissingField("completeURL", operation), state.PartTags, null, operation, cancellationToken).ConfigureAwait(false);
                        await CallbackAsync(HttpMethod.Get, $"callback/s3/{sid}", null, operation, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                case "oss":
                    {
                        var text = await Storage.CompleteOssAsync(c.CompleteUrl ?? throw MissingField("completeURL", operation), operation, cancellationToken).ConfigureAwait(false);
                        ThrowIfCallbackFailed(text, operation);
                        return;
                    }

                case "qiniu":
                    {
                        var text = await Storage.QiniuCompleteAsync(FirstUrl(c, operation), c.Credential, state.PartTags, null, operation, cancellationToken).ConfigureAwait(false);
                        ThrowIfCallbackFailed(text, operation);
                        return;
                    }

                default:
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"{operation}: the storage policy type '{session.PolicyType}' is not supported by this module.");
            }
        }

        public async Task CancelUploadAsync(string sessionId, CancellationToken cancellationToken)
        {
            var operation = $"Cancelling the upload session {sessionId}";
            var envelope = await SendAsync(HttpMethod.Delete, "file/upload/" + Uri.EscapeDataString(sessionId), null, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code != UploadSessionExpiredCode)
            {
                ThrowIfError(envelope, operation);
            }
        }

        public Task CancelAllUploadsAsync(CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Delete, "file/upload", null, "Cancelling all upload sessions", true, cancellationToken);

        public async Task<Uri> GetDownloadUrlAsync(CloudreveFile file, CancellationToken cancellationToken)
        {
            var operation = $"Getting a download URL for '{file.Path}'";
            var envelope = await SendAsync(HttpMethod.Put, "file/download/" + Uri.EscapeDataString(file.Id), null, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 40016 || envelope.Code == 404)
            {
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"{operation} failed: the file no longer exists on the server.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            var url = CallData<string>(envelope, operation);
            if (string.IsNullOrEmpty(url))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server answered with an empty URL.");
            }

            return _transport.Resolve(url);
        }

        public Task<DownloadResponse> OpenDownloadAsync(Uri url, long offset, long? end, CancellationToken cancellationToken) =>
            DownloadOpener.OpenAsync(_transport, url, offset, end, (envelope, what) => V3Errors.ToException(envelope.Code, envelope.Message, what), cancellationToken);

        // ---- helpers ----------------------------------------------------------------------------

        private ChunkOutcome ChunkEnvelope(Envelope envelope, int index, bool resend, string operation)
        {
            if (envelope.Code == V3Errors.Success)
            {
                return ChunkOutcome.Stored;
            }

            if (envelope.Code == UploadFailedCode && index == 0 && resend)
            {
                // 3.8.3 writes chunk 0 without the overwrite flag: a resend of a chunk that did arrive gets 40002.
                TransportLog.Write("The server already holds part 1 from the earlier attempt; going on with part 2.");
                return ChunkOutcome.AlreadyStored;
            }

            if (envelope.Code == UploadSessionExpiredCode)
            {
                throw new CloudreveException(CloudreveErrorKind.UploadSessionExpired, $"{operation} failed: the upload session is gone (expired, cancelled or finished).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            if (envelope.Code == UploadFailedCode || envelope.Code == 40013 || envelope.Code == 40012)
            {
                // Write failures, length and order problems: the session itself is not trusted any more.
                throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"{operation} failed (Cloudreve code {envelope.Code}: {envelope.Message}).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            throw V3Errors.ToException(envelope.Code, envelope.Message, operation);
        }

        private async Task CallbackAsync(HttpMethod method, string route, string? json, string operation, CancellationToken cancellationToken)
        {
            var envelope = await SendContentAsync(() =>
            {
                var r = new HttpRequestMessage(method, new Uri(SiteUri, "api/v3/" + route));
                if (json != null)
                {
                    r.Content = new StringContent(json, Encoding.UTF8, "application/json");
                }

                return r;
            }, operation, false, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == UploadSessionExpiredCode)
            {
                throw new CloudreveException(CloudreveErrorKind.UploadSessionExpired, $"{operation} failed: the server no longer knows the upload session.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            if (envelope.Code == 40055)
            {
                throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"{operation} failed: the server found the stored file different from what was sent ({envelope.Message}).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            ThrowIfError(envelope, operation);
        }

        private static void ThrowIfCallbackFailed(string text, string operation)
        {
            var envelope = ParseEnvelope(Encoding.UTF8.GetBytes(text));
            if (envelope != null && envelope.Code != 0)
            {
                throw V3Errors.ToException(envelope.Code, envelope.Message, operation);
            }
        }

        /// <summary>
        /// Sends a request built by <paramref name="make"/> (called again for the retry after a re-login)
        /// and parses the Cloudreve envelope; HTTP 401 with an envelope is read like 200.
        /// </summary>
        private async Task<Envelope> SendContentAsync(Func<HttpRequestMessage> make, string operation, bool authenticated, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var generation = _renewal.Generation;
            var envelope = await SendContentOnceAsync(make, operation, timeout, cancellationToken).ConfigureAwait(false);
            if (!authenticated || envelope.Code != V3Errors.LoginRequired || Reauthenticate == null)
            {
                return envelope;
            }

            await ReauthenticateOnceAsync(generation, cancellationToken).ConfigureAwait(false);

            return await SendContentOnceAsync(make, operation, timeout, cancellationToken).ConfigureAwait(false);
        }

        private async Task<Envelope> SendContentOnceAsync(Func<HttpRequestMessage> make, string operation, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var request = make();
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout, cancellationToken).ConfigureAwait(false);
            var envelope = await ReadEnvelopeAsync(response).ConfigureAwait(false);
            if (envelope == null)
            {
                var status = (int)response.StatusCode;
                var kind = status >= 500 ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError;
                throw new CloudreveException(kind, $"{operation} failed: {request.Method} {TransportLog.Describe(request.RequestUri)} answered HTTP {status} instead of a Cloudreve response.");
            }

            return envelope;
        }

        private static T CallData<T>(Envelope envelope, string operation)
        {
            ThrowIfError(envelope, operation);
            return Deserialize<T>(envelope, operation);
        }

        private static string FirstUrl(V3UploadCredential c, string operation) =>
            c.UploadUrls != null && c.UploadUrls.Length > 0 && !string.IsNullOrEmpty(c.UploadUrls[0]) ? c.UploadUrls[0] : throw MissingField("uploadURLs", operation);

        private static CloudreveException MissingField(string field, string operation) =>
            new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the upload credential has no '{field}'.");

        private StorageFlows Storage => _storage ??= new StorageFlows(_transport);
    }
}


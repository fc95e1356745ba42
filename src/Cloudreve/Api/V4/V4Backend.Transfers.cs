using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// v4 transfer routes (sections 10 and 12 of the v4 notes): upload sessions (PUT/DELETE /file/upload),
    /// local and relay chunks through the master, the storage providers' own flows through
    /// <see cref="StorageFlows"/>, download URLs from POST /file/url and ranged GETs
    /// through <see cref="DownloadOpener"/> (both shared with the v3 adapter). Only requests to /api/v4 on the site carry the bearer token; storage
    /// URLs, slave nodes, callbacks and signed download URLs never do (cap 517).
    /// </summary>
    internal sealed partial class V4Backend : ICloudreveTransferBackend
    {
        private const int UploadSessionGone = 40011;
        private const int NoSuchSession = 40016;
        private const int WrongPolicyRoute = 40006;

        /// <summary>Sessions this connection opened and has not finished or cancelled: id to target URI (a cancel needs both).</summary>
        private readonly ConcurrentDictionary<string, string> _openUploads = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private StorageFlows? _storage;

        private StorageFlows Storage => _storage ??= new StorageFlows(_transport);

        /// <summary>4.x stores an overwrite as a new version of the same file (entity_type "version", cap 318).</summary>
        public bool ReplacesInPlace => true;

        internal sealed class V4UploadState
        {
            public V4UploadState(V4UploadCredential credential, string uri, int parts)
            {
                Credential = credential;
                Uri = uri;
                PartTags = new string?[parts];
            }

            public V4UploadCredential Credential { get; }

            public string Uri { get; }

            public string?[] PartTags { get; }
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
                LastModified = request.LastModified?.ToUnixTimeMilliseconds() ?? 0,
                MimeType = string.IsNullOrEmpty(request.MimeType) ? null : request.MimeType,
                EntityType = request.ReplaceExisting ? "version" : null,
            };
            var envelope = await SendAsync(HttpMethod.Put, "file/upload", body, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == 40004)
            {
                // A file (without entity_type "version"), a folder, or a pending or expired session holds the name (cap 303, 317, 326, 348).
                throw new CloudreveException(request.ReplaceExisting ? CloudreveErrorKind.UploadInProgress : CloudreveErrorKind.Conflict,
                    request.ReplaceExisting
                        ? $"{operation} failed: another upload of '{target}' is in progress (or an abandoned one still holds the name), or '{target}' is a folder."
                        : $"{operation} failed: '{target}' already exists (or another upload holds the name).")
                { ServerCode = envelope.Code, ServerMessage = envelope.Message };
            }

            ThrowIfError(envelope, operation);
            var credential = envelope.Deserialize<V4UploadCredential>(operation, Json);
            if (string.IsNullOrEmpty(credential.SessionId))
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer carried no session id.");
            }

            var policy = credential.StoragePolicy;
            var type = (policy?.Type ?? request.Policy.Type ?? "local").ToLowerInvariant();
            var session = new UploadSession
            {
                SessionId = credential.SessionId!,
                ChunkSize = credential.ChunkSize,
                Expires = DateTimeOffset.FromUnixTimeSeconds(credential.Expires),
                // A relay policy takes its chunks through the master, like a local one (section 10.2).
                PolicyType = policy?.Relay == true ? "local" : type,
                Request = request,
            };
            var serverUri = string.IsNullOrEmpty(credential.Uri) ? uri : credential.Uri!;
            session.State = new V4UploadState(credential, serverUri, session.ChunkCount);
            _openUploads[session.SessionId] = serverUri;
            return session;
        }

        public async Task<ChunkOutcome> SendChunkAsync(UploadSession session, int index, Func<HttpContent> makeContent, bool resend, CancellationToken cancellationToken)
        {
            var state = (V4UploadState)session.State!;
            var c = state.Credential;
            var operation = StorageFlows.PartOperation(session, index);
            var timeout = StorageFlows.ChunkTimeout(session.ChunkLength(index));
            HttpContent Make() => StorageFlows.OctetStream(makeContent);

            switch (session.PolicyType)
            {
                case "local":
                    {
                        // Resending a chunk before completion is accepted (cap 337, 338), so a resend needs no special case.
                        var route = $"api/v4/file/upload/{Uri.EscapeDataString(session.SessionId)}/{index}";
                        HttpRequestMessage MakeChunk()
                        {
                            var r = new HttpRequestMessage(HttpMethod.Post, new Uri(SiteUri, route)) { Content = Make() };
                            BearerTokenHandler.Authorize(r);
                            return r;
                        }

                        var envelope = await SendAsync(MakeChunk, operation, true, timeout, cancellationToken).ConfigureAwait(false);
                        ThrowIfChunkFailed(envelope, operation);
                        return ChunkOutcome.Stored;
                    }

                case "remote":
                    {
                        // The slave node takes the session's credential (cap 513); the Cloudreve token is refused there (cap 517).
                        var envelope = await Storage.RemoteChunkAsync(FirstUrl(c, operation), index, c.Credential, Make(), timeout, operation, cancellationToken).ConfigureAwait(false);
                        ThrowIfChunkFailed(envelope, operation);
                        return ChunkOutcome.Stored;
                    }

                case "onedrive":
                    return await Storage.OneDriveChunkAsync(FirstUrl(c, operation), session.ChunkOffset(index), session.ChunkLength(index), session.Request.Size, Make(), resend, operation, cancellationToken).ConfigureAwait(false);

                case "s3":
                case "ks3":
                case "cos":
                case "obs":
                case "oss":
                    {
                        var url = StorageFlows.PartUrl(c.UploadUrls, session, index, operation);
                        state.PartTags[index] = await Storage.PutPartAsync(url, Make(), session.PolicyType != "oss", timeout, operation, cancellationToken).ConfigureAwait(false);
                        return ChunkOutcome.Stored;
                    }

                case "qiniu":
                    state.PartTags[index] = await Storage.QiniuPartAsync(FirstUrl(c, operation), index, c.Credential, Make(), timeout, operation, cancellationToken).ConfigureAwait(false);
                    return ChunkOutcome.Stored;

                case "upyun":
                    await Storage.UpyunFormAsync(FirstUrl(c, operation), c.UploadPolicy, c.Credential, session.Request.Name, Make(), timeout, operation, cancellationToken).ConfigureAwait(false);
                    return ChunkOutcome.Stored;

                default:
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"{operation}: the storage policy type '{session.PolicyType}' is not supported by this module.");
            }
        }

        public async Task CompleteUploadAsync(UploadSession session, CancellationToken cancellationToken)
        {
            var state = (V4UploadState)session.State!;
            var c = state.Credential;
            var operation = $"Completing the upload of '{session.TargetPath}'";
            switch (session.PolicyType)
            {
                case "local":
                case "remote":
                case "upyun":
                    // Finished by the last missing chunk (local, remote) or by the storage's own callback (upyun).
                    break;

                case "onedrive":
                    await CallbackAsync(HttpMethod.Post, "onedrive", session.SessionId, c, operation, cancellationToken).ConfigureAwait(false);
                    break;

                case "s3":
                case "ks3":
                case "cos":
                    {
                        var headers = session.PolicyType == "cos" ? new[] { new KeyValuePair<string, string>("x-cos-forbid-overwrite", "true") } : null;
                        await Storage.CompleteMultipartAsync(CompleteUrl(c, operation), state.PartTags, headers, operation, cancellationToken).ConfigureAwait(false);
                        await CallbackAsync(HttpMethod.Get, session.PolicyType, session.SessionId, c, operation, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case "obs":
                    // OBS calls the server itself once the parts are assembled.
                    await Storage.CompleteMultipartAsync(CompleteUrl(c, operation), state.PartTags, null, operation, cancellationToken).ConfigureAwait(false);
                    break;

                case "oss":
                    ThrowIfRelayedFailure(await Storage.CompleteOssAsync(CompleteUrl(c, operation), operation, cancellationToken).ConfigureAwait(false), operation);
                    break;

                case "qiniu":
                    ThrowIfRelayedFailure(await Storage.QiniuCompleteAsync(FirstUrl(c, operation), c.Credential, state.PartTags, c.MimeType, operation, cancellationToken).ConfigureAwait(false), operation);
                    break;

                default:
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"{operation}: the storage policy type '{session.PolicyType}' is not supported by this module.");
            }

            _openUploads.TryRemove(session.SessionId, out _);
        }

        public async Task CancelUploadAsync(string sessionId, CancellationToken cancellationToken)
        {
            if (!_openUploads.TryGetValue(sessionId, out var uri))
            {
                // DELETE /file/upload needs the session's URI too; a session this connection did not open is not known here.
                TransportLog.Write($"Upload session {sessionId} is not open on this connection; nothing to cancel.");
                return;
            }

            var operation = $"Cancelling the upload session {sessionId}";
            var envelope = await SendAsync(HttpMethod.Delete, "file/upload", new V4CancelUploadRequest { Id = sessionId, Uri = uri }, operation, true, cancellationToken).ConfigureAwait(false);
            if (envelope.Code != NoSuchSession && envelope.Code != UploadSessionGone)
            {
                ThrowIfError(envelope, operation);
            }

            _openUploads.TryRemove(sessionId, out _);
        }

        /// <summary>4.x has no route that lists or drops every session: cancels those this connection opened (an expired one still frees its name, cap 348).</summary>
        public async Task CancelAllUploadsAsync(CancellationToken cancellationToken)
        {
            foreach (var id in _openUploads.Keys.ToArray())
            {
                await CancelUploadAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<Uri> GetDownloadUrlAsync(CloudreveFile file, CancellationToken cancellationToken) =>
            (await GetDownloadUrlsAsync(new[] { file }, cancellationToken).ConfigureAwait(false))[0];

        /// <summary>
        /// Download URLs for many files in one POST /file/url (at most <see cref="MaxUrisPerCall"/> per request), in
        /// the order given. A missing file or a folder fails the whole call with NotFound (40081 with 40016/40077 inside, cap 372, 373).
        /// </summary>
        public async Task<IReadOnlyList<Uri>> GetDownloadUrlsAsync(IReadOnlyList<CloudreveFile> files, CancellationToken cancellationToken)
        {
            var result = new List<Uri>(files.Count);
            for (var start = 0; start < files.Count; start += MaxUrisPerCall)
            {
                var slice = files.Skip(start).Take(MaxUrisPerCall).ToArray();
                var operation = slice.Length == 1 ? $"Getting a download URL for '{slice[0].Path}'" : $"Getting download URLs for {slice.Length} files";
                var body = new V4UrlRequest { Uris = slice.Select(UriOf).ToArray(), Download = true };
                var envelope = await SendAsync(HttpMethod.Post, "file/url", body, operation, true, cancellationToken).ConfigureAwait(false);
                if (envelope.Code == V4Errors.BatchPartlyFailed)
                {
                    var inner = envelope.AggregatedErrors.Values.FirstOrDefault();
                    var which = envelope.AggregatedErrors.Keys.Select(CloudreveUris.ToPath).FirstOrDefault() ?? slice[0].Path;
                    if (inner != null && (inner.Code == NoSuchSession || inner.Code == 40077 || inner.Code == 404 || inner.Code == 40078))
                    {
                        throw new CloudreveException(CloudreveErrorKind.NotFound, $"{operation} failed: '{which}' no longer exists on the server (or is not a file).") { ServerCode = inner.Code, ServerMessage = inner.Message };
                    }

                    if (inner != null)
                    {
                        throw V4Errors.ToException(inner.Code, inner.Message, $"{operation} ('{which}')");
                    }
                }

                ThrowIfError(envelope, operation);
                var reply = envelope.Deserialize<V4UrlReply>(operation, Json);
                var urls = reply.Urls ?? Array.Empty<V4UrlEntry>();
                if (urls.Length != slice.Length || urls.Any(u => string.IsNullOrEmpty(u.Url)))
                {
                    throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server answered with {urls.Length} URL(s) for {slice.Length} file(s).");
                }

                // The URLs are absolute (cap 17, 525, 570); Resolve only guards against a relative one.
                result.AddRange(urls.Select(u => _transport.Resolve(u.Url!)));
            }

            return result;
        }

        public Task<DownloadResponse> OpenDownloadAsync(Uri url, long offset, long? end, CancellationToken cancellationToken) =>
            DownloadOpener.OpenAsync(_transport, url, offset, end, (envelope, what) => V4Errors.ToException(envelope.Code, envelope.Message, what), cancellationToken);

        // ---- helpers ----------------------------------------------------------------------------

        private static void ThrowIfChunkFailed(ApiEnvelope envelope, string operation)
        {
            switch (envelope.Code)
            {
                case V4Errors.Success:
                    return;
                case UploadSessionGone:
                case 40005: // a slave credential past the session's expiry (cap 547)
                    throw new CloudreveException(CloudreveErrorKind.UploadSessionExpired, $"{operation} failed: the upload session is gone (expired, cancelled or finished).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                case 40012:
                case 40013:
                case 40071:
                case 40002:
                    // Length and offset problems, a refused credential, write failures: the session is not trusted any more.
                    throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"{operation} failed (Cloudreve code {envelope.Code}: {envelope.Message}).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                case WrongPolicyRoute:
                    throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation} failed: the server does not take chunks for this storage policy on its own route (40006).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                default:
                    throw V4Errors.ToException(envelope.Code, envelope.Message, operation);
            }
        }

        private static void ThrowIfRelayedFailure(string text, string operation)
        {
            var envelope = StorageFlows.FailedEnvelope(text);
            if (envelope != null)
            {
                throw V4Errors.ToException(envelope.Code, envelope.Message, operation);
            }
        }

        /// <summary>The client's callback: /api/v4/callback/{type}/{session}/{secret}, no token (cap 567). It answers real HTTP 400/401 as well as the envelope.</summary>
        private async Task CallbackAsync(HttpMethod method, string type, string sessionId, V4UploadCredential c, string operation, CancellationToken cancellationToken)
        {
            var route = $"api/v4/callback/{type}/{Uri.EscapeDataString(sessionId)}/{Uri.EscapeDataString(c.CallbackSecret ?? string.Empty)}";
            using var request = new HttpRequestMessage(method, new Uri(SiteUri, route));
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            var envelope = await StorageFlows.ReadEnvelopeAnyStatusAsync(response).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (envelope == null)
            {
                throw new CloudreveException(status >= 500 ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError,
                    $"{operation} failed: {method} /api/v4/callback/{type}/… answered HTTP {status} instead of a Cloudreve response.");
            }

            switch (envelope.Code)
            {
                case V4Errors.Success:
                    return;
                case UploadSessionGone:
                    throw new CloudreveException(CloudreveErrorKind.UploadSessionExpired, $"{operation} failed: the server no longer knows the upload session.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                case 40020:
                    throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"{operation} failed: the server refused the callback secret.") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                case -1:
                    // Before the storage has the whole object (cap 563): the parts did not all arrive.
                    throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"{operation} failed: the server could not find the assembled upload (HTTP {status}).") { ServerCode = envelope.Code, ServerMessage = envelope.Message };
                default:
                    throw V4Errors.ToException(envelope.Code, envelope.Message, operation);
            }
        }

        private static string FirstUrl(V4UploadCredential c, string operation) =>
            c.UploadUrls != null && c.UploadUrls.Length > 0 && !string.IsNullOrEmpty(c.UploadUrls[0]) ? c.UploadUrls[0] : throw MissingField("upload_urls", operation);

        private static string CompleteUrl(V4UploadCredential c, string operation) =>
            string.IsNullOrEmpty(c.CompleteUrl) ? throw MissingField("completeURL", operation) : c.CompleteUrl!;

        private static CloudreveException MissingField(string field, string operation) =>
            new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the upload session has no '{field}'.");
    }
}

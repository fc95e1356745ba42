using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>What the client asks for when it opens an upload.</summary>
    internal sealed class UploadRequest
    {
        /// <summary>The remote folder (normalised) that receives the file; missing folders are created by the server.</summary>
        public string FolderPath { get; set; } = RemotePath.Root;

        public string Name { get; set; } = string.Empty;

        public long Size { get; set; }

        /// <summary>The local file's modified time, sent so the remote file keeps it.</summary>
        public DateTimeOffset? LastModified { get; set; }

        /// <summary>The storage policy the folder listing named (its id and type).</summary>
        public CloudreveStoragePolicy Policy { get; set; } = new CloudreveStoragePolicy();

        public string? MimeType { get; set; }

        /// <summary>
        /// The file exists and the upload replaces its content in place (only when the backend
        /// <see cref="ICloudreveTransferBackend.ReplacesInPlace"/>): the file keeps its id, shares and direct links.
        /// </summary>
        public bool ReplaceExisting { get; set; }
    }

    /// <summary>An open upload session. The backend keeps its per-storage state (URLs, part tags) in it.</summary>
    internal sealed class UploadSession
    {
        public string SessionId { get; set; } = string.Empty;

        /// <summary>Bytes per chunk; 0 = the whole file in one request.</summary>
        public long ChunkSize { get; set; }

        public DateTimeOffset Expires { get; set; }

        /// <summary>local, remote, onedrive, s3, oss, qiniu, cos, upyun.</summary>
        public string PolicyType { get; set; } = string.Empty;

        public UploadRequest Request { get; set; } = new UploadRequest();

        /// <summary>Backend-private state (credential, URLs, collected part tags).</summary>
        internal object? State { get; set; }

        /// <summary>The remote path the upload makes.</summary>
        public string TargetPath => RemotePath.Combine(Request.FolderPath, Request.Name);

        /// <summary>Number of chunk requests: ceil(size / chunkSize), or 1 when the size or the chunk size is 0.</summary>
        public int ChunkCount => ChunkSize <= 0 || Request.Size == 0 ? 1 : (int)((Request.Size + ChunkSize - 1) / ChunkSize);

        public long ChunkOffset(int index) => ChunkSize <= 0 ? 0 : index * ChunkSize;

        public long ChunkLength(int index) => ChunkSize <= 0 ? Request.Size : Math.Min(ChunkSize, Request.Size - ChunkOffset(index));
    }

    /// <summary>What a chunk request led to.</summary>
    internal enum ChunkOutcome
    {
        Stored,

        /// <summary>The server had already stored this chunk from an earlier attempt whose answer was lost.</summary>
        AlreadyStored,
    }

    /// <summary>An open ranged download: the body stream and what the server said about the file.</summary>
    internal sealed class DownloadResponse : IDisposable
    {
        public DownloadResponse(HttpResponseMessage response, Stream body, long offset, long? totalLength, DateTimeOffset? lastModified, bool acceptsRanges)
        {
            Response = response;
            Body = body;
            Offset = offset;
            TotalLength = totalLength;
            LastModified = lastModified;
            AcceptsRanges = acceptsRanges;
        }

        public HttpResponseMessage Response { get; }

        public Stream Body { get; }

        /// <summary>The file offset of the first body byte (0 when the server ignored the range).</summary>
        public long Offset { get; }

        /// <summary>The length of the whole file, when the server told it.</summary>
        public long? TotalLength { get; }

        public DateTimeOffset? LastModified { get; }

        public bool AcceptsRanges { get; }

        public void Dispose()
        {
            Body.Dispose();
            Response.Dispose();
        }
    }

    /// <summary>
    /// The download half of the transfer operations: download URLs and ranged download streams. A backend
    /// can offer downloads before it offers uploads (the Cloudreve 4 adapter does).
    /// </summary>
    internal interface ICloudreveDownloadBackend
    {
        /// <summary>A temporary download URL for a file, made absolute.</summary>
        Task<Uri> GetDownloadUrlAsync(CloudreveFile file, CancellationToken cancellationToken);

        /// <summary>
        /// Opens the download URL from <paramref name="offset"/> (to <paramref name="end"/> inclusive when given).
        /// An expired or used URL throws <see cref="Transport.CloudreveErrorKind.DownloadUrlExpired"/>.
        /// </summary>
        Task<DownloadResponse> OpenDownloadAsync(Uri url, long offset, long? end, CancellationToken cancellationToken);
    }

    /// <summary>
    /// The version-neutral transfer operations: upload sessions and their per-storage byte flows, plus the
    /// downloads of <see cref="ICloudreveDownloadBackend"/>. The transfer engine drives them (order, retries,
    /// progress); implementations never retry on their own and never touch local files.
    /// </summary>
    internal interface ICloudreveTransferBackend : ICloudreveDownloadBackend
    {
        /// <summary>
        /// Whether an upload with <see cref="UploadRequest.ReplaceExisting"/> stores new content into an existing file
        /// (a new version of the same file). When false, replacing means uploading under another name, deleting the
        /// old file and renaming.
        /// </summary>
        bool ReplacesInPlace { get; }

        /// <summary>Opens an upload session (the server reserves the name). Conflicts are Conflict / UploadInProgress.</summary>
        Task<UploadSession> CreateUploadSessionAsync(UploadRequest request, CancellationToken cancellationToken);

        /// <summary>
        /// Sends chunk <paramref name="index"/> of the session. <paramref name="makeContent"/> makes a fresh
        /// body of exactly the chunk length (it may be called again when the request has to be repeated). <paramref name="resend"/> is true when an earlier attempt of this chunk may
        /// have reached the server.
        /// </summary>
        Task<ChunkOutcome> SendChunkAsync(UploadSession session, int index, Func<HttpContent> makeContent, bool resend, CancellationToken cancellationToken);

        /// <summary>Finishes the upload after the last chunk (the storage's complete call and/or the client callback).</summary>
        Task CompleteUploadAsync(UploadSession session, CancellationToken cancellationToken);

        /// <summary>Cancels one session on the server (frees the name, drops partial data). A session already gone is not an error.</summary>
        Task CancelUploadAsync(string sessionId, CancellationToken cancellationToken);

        /// <summary>Cancels every in-progress upload session of the user.</summary>
        Task CancelAllUploadsAsync(CancellationToken cancellationToken);
    }
}

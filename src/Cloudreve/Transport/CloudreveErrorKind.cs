using System;

namespace Cloudreve.Transport
{
    /// <summary>
    /// Version-neutral classification of everything that can go wrong when talking to a server.
    /// Cmdlets turn a kind into a stable ErrorId ("Cloudreve" + kind) and an ErrorCategory.
    /// </summary>
    public enum CloudreveErrorKind
    {
        Unknown = 0,
        ServerUnreachable,
        NotACloudreveServer,
        UnsupportedServerVersion,
        Timeout,
        InvalidCredential,
        InvalidOtpCode,
        OtpRequired,
        LoginCaptchaRequired,
        AccountBlocked,
        AccountNotActivated,
        NotLoggedIn,
        SessionExpired,
        PermissionDenied,
        NotFound,
        Conflict,
        UploadInProgress,
        InvalidName,
        FileTypeNotAllowed,
        FileTooLarge,
        QuotaExceeded,
        InvalidArgument,
        ServerError,
        ProtocolError,

        /// <summary>An upload session the client was using is gone (expired, cancelled or already finished).</summary>
        UploadSessionExpired,

        /// <summary>A temporary download URL expired or was used up; ask for a fresh one.</summary>
        DownloadUrlExpired,

        /// <summary>A transfer ended without the whole file arriving intact (size mismatch, storage refusal).</summary>
        TransferFailed,

        /// <summary>A remote name that would escape the local destination or that no local file system can hold.</summary>
        UnsafeName,

        /// <summary>The server's API generation (or this module's adapter for it) lacks the feature; the message names the feature and what it needs.</summary>
        NotSupportedByServer,
    }

    /// <summary>Base exception of the module's core. Messages never contain secrets.</summary>
    public class CloudreveException : Exception
    {
        public CloudreveException(CloudreveErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
        }

        public CloudreveErrorKind Kind { get; }

        /// <summary>The server's own error code, when the server answered with one.</summary>
        public int? ServerCode { get; set; }

        /// <summary>The server's message text, when it gave one.</summary>
        public string? ServerMessage { get; set; }

        /// <summary>The HTTP status of an answer that carried no Cloudreve envelope (a content GET), when that was the failure.</summary>
        public int? HttpStatus { get; set; }

        /// <summary>How long the server asked the client to wait (Retry-After of a 429 or 5xx answer), when it said.</summary>
        public TimeSpan? RetryAfter { get; set; }
    }
}

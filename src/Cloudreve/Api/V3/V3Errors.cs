using Cloudreve.Transport;

namespace Cloudreve.Api.V3
{
    /// <summary>Maps Cloudreve 3.8.3 envelope codes to version-neutral error kinds.</summary>
    internal static class V3Errors
    {
        public const int Success = 0;
        public const int PartialSuccess = 203;
        public const int LoginRequired = 401;

        public static CloudreveErrorKind Classify(int code)
        {
            switch (code)
            {
                case 401: return CloudreveErrorKind.NotLoggedIn;
                case 403: return CloudreveErrorKind.PermissionDenied;
                case 404: return CloudreveErrorKind.NotFound;
                case 40001: return CloudreveErrorKind.InvalidArgument;
                case 40004: return CloudreveErrorKind.Conflict;
                case 40006: return CloudreveErrorKind.InvalidArgument;
                case 40007: return CloudreveErrorKind.PermissionDenied;
                case 40011: return CloudreveErrorKind.NotFound;
                case 40014: return CloudreveErrorKind.InvalidArgument;
                case 40016: return CloudreveErrorKind.NotFound;
                case 40017: return CloudreveErrorKind.AccountBlocked;
                case 40018: return CloudreveErrorKind.AccountNotActivated;
                case 40020: return CloudreveErrorKind.InvalidCredential;
                case 40021: return CloudreveErrorKind.NotFound;
                case 40022: return CloudreveErrorKind.InvalidOtpCode;
                case 40023: return CloudreveErrorKind.ProtocolError;
                case 40026:
                case 40027: return CloudreveErrorKind.LoginCaptchaRequired;
                case 40044: return CloudreveErrorKind.NotFound;
                case 40049: return CloudreveErrorKind.FileTooLarge;
                case 40050: return CloudreveErrorKind.FileTypeNotAllowed;
                case 40051: return CloudreveErrorKind.QuotaExceeded;
                case 40052: return CloudreveErrorKind.InvalidName;
                case 40053: return CloudreveErrorKind.InvalidArgument;
                case 40054: return CloudreveErrorKind.UploadInProgress;
                case 40058: return CloudreveErrorKind.NotFound;
                case 40070: return CloudreveErrorKind.PermissionDenied;
                default:
                    return code >= 50000 && code < 60000 ? CloudreveErrorKind.ServerError : CloudreveErrorKind.Unknown;
            }
        }

        public static CloudreveException ToException(int code, string? message, string operation) =>
            ToException(Classify(code), code, message, operation);

        /// <summary>The exception for an envelope code already classified (by either generation's table).</summary>
        internal static CloudreveException ToException(CloudreveErrorKind kind, int code, string? message, string operation)
        {
            var detail = string.IsNullOrEmpty(message) ? string.Empty : $": {message}";
            return new CloudreveException(kind, $"{operation} failed (Cloudreve code {code}{detail}).")
            {
                ServerCode = code,
                ServerMessage = message,
            };
        }
    }
}

using Cloudreve.Api.V3;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// Cloudreve 4.18 envelope codes. Codes that mean the same in both generations are classified once, by
    /// <see cref="V3Errors"/>; this table holds only what v4 added or changed (section 1.3 of the v4 notes).
    /// </summary>
    internal static class V4Errors
    {
        public const int Success = 0;
        public const int SecondFactorRequired = 203;
        public const int LoginRequired = 401;
        public const int CredentialInvalid = 40020;
        public const int LockConflict = 40073;
        public const int TooManyUris = 40074;
        public const int BatchPartlyFailed = 40081;

        /// <summary>Most URIs one call may carry (more gives 40074).</summary>
        public const int MaxUrisPerCall = 3000;

        public static CloudreveErrorKind Classify(int code)
        {
            switch (code)
            {
                case 40004: return CloudreveErrorKind.Conflict; // also a pending upload with that name
                case 40005: return CloudreveErrorKind.DownloadUrlExpired;
                case 40011: return CloudreveErrorKind.UploadSessionExpired;
                case 40020: return CloudreveErrorKind.SessionExpired; // refresh token revoked, expired or of the wrong type
                case 40022: return CloudreveErrorKind.InvalidOtpCode;
                case 40071: return CloudreveErrorKind.DownloadUrlExpired;
                case 40073: return CloudreveErrorKind.Conflict; // lock conflict
                case 40074: return CloudreveErrorKind.InvalidArgument;
                case 40077: return CloudreveErrorKind.NotFound;
                case 40078: return CloudreveErrorKind.NotFound; // in the trash
                case 40080: return CloudreveErrorKind.InvalidCredential;
                case 40082: return CloudreveErrorKind.PermissionDenied;
                case -1: return CloudreveErrorKind.ServerError;
                default: return V3Errors.Classify(code);
            }
        }

        public static CloudreveException ToException(int code, string? message, string operation) =>
            V3Errors.ToException(Classify(code), code, message, operation);
    }
}

namespace Cloudreve.Sandbox;

/// <summary>Cloudreve 3.8.3 error codes used by the sandbox.</summary>
internal static class Codes
{
    public const int NotSet = -1;
    public const int NotFullySuccess = 203;
    public const int CheckLogin = 401;
    public const int NoPermission = 403;
    public const int NotFound = 404;
    public const int ParamErr = 40001;
    public const int UploadFailed = 40002;
    public const int CreateFolderFailed = 40003;
    public const int ObjectExist = 40004;
    public const int SignExpired = 40005;
    public const int PolicyNotAllowed = 40006;
    public const int GroupNotAllowed = 40007;
    public const int UploadSessionExpired = 40011;
    public const int InvalidChunkIndex = 40012;
    public const int InvalidContentLength = 40013;
    public const int BatchSourceSize = 40014;
    public const int ParentNotExist = 40016;
    public const int UserBaned = 40017;
    public const int UserNotActivated = 40018;
    public const int CredentialInvalid = 40020;
    public const int UserNotFound = 40021;
    public const int TwoFaCodeErr = 40022;
    public const int LoginSessionNotExist = 40023;
    public const int CaptchaError = 40026;
    public const int PolicyNotExist = 40035;
    public const int GroupNotFound = 40039;
    public const int ChangeGroupForDefaultUser = 40042;
    public const int InvalidActionOnDefaultUser = 40043;
    public const int FileNotFound = 40044;
    public const int FileTooLarge = 40049;
    public const int FileTypeNotAllowed = 40050;
    public const int InsufficientCapacity = 40051;
    public const int IllegalObjectName = 40052;
    public const int RootProtected = 40053;
    public const int ConflictUploadOngoing = 40054;
    public const int MetaMismatch = 40055;
    public const int ShareLinkNotFound = 40058;
    public const int DisabledSharePreview = 40070;
    public const int InvalidSign = 40071;
    public const int DbError = 50001;
    public const int IoFailed = 50004;
    public const int InternalSetting = 50005;
    public const int QueryMetaFailed = 50011;
}

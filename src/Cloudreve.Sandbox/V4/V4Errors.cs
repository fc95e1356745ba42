using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox.V4;

/// <summary>Cloudreve 4.18 error codes the sandbox answers with (reference section 1.3).</summary>
internal static class V4Codes
{
    public const int Unclassified = -1;
    public const int TwoFaRequired = 203;
    public const int LoginRequired = 401;
    public const int PermissionDenied = 403;
    public const int NotFound = 404;
    public const int ParamErr = 40001;
    public const int ObjectExist = 40004;
    public const int SignExpired = 40005;
    public const int PolicyNotAllowed = 40006;
    public const int UploadSessionExpired = 40011;
    public const int InvalidChunkIndex = 40012;
    public const int InvalidContentLength = 40013;
    public const int PathNotExist = 40016;
    public const int UserBanned = 40017;
    public const int UserNotActivated = 40018;
    public const int CredentialInvalid = 40020;
    public const int UserNotFound = 40021;
    public const int TwoFaCodeErr = 40022;
    public const int InsufficientCapacity = 40051;
    public const int IllegalObjectName = 40052;
    public const int InvalidSign = 40071;
    public const int LockConflict = 40073;
    public const int TooManyUris = 40074;
    public const int EntityNotExist = 40077;
    public const int WrongPassword = 40080;
    public const int BatchPartFailed = 40081;
    public const int OwnerOnly = 40082;
    public const int DbError = 50001;
}

/// <summary>
/// Thrown by v4 handlers; the pipeline answers with the v4 envelope
/// <c>{"code","data"?,"aggregated_error"?,"msg","correlation_id"?}</c> (reference 1.1), HTTP 200 unless told otherwise.
/// </summary>
internal sealed class V4Exception : Exception
{
    public V4Exception(int code, string msg, JsonNode? data = null, bool correlation = true, int httpStatus = 200)
        : base(msg)
    {
        Code = code;
        Payload = data;
        Correlation = correlation;
        HttpStatus = httpStatus;
    }

    public int Code { get; }
    public JsonNode? Payload { get; }

    /// <summary>Per-URI (or per-id) inner errors of a 40081 reply.</summary>
    public JsonObject? Aggregated { get; init; }

    /// <summary>False for plain binding/validation errors, which carry no correlation_id (cap 105, 239).</summary>
    public bool Correlation { get; }

    public int HttpStatus { get; }

    /// <summary>Fixed correlation id (a 40081 shares it with its entries); null: a fresh one per reply.</summary>
    public string? CorrelationId { get; init; }

    public JsonObject ToEnvelope() =>
        V4Envelope.Build(Code, Payload?.DeepClone(), Message, Aggregated?.DeepClone() as JsonObject, Correlation ? CorrelationId ?? Guid.NewGuid().ToString() : null);

    /// <summary>The nested form used inside aggregated_error: {code,msg,correlation_id}.</summary>
    public JsonObject ToInner(string correlationId) => new()
    {
        ["code"] = Code,
        ["msg"] = Message,
        ["correlation_id"] = correlationId,
    };
}

/// <summary>The v4 envelope and the common errors.</summary>
internal static class V4Envelope
{
    public static JsonObject Build(int code, JsonNode? data, string msg, JsonObject? aggregated = null, string? correlationId = null)
    {
        var o = new JsonObject { ["code"] = code };
        if (data != null) o["data"] = data;
        if (aggregated != null) o["aggregated_error"] = aggregated;
        o["msg"] = msg;
        if (correlationId != null) o["correlation_id"] = correlationId;
        return o;
    }

    public static JsonObject Ok(JsonNode? data = null) => Build(0, data, "");

    public static V4Exception Fail(int code, string msg = "") => new(code, msg);

    /// <summary>40001 from request binding: no correlation id (cap 105, 239).</summary>
    public static V4Exception Param(string msg) => new(V4Codes.ParamErr, msg, correlation: false);

    public static V4Exception LoginRequired() => new(V4Codes.LoginRequired, "Login required");
    public static V4Exception NotSupported() => new(V4Codes.PermissionDenied, "Not supported action");
    public static V4Exception PermissionDenied() => new(V4Codes.PermissionDenied, "Permission denied");
    public static V4Exception PathNotExist() => new(V4Codes.PathNotExist, "Path not exist");
    public static V4Exception Existed() => new(V4Codes.ObjectExist, "Object existed");
    public static V4Exception IllegalName() => new(V4Codes.IllegalObjectName, "Invalid object name");
    public static V4Exception UnknownUri() => new(V4Codes.ParamErr, "unknown uri");
    public static V4Exception TooManyUris() => new(V4Codes.TooManyUris, "Maximum allowed batch size: 3000");

    /// <summary>At most 3000 URIs per batch call (cap 473).</summary>
    public const int MaxBatch = 3000;
}

/// <summary>
/// Collects per-item failures of a batch call; <see cref="ThrowIfAny"/> answers 40081 with aggregated_error
/// (reference 1.1, cap 258, 293): the outer msg repeats the first failure's text, every entry shares one correlation id.
/// </summary>
internal sealed class V4Aggregate
{
    private readonly string _correlation = Guid.NewGuid().ToString();
    private readonly JsonObject _errors = new();
    private string? _firstMsg;

    public bool Any => _errors.Count > 0;

    /// <param name="outerMsg">The outer msg the real server shows for this failure (internal text such as
    /// "Not supported action: cannot delete root folder"); null: the inner msg.</param>
    public void Add(string key, V4Exception error, string? outerMsg = null)
    {
        _firstMsg ??= outerMsg ?? error.Message;
        _errors[key] = error.ToInner(_correlation);
    }

    /// <summary>The aggregated_error key of a URI: its canonical form, the root without its trailing slash (cap 294).</summary>
    public static string Key(V4Uri uri) => uri.IsRoot ? $"{V4Uri.Scheme}://{uri.FileSystem}" : uri.ToString();

    public void ThrowIfAny()
    {
        if (!Any) return;
        throw new V4Exception(V4Codes.BatchPartFailed, _firstMsg ?? "") { Aggregated = _errors, CorrelationId = _correlation };
    }

    /// <summary>The correlation id shared by the outer reply and every entry.</summary>
    public string CorrelationId => _correlation;
}

using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox;

/// <summary>Thrown by handlers to answer with an error envelope (HTTP 200).</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string msg) : base(msg) => Code = code;

    public int Code { get; }
}

/// <summary>The Cloudreve response envelope {"code","data"(omitted when null),"msg"}.</summary>
internal static class Envelope
{
    public static JsonObject Build(int code, JsonNode? data, string msg)
    {
        var o = new JsonObject { ["code"] = code };
        if (data != null) o["data"] = data;
        o["msg"] = msg;
        return o;
    }

    public static JsonObject Ok(JsonNode? data = null) => Build(0, data, "");

    public static JsonObject Err(int code, string msg = "") => Build(code, null, msg);

    public static ApiException Fail(int code, string msg = "") => new(code, msg);

    public static ApiException LoginRequired() => new(Codes.CheckLogin, "Login required");
}

/// <summary>Thrown where Cloudreve 3.8.3 panics (answered with HTTP 500 and an empty body).</summary>
internal sealed class PanicException : Exception
{
    public PanicException(string message) : base(message)
    {
    }
}

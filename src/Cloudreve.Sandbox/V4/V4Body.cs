namespace Cloudreve.Sandbox.V4;

/// <summary>Request-body and query helpers of the v4 routes.</summary>
internal static class V4Body
{
    /// <summary>The JSON body (not JSON at all: 40001, no correlation id); type mismatches are 40001 too.</summary>
    public static async Task<JsonBody> Read(Req r)
    {
        JsonBody body;
        try
        {
            body = await r.BodyAsync();
        }
        catch (ApiException)
        {
            throw V4Envelope.Param("Parameter error");
        }
        return body;
    }

    public static void ThrowIfTypeError(this JsonBody b)
    {
        if (b.TypeError) throw V4Envelope.Param("Parameter error");
    }

    /// <summary>A type mismatch as the share, direct-link, WebDAV and admin services report it: 40001 "JSON marshall error".</summary>
    public static void ThrowIfMarshallError(this JsonBody b)
    {
        if (b.TypeError) throw V4Envelope.Param("JSON marshall error");
    }

    /// <summary>A boolean query flag ("true"/"1").</summary>
    public static bool Flag(this Req r, string name) => r.Query(name) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>An integer query value; absent or empty → <paramref name="fallback"/>; not a number → 40001.</summary>
    public static int IntQuery(this Req r, string name, int fallback)
    {
        var v = r.Query(name);
        if (string.IsNullOrEmpty(v)) return fallback;
        if (!int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
            throw V4Envelope.Param("Parameter error");
        return n;
    }
}

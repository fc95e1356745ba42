using System.Globalization;
using System.Text.Json;

namespace Cloudreve.Sandbox;

/// <summary>
/// A request body bound like gin/encoding/json: keys matched case-insensitively, unknown keys ignored,
/// null leaves the zero value, a type mismatch is remembered and reported as 40001 "JSON marshall error".
/// </summary>
internal sealed class JsonBody
{
    private readonly JsonElement _root;
    private readonly bool _hasRoot;

    private JsonBody(JsonElement root, bool hasRoot, bool typeError)
    {
        _root = root;
        _hasRoot = hasRoot;
        TypeError = typeError;
    }

    public bool TypeError { get; private set; }

    /// <summary>Reads the body; not JSON at all → 40001 "Parameter error".</summary>
    public static async Task<JsonBody> ReadAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
        return Parse(ms.ToArray()) ?? throw Envelope.Fail(Codes.ParamErr, "Parameter error");
    }

    /// <summary>Null when the bytes are not a JSON document.</summary>
    public static JsonBody? Parse(byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException)
        {
            return null;
        }
        var root = doc.RootElement.Clone();
        doc.Dispose();
        return root.ValueKind switch
        {
            JsonValueKind.Object => new JsonBody(root, true, false),
            JsonValueKind.Null => new JsonBody(default, false, false),
            _ => new JsonBody(default, false, true),
        };
    }

    private JsonElement? Find(string name)
    {
        if (!_hasRoot) return null;
        JsonElement? exact = null, folded = null;
        foreach (var p in _root.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal)) exact = p.Value;
            else if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) folded = p.Value;
        }
        var v = exact ?? folded;
        if (v is { ValueKind: JsonValueKind.Null }) return null;
        return v;
    }

    public bool Has(string name) => Find(name) != null;

    /// <summary>True when the key is present, even with a null value.</summary>
    public bool Present(string name) =>
        _hasRoot && _root.EnumerateObject().Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public string Str(string name)
    {
        var v = Find(name);
        if (v == null) return "";
        if (v.Value.ValueKind == JsonValueKind.String) return v.Value.GetString() ?? "";
        TypeError = true;
        return "";
    }

    public long Long(string name)
    {
        var v = Find(name);
        if (v == null) return 0;
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt64(out var n)) return n;
        TypeError = true;
        return 0;
    }

    public ulong ULong(string name)
    {
        var v = Find(name);
        if (v == null) return 0;
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetUInt64(out var n)) return n;
        TypeError = true;
        return 0;
    }

    public bool Bool(string name)
    {
        var v = Find(name);
        if (v == null) return false;
        if (v.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.Value.GetBoolean();
        TypeError = true;
        return false;
    }

    public List<string> StrList(string name) => ListOf(name, e =>
        e.ValueKind == JsonValueKind.String ? (true, e.GetString() ?? "") :
        e.ValueKind == JsonValueKind.Null ? (true, "") : (false, ""));

    public List<long> LongList(string name) => ListOf(name, e =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? (true, n) : (false, 0L));

    /// <summary>An array field read element by element, like Go's decoder: a wrong element type is a type error.</summary>
    private List<T> ListOf<T>(string name, Func<JsonElement, (bool Ok, T Value)> element)
    {
        var list = new List<T>();
        var v = Find(name);
        if (v == null) return list;
        if (v.Value.ValueKind != JsonValueKind.Array)
        {
            TypeError = true;
            return list;
        }
        foreach (var e in v.Value.EnumerateArray())
        {
            var (ok, value) = element(e);
            if (ok) list.Add(value);
            else TypeError = true;
        }
        return list;
    }

    public JsonBody Obj(string name)
    {
        var v = Find(name);
        if (v == null) return new JsonBody(default, false, false);
        if (v.Value.ValueKind == JsonValueKind.Object) return new JsonBody(v.Value, true, false);
        TypeError = true;
        return new JsonBody(default, false, false);
    }

    /// <summary>Merges a nested body's type errors into this one.</summary>
    public void Absorb(JsonBody nested)
    {
        if (nested.TypeError) TypeError = true;
    }

    public void ThrowIfTypeError()
    {
        if (TypeError) throw Envelope.Fail(Codes.ParamErr, "JSON marshall error");
    }

    public JsonElement? Raw(string name) => Find(name);
}

/// <summary>Validation rules with the messages gin + Cloudreve produce ("&lt;Field&gt; &lt;rule&gt;").</summary>
internal static class Validate
{
    public static int Runes(string s) => s.EnumerateRunes().Count();

    public static void Required(string field, string value)
    {
        if (value.Length == 0) throw Envelope.Fail(Codes.ParamErr, field + " cannot be empty");
    }

    public static void Length(string field, string value, int min, int max)
    {
        var n = Runes(value);
        if (n < min) throw Envelope.Fail(Codes.ParamErr, field + " too short");
        if (n > max) throw Envelope.Fail(Codes.ParamErr, field + " too long");
    }

    public static void Email(string field, string value)
    {
        if (!IsEmail(value)) throw Envelope.Fail(Codes.ParamErr, field + " format error");
    }

    public static bool IsEmail(string value)
    {
        if (value.Length == 0 || value.Any(char.IsWhiteSpace)) return false;
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1) return false;
        var domain = value[(at + 1)..];
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)) return false;
        return !value[..at].Contains('@', StringComparison.Ordinal) && System.Net.Mail.MailAddress.TryCreate(value, out _);
    }

    public static string Inv(long n) => n.ToString(CultureInfo.InvariantCulture);
}

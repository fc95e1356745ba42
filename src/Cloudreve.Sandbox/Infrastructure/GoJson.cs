using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox;

/// <summary>Serialises JSON like Go's encoding/json: raw UTF-8, HTML characters escaped as \u003c \u003e \u0026.</summary>
internal static class GoJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static byte[] Serialize(JsonNode? node)
    {
        var text = node == null ? "null" : node.ToJsonString(Options);
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default: sb.Append(c); break;
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Convenience: a JSON array of nodes.</summary>
    public static JsonArray Array(IEnumerable<JsonNode?> items)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add(i);
        return a;
    }
}

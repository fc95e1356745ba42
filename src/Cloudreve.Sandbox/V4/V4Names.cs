using System.Text;

namespace Cloudreve.Sandbox.V4;

/// <summary>Cloudreve 4.18 object name rules (reference 4.3): forbidden \ / : * ? " &lt; &gt; |, "." and "..", at most 255 UTF-8 bytes; spaces kept; case-sensitive.</summary>
internal static class V4Names
{
    private static readonly char[] Forbidden = ['\\', '/', ':', '*', '?', '"', '<', '>', '|'];

    public const int MaxBytes = 255;

    public static bool IsLegal(string? name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or "..") return false;
        if (name.IndexOfAny(Forbidden) >= 0) return false;
        return Encoding.UTF8.GetByteCount(name) <= MaxBytes;
    }
}

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Cloudreve's boolset: bit n lives in byte n/8 (least significant bit first), sent as standard base64; an empty set
/// is "" (group permissions "hAg=", DAV options "AQ==", reference 14.2 and 15).
/// </summary>
internal static class V4BoolSet
{
    public static string Encode(IEnumerable<int> bits)
    {
        var bytes = new List<byte>();
        foreach (var bit in bits)
        {
            while (bytes.Count < bit / 8 + 1) bytes.Add(0);
            bytes[bit / 8] |= (byte)(1 << (bit % 8));
        }
        return Convert.ToBase64String(bytes.ToArray());
    }

    /// <summary>The set bits of a base64 boolset; null when the text is not base64.</summary>
    public static HashSet<int>? Decode(string text)
    {
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
        var bits = new HashSet<int>();
        for (var i = 0; i < raw.Length * 8; i++)
        {
            if ((raw[i / 8] & (1 << (i % 8))) != 0) bits.Add(i);
        }
        return bits;
    }
}

/// <summary>Group permission bits (inventory/types GroupPermission) and DAV account option bits.</summary>
internal static class V4Bits
{
    public const int IsAdmin = 0, IsAnonymous = 1, Share = 2, WebDav = 3, ArchiveDownload = 4, ArchiveTask = 5,
        WebDavProxy = 6, ShareDownload = 7, RemoteDownload = 9, RedirectedSource = 11, AdvanceDelete = 12,
        IgnoreFileOwnership = 16;

    public const int DavReadOnly = 0, DavProxy = 1, DavDisableSysFiles = 2;
}

/// <summary>Error codes of the share, direct-link, WebDAV-account and admin routes (reference 1.3).</summary>
internal static class V4SvcCodes
{
    public const int GroupNotAllowed = 40007;
    public const int BatchSourceSize = 40014;
    public const int InvalidActionOnSystemGroup = 40040;
    public const int GroupUsedByUser = 40041;
    public const int InvalidActionOnDefaultUser = 40043;
    public const int IncorrectSharePassword = 40069;
}

using HashidsNet;

namespace Cloudreve.Sandbox;

/// <summary>Typed opaque ids: hashids of [rawId, typeTag], as Cloudreve encodes them.</summary>
internal sealed class HashIds
{
    public const int Share = 0, User = 1, File = 2, Folder = 3, Tag = 4, Policy = 5, SourceLink = 6;

    private readonly Hashids _hashids;

    public HashIds(string salt) => _hashids = new Hashids(salt);

    public string Encode(long id, int type) => _hashids.EncodeLong(id, type);

    /// <summary>Decodes an id of the given type; null when it is malformed or of another type.</summary>
    public long? Decode(string? value, int type)
    {
        if (string.IsNullOrEmpty(value)) return null;
        long[] parts;
        try
        {
            parts = _hashids.DecodeLong(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or NoResultException)
        {
            return null;
        }
        if (parts.Length != 2 || parts[1] != type || parts[0] < 0) return null;
        // Reject non-canonical spellings.
        if (!string.Equals(Encode(parts[0], type), value, StringComparison.Ordinal)) return null;
        return parts[0];
    }
}

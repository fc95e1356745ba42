using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>Claims of a verified token (reference 2.2).</summary>
internal sealed record V4Claims(string TokenType, string Subject, long Expires, long NotBefore, string? StateHash, string? RootTokenId)
{
    public bool IsAccess => TokenType == "access";
    public bool IsRefresh => TokenType == "refresh";
}

/// <summary>An issued pair with its expiry instants.</summary>
internal sealed record V4TokenPair(string AccessToken, string RefreshToken, DateTime AccessExpires, DateTime RefreshExpires)
{
    /// <summary>The login/refresh "token" object: {access_token, refresh_token, access_expires, refresh_expires} (cap 107, 113).</summary>
    public JsonObject ToJson() => new()
    {
        ["access_token"] = AccessToken,
        ["refresh_token"] = RefreshToken,
        ["access_expires"] = GoTime.Format(AccessExpires),
        ["refresh_expires"] = GoTime.Format(RefreshExpires),
    };
}

/// <summary>
/// Cloudreve 4.18 token service: HS256 JWTs signed with a per-sandbox secret (kept in the settings table, so tokens
/// survive a restart, cap 47); refresh tokens carry a root_token_id family that sign-out revokes (cap 160-162), while
/// the old refresh token of a family stays usable after a refresh (cap 114). <see cref="RevokeAll"/> rotates the secret,
/// so every token issued so far stops working. Also holds the 10-minute 2FA login sessions (section 2.3).
/// </summary>
internal sealed class V4Tokens
{
    public const int RefreshTtlSeconds = 14 * 24 * 3600;
    private const int TwoFaSessionSeconds = 600;
    private const string SecretSetting = "v4_jwt_secret";
    private static readonly string Header = B64(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));

    private readonly Database _db;
    private readonly ConcurrentDictionary<string, (long UserId, long Expires)> _twoFa = new();
    private readonly ConcurrentDictionary<string, byte> _families = new();
    private volatile byte[] _secret;
    private long _accessNotBefore;

    public V4Tokens(Database db, int accessTtlSeconds)
    {
        _db = db;
        AccessTtlSeconds = accessTtlSeconds;
        _secret = Encoding.UTF8.GetBytes(db.Write((c, tx) =>
        {
            var s = Settings.Get(c, SecretSetting, tx);
            if (s == null)
            {
                s = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
                Settings.Set(c, SecretSetting, s, tx);
            }
            return s;
        }));
    }

    public int AccessTtlSeconds { get; }

    /// <summary>A fresh pair; <paramref name="rootTokenId"/> null starts a new family (a login).</summary>
    public V4TokenPair Issue(string subject, string stateHash, string? rootTokenId = null)
    {
        var now = DateTime.UtcNow;
        var nbf = GoTime.UnixSeconds(now);
        var accessExp = now.AddSeconds(AccessTtlSeconds);
        var refreshExp = now.AddSeconds(RefreshTtlSeconds);
        rootTokenId ??= Guid.NewGuid().ToString();
        _families.TryAdd(rootTokenId, 0);
        var access = new JsonObject
        {
            ["token_type"] = "access",
            ["sub"] = subject,
            ["exp"] = GoTime.UnixSeconds(accessExp),
            ["nbf"] = nbf,
        };
        var refresh = new JsonObject
        {
            ["token_type"] = "refresh",
            ["sub"] = subject,
            ["exp"] = GoTime.UnixSeconds(refreshExp),
            ["nbf"] = nbf,
            ["state_hash"] = stateHash,
            ["root_token_id"] = rootTokenId,
        };
        return new V4TokenPair(Sign(access), Sign(refresh), accessExp, refreshExp);
    }

    /// <summary>The claims of a well-formed, correctly signed, unexpired token; null otherwise.</summary>
    public V4Claims? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Header) return null;
        var expected = Mac(parts[0] + "." + parts[1]);
        byte[] given;
        try
        {
            given = FromB64(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return null;
        try
        {
            using var doc = JsonDocument.Parse(FromB64(parts[1]));
            var p = doc.RootElement;
            var claims = new V4Claims(
                p.GetProperty("token_type").GetString() ?? "",
                p.GetProperty("sub").GetString() ?? "",
                p.GetProperty("exp").GetInt64(),
                p.GetProperty("nbf").GetInt64(),
                p.TryGetProperty("state_hash", out var sh) ? sh.GetString() : null,
                p.TryGetProperty("root_token_id", out var rt) ? rt.GetString() : null);
            var now = GoTime.NowUnix();
            if (now >= claims.Expires || now < claims.NotBefore) return null;
            if (claims.IsAccess && claims.NotBefore < Interlocked.Read(ref _accessNotBefore)) return null;
            return claims;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A valid refresh token whose family has not been signed out.</summary>
    public V4Claims? VerifyRefresh(string? token)
    {
        var c = Verify(token);
        if (c is not { IsRefresh: true } || c.RootTokenId == null) return null;
        return IsRevoked(c.RootTokenId) ? null : c;
    }

    public bool IsRevoked(string rootTokenId) =>
        _db.Read(c => c.Scalar("SELECT 1 FROM v4_revoked_tokens WHERE root_token_id=$r", null, ("$r", rootTokenId)) != null);

    /// <summary>Sign-out: the refresh family is dead (access tokens live on until exp, cap 161).</summary>
    public void RevokeFamily(string rootTokenId, long expires)
    {
        _families.TryRemove(rootTokenId, out _);
        _db.Write((c, tx) => c.Exec(
            "INSERT INTO v4_revoked_tokens(root_token_id,expires) VALUES($r,$e) ON CONFLICT(root_token_id) DO NOTHING",
            tx, ("$r", rootTokenId), ("$e", expires)));
    }

    /// <summary>Login families not signed out (each login starts one; sign-out and <see cref="RevokeAll"/> end them).</summary>
    public int LiveFamilies => _families.Count;

    /// <summary>
    /// Sandbox control: every access token issued before the current second reads as expired (code 401), while the
    /// refresh tokens keep working: what a client sees when the server's clock runs ahead of its own. Tokens issued
    /// from this second on are fine (claims have 1-second resolution).
    /// </summary>
    public void ExpireAccessTokens() => Interlocked.Exchange(ref _accessNotBefore, GoTime.NowUnix());

    /// <summary>Every token issued so far stops working (a new signing secret). Returns the login families that were live.</summary>
    public int RevokeAll()
    {
        var fresh = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _db.Write((c, tx) => Settings.Set(c, SecretSetting, fresh, tx));
        _secret = Encoding.UTF8.GetBytes(fresh);
        var n = _families.Count;
        _families.Clear();
        _twoFa.Clear();
        return n;
    }

    /// <summary>state_hash of a refresh token: changes when the password does.</summary>
    public string StateHash(UserRow u) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{u.Id}:{u.Password}:{Encoding.UTF8.GetString(_secret)}")));

    /// <summary>Starts a 2FA login; the id is the data of the 203 reply.</summary>
    public string NewTwoFaSession(long userId)
    {
        var id = Guid.NewGuid().ToString();
        _twoFa[id] = (userId, GoTime.NowUnix() + TwoFaSessionSeconds);
        return id;
    }

    /// <summary>The user of a live 2FA session; null when unknown, used or expired.</summary>
    public long? TwoFaUser(string? sessionId)
    {
        if (sessionId == null || !_twoFa.TryGetValue(sessionId, out var s)) return null;
        if (s.Expires <= GoTime.NowUnix())
        {
            _twoFa.TryRemove(sessionId, out _);
            return null;
        }
        return s.UserId;
    }

    /// <summary>A 2FA session is used up by a successful OTP (a wrong OTP leaves it, cap 134/135).</summary>
    public void EndTwoFaSession(string sessionId) => _twoFa.TryRemove(sessionId, out _);

    private string Sign(JsonObject payload)
    {
        var body = Header + "." + B64(GoJson.Serialize(payload));
        return body + "." + B64(Mac(body));
    }

    private byte[] Mac(string data) => HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(data));

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string s)
    {
        if (s.Length == 0 || s.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))) throw new FormatException("not base64url");
        var t = s.Replace('-', '+').Replace('_', '/');
        t += (t.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("bad length") };
        return Convert.FromBase64String(t);
    }
}

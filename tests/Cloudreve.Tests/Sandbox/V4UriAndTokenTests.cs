using Cloudreve.Sandbox;
using Cloudreve.Sandbox.Data;
using Cloudreve.Sandbox.V4;
using Xunit;

namespace Cloudreve.Tests.Sandbox;

/// <summary>The 4.18 sandbox's URI rules (v4 reference section 4) and token service (section 2) without HTTP.</summary>
public sealed class V4UriAndTokenTests
{
    [Theory]
    [InlineData("a b.txt", "a%20b.txt")]
    [InlineData("a#b.txt", "a%23b.txt")]
    [InlineData("100%.txt", "100%25.txt")]
    [InlineData("a+b.txt", "a%2Bb.txt")]
    [InlineData("it's.txt", "it's.txt")]
    [InlineData("[x].txt", "%5Bx%5D.txt")]
    [InlineData("semi;colon=.txt", "semi%3Bcolon%3D.txt")]
    [InlineData("日本語 ü.txt", "%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC.txt")]
    [InlineData("-_.!~*'()", "-_.!~*'()")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void Segments_are_escaped_like_encodeURIComponent(string name, string expected) =>
        Assert.Equal(expected, V4Uri.EncodeSegment(name));

    [Theory]
    [InlineData("cloudreve://my/a%20b.txt", "a b.txt")]
    [InlineData("cloudreve://my/a b.txt", "a b.txt")]
    [InlineData("cloudreve://my/a+b.txt", "a+b.txt")]
    [InlineData("cloudreve://my/a#b.txt", "a")]
    [InlineData("cloudreve://my/q?x.txt", "q")]
    [InlineData("cloudreve://my/😀.txt", "😀.txt")]
    [InlineData("CLOUDREVE://MY/x", "x")]
    public void Parse_decodes_once_and_stops_at_fragment_and_query(string raw, string name)
    {
        var uri = V4Uri.Parse(raw);
        Assert.Equal("my", uri.FileSystem);
        Assert.Equal(name, uri.Name);
    }

    [Fact]
    public void Parse_cleans_the_path_and_splits_on_encoded_slashes()
    {
        Assert.Equal(["v4probe", "a b.txt"], V4Uri.Parse("cloudreve://my/v4probe/../v4probe/a%20b.txt").Segments);
        Assert.Equal(["v4probe", "a b.txt"], V4Uri.Parse("cloudreve://my//v4probe//a%20b.txt/").Segments);
        Assert.Equal(["v4probe", "a b.txt"], V4Uri.Parse("cloudreve://my/v4probe%2Fa%20b.txt").Segments);
        Assert.True(V4Uri.Parse("cloudreve://my/").IsRoot);
        Assert.True(V4Uri.Parse("cloudreve://my/..").IsRoot);
        var owner = V4Uri.Parse("cloudreve://39Cy:mrt4cbfz@share/sub");
        Assert.Equal(("share", "39Cy", "mrt4cbfz"), (owner.FileSystem, owner.Owner, owner.Password));
        Assert.Equal("cloudreve://trash/abc", V4Uri.Parse("cloudreve://trash/abc").ToString());
        Assert.Equal("cloudreve://my/a%20b/c%23d", V4Uri.Format("my", ["a b", "c#d"]));
    }

    [Theory]
    [InlineData("cloudreve://my/100%.txt")]
    [InlineData("/v4probe/a.txt")]
    [InlineData("http://my/a.txt")]
    [InlineData("cloudreve://elsewhere/a.txt")]
    [InlineData("cloudreve://my/a\u0001b")]
    [InlineData("")]
    public void Malformed_uris_are_40001_unknown_uri(string raw)
    {
        var ex = Assert.Throws<V4Exception>(() => V4Uri.Parse(raw));
        Assert.Equal(40001, ex.Code);
        Assert.Equal("unknown uri", ex.Message);
    }

    [Theory]
    [InlineData("ok.txt", true)]
    [InlineData("trail ", true)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a:b", false)]
    [InlineData("a|b", false)]
    [InlineData("", false)]
    public void Name_rules(string name, bool legal) => Assert.Equal(legal, V4Names.IsLegal(name));

    [Fact]
    public void Names_are_limited_to_255_utf8_bytes()
    {
        Assert.True(V4Names.IsLegal(new string('a', 255)));
        Assert.False(V4Names.IsLegal(new string('a', 256)));
        Assert.True(V4Names.IsLegal(new string('語', 85)));
        Assert.False(V4Names.IsLegal(new string('語', 86)));
    }

    private static (Database Db, string Folder) NewDb()
    {
        var folder = Path.Combine(Path.GetTempPath(), "v4tokens-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return (new Database(Path.Combine(folder, "t.db")), folder);
    }

    [Fact]
    public void Tokens_verify_reject_tampering_and_die_on_revoke_all()
    {
        var (db, folder) = NewDb();
        try
        {
            var tokens = new V4Tokens(db, 3600);
            var pair = tokens.Issue("Z1IG", "state");
            var access = tokens.Verify(pair.AccessToken);
            Assert.NotNull(access);
            Assert.True(access!.IsAccess);
            Assert.Equal("Z1IG", access.Subject);
            var refresh = tokens.VerifyRefresh(pair.RefreshToken);
            Assert.NotNull(refresh);
            Assert.Null(tokens.VerifyRefresh(pair.AccessToken)); // an access token is no refresh token
            var i = pair.AccessToken.LastIndexOf('.') + 1;
            Assert.Null(tokens.Verify(pair.AccessToken[..i] + (pair.AccessToken[i] == 'A' ? 'B' : 'A') + pair.AccessToken[(i + 1)..]));
            Assert.Null(tokens.Verify("not-a-jwt"));
            Assert.Null(tokens.Verify(null));

            // sign-out: the family is dead, the access token lives on
            tokens.RevokeFamily(refresh!.RootTokenId!, refresh.Expires);
            Assert.Null(tokens.VerifyRefresh(pair.RefreshToken));
            Assert.NotNull(tokens.Verify(pair.AccessToken));

            var second = tokens.Issue("Z1IG", "state");
            Assert.Equal(1, tokens.RevokeAll());
            Assert.Null(tokens.Verify(second.AccessToken));
            Assert.Null(tokens.VerifyRefresh(second.RefreshToken));
        }
        finally
        {
            db.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Tokens_expire_after_the_access_ttl()
    {
        var (db, folder) = NewDb();
        try
        {
            var tokens = new V4Tokens(db, 1);
            var pair = tokens.Issue("Z1IG", "state");
            Assert.NotNull(tokens.Verify(pair.AccessToken));
            Thread.Sleep(2100);
            Assert.Null(tokens.Verify(pair.AccessToken));
            Assert.NotNull(tokens.VerifyRefresh(pair.RefreshToken)); // refresh tokens live 14 days
        }
        finally
        {
            db.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Two_factor_sessions_are_single_use()
    {
        var (db, folder) = NewDb();
        try
        {
            var tokens = new V4Tokens(db, 3600);
            var id = tokens.NewTwoFaSession(7);
            Assert.Equal(7, tokens.TwoFaUser(id));
            Assert.Equal(7, tokens.TwoFaUser(id)); // asking does not consume (a wrong OTP keeps it, cap 134)
            tokens.EndTwoFaSession(id);
            Assert.Null(tokens.TwoFaUser(id));
            Assert.Null(tokens.TwoFaUser(Guid.Empty.ToString()));
        }
        finally
        {
            db.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The 4.18 sandbox's login captcha tickets (reference 2.1; Cloudreve 4.18 middleware/captcha.go).</summary>
public sealed class V4CaptchaTests
{
    private static JsonBody Body(string json) => JsonBody.Parse(System.Text.Encoding.UTF8.GetBytes(json))!;

    [Fact]
    public void A_ticket_and_its_answer_pass_once()
    {
        var captcha = new V4Captcha();
        var ticket = captcha.Issue(out var code);
        captcha.Check(Body($"{{\"email\":\"a@b.c\",\"captcha\":\"{code.ToUpperInvariant()}\",\"ticket\":\"{ticket}\"}}"));
        var again = Assert.Throws<V4Exception>(() => captcha.Check(Body($"{{\"captcha\":\"{code}\",\"ticket\":\"{ticket}\"}}")));
        Assert.Equal((40026, "CAPTCHA not match."), (again.Code, again.Message));
    }

    [Theory]
    [InlineData("{\"email\":\"a@b.c\",\"password\":\"x\"}")]
    [InlineData("{\"captcha\":\"abc\",\"ticket\":\"unknown\"}")]
    [InlineData("{\"captcha\":1,\"ticket\":\"x\"}")]
    public void Anything_else_is_40026(string json)
    {
        var captcha = new V4Captcha();
        var error = Assert.Throws<V4Exception>(() => captcha.Check(Body(json)));
        Assert.Equal(40026, error.Code);
        Assert.True(error.Correlation);
        Assert.Equal(40026, Assert.Throws<V4Exception>(() => captcha.Check(null)).Code);
    }

    [Fact]
    public void A_wrong_answer_uses_the_ticket_up()
    {
        var captcha = new V4Captcha();
        var ticket = captcha.Issue(out var code);
        Assert.Throws<V4Exception>(() => captcha.Check(Body($"{{\"captcha\":\"{code}x\",\"ticket\":\"{ticket}\"}}")));
        Assert.Throws<V4Exception>(() => captcha.Check(Body($"{{\"captcha\":\"{code}\",\"ticket\":\"{ticket}\"}}")));
    }
}

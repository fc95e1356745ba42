using Xunit;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 4: cloudreve:// URIs, percent-encoding and name rules (cap 171-202, 240-247).</summary>
public sealed class V4UriChecks : V4Checks
{
    public V4UriChecks(V4Target t) : base(t)
    {
    }

    /// <summary>Section 4.2 table: the name and the path segment the server writes for it.</summary>
    public static readonly TheoryData<string, string> Names = new()
    {
        { "a b.txt", "a%20b.txt" },
        { "a#b.txt", "a%23b.txt" },
        { "100%.txt", "100%25.txt" },
        { "a+b.txt", "a%2Bb.txt" },
        { "a&b.txt", "a%26b.txt" },
        { "it's.txt", "it's.txt" },
        { "[x].txt", "%5Bx%5D.txt" },
        { "semi;colon=.txt", "semi%3Bcolon%3D.txt" },
        { "日本語 ü.txt", "%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC.txt" },
    };

    [V4Check]
    public async Task Cap171_172_server_escapes_each_segment_like_encodeURIComponent()
    {
        var folder = await T.NewFolder("names");
        foreach (var row in Names)
        {
            var name = (string)row[0];
            var expected = (string)row[1];
            var r = await Main.Create(folder + "/" + Uri.EscapeDataString(name), "file");
            var d = Expect.Ok(r);
            Expect.Equal(r, name, d.GetProperty("name").GetString(), "name");
            Expect.Equal(r, folder + "/" + expected, d.GetProperty("path").GetString(), "path");
        }
        var listing = await ListAll(folder);
        foreach (var row in Names)
        {
            var e = listing.Single(x => x.GetProperty("name").GetString() == (string)row[0]);
            Expect.Equal(await Main.List(folder), folder + "/" + (string)row[1], e.GetProperty("path").GetString(), "listing path");
        }
    }

    [V4Check]
    public async Task Cap180_to_191_raw_and_escaped_forms_the_server_accepts()
    {
        var folder = await T.NewFolder("accept");
        foreach (var n in new[] { "a b.txt", "a+b.txt", "a#b.txt", "100%.txt", "it's.txt", "[x].txt", "a&b.txt", "ü.txt" })
            Expect.Ok(await Main.Create(folder + "/" + Uri.EscapeDataString(n), "file"));
        async Task<string?> NameOf(string uri) => (await Main.Info(uri)) is var r && r.Code == 0 ? r.Data.GetProperty("name").GetString() : null;
        var eq = await Main.Info(folder + "/a b.txt");
        Expect.Equal(eq, "a b.txt", await NameOf(folder + "/a%20b.txt"), "cap 180 escaped space");
        Expect.Equal(eq, "a b.txt", await NameOf(folder + "/a b.txt"), "cap 181 raw space");
        Expect.Equal(eq, "a+b.txt", await NameOf(folder + "/a+b.txt"), "cap 182 raw + is literal");
        V4Expect.Error(await Main.Info(folder + "/a#b.txt"), 40016); // cap 183: # starts a fragment
        Expect.Equal(eq, "a#b.txt", await NameOf(folder + "/a%23b.txt"), "cap 184");
        V4Expect.Error(await Main.Info(folder + "/100%.txt"), 40001, "unknown uri"); // cap 185
        Expect.Equal(eq, "100%.txt", await NameOf(folder + "/100%25.txt"), "cap 186");
        Expect.Equal(eq, "a&b.txt", await NameOf(folder + "/a&b.txt"), "cap 188 raw &");
        Expect.Equal(eq, "it's.txt", await NameOf(folder + "/it%27s.txt"), "cap 189 over-escaped apostrophe");
        Expect.Equal(eq, "[x].txt", await NameOf(folder + "/[x].txt"), "cap 190 raw brackets");
        Expect.Equal(eq, "ü.txt", await NameOf(folder + "/ü.txt"), "cap 191 raw non-ASCII");
        V4Expect.Error(await Main.Info(folder + "/u\u0308.txt"), 40016); // cap 192: NFD is another name
    }

    [V4Check]
    public async Task Cap193_to_202_case_trailing_slash_dot_segments_schemes_and_encoded_slash()
    {
        var folder = await T.NewFolder("shape");
        Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        var name = folder[(folder.LastIndexOf('/') + 1)..];
        var r = await Main.Info(folder + "/A%20b.txt");
        V4Expect.Error(r, 40016); // cap 193: case-sensitive
        Expect.Ok(await Main.Info(folder + "/")); // cap 194: trailing slash ignored
        Expect.Ok(await Main.Info(folder + "/../" + name + "/a%20b.txt")); // cap 195
        Expect.Ok(await Main.Info(folder.Replace("cloudreve://my/", "cloudreve://my//") + "//a%20b.txt")); // cap 196
        V4Expect.Error(await Main.Info("/" + name + "/a%20b.txt"), 40001, "unknown uri"); // cap 199
        V4Expect.Error(await Main.Info("http://my/" + name + "/a%20b.txt"), 40001, "unknown uri"); // cap 200
        V4Expect.Error(await Main.Info(folder + "/q?x.txt"), 40016); // cap 201: ? starts the query
        Expect.Ok(await Main.Info(folder.Replace("/" + name, "/" + name + "%2F") + "a%20b.txt")); // cap 202: %2F separates
    }

    [V4Check]
    public async Task Cap197_a_raw_plus_in_a_query_string_is_a_space()
    {
        var folder = await T.NewFolder("plus");
        Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/a%2Bb.txt", "file"));
        // The URI put into the query string without the second escaping: '+' decodes to a space.
        var r = await Main.Get("/file/info?uri=" + folder.Replace(":", "%3A").Replace("/", "%2F") + "%2Fa+b.txt");
        Expect.Equal(r, "a b.txt", Expect.Ok(r).GetProperty("name").GetString(), "name");
    }

    [V4Check]
    public async Task Cap171_240_to_247_name_rules()
    {
        var folder = await T.NewFolder("rules");
        foreach (var bad in new[] { "q?x.txt", "a:b", "a*b", "a\"b", "a<b", "a>b", "a|b", "a\\b" })
            V4Expect.Error(await Main.Create(folder + "/" + Uri.EscapeDataString(bad), "file"), 40052, "Invalid object name");
        Expect.Ok(await Main.Create(folder + "/" + new string('a', 255), "file")); // cap 240
        V4Expect.Error(await Main.Create(folder + "/" + new string('c', 256), "file"), 40052, "Invalid object name"); // cap 246
        V4Expect.Error(await Main.Create(folder + "/" + Uri.EscapeDataString(new string('語', 86)), "file"), 40052); // cap 247: 258 bytes
        var trail = await Main.Create(folder + "/trail%20", "file"); // cap 242
        Expect.Equal(trail, "trail ", Expect.Ok(trail).GetProperty("name").GetString(), "trailing space kept");
        Expect.Ok(await Main.Create(folder + "/A%20B.txt", "file"));
        Expect.Ok(await Main.Create(folder + "/a%20b.txt", "file")); // cap 245: case-sensitive names coexist
    }

    [V4Check]
    public async Task Cap470_another_users_my_filesystem_is_403()
    {
        var me = Expect.Ok(await Main.Get("/user/me")).GetProperty("id").GetString()!;
        var other = me == "qPHa" ? "Z1IG" : "qPHa";
        V4Expect.Error(await Main.List($"cloudreve://{other}@my/"), 403, "Permission denied");
    }
}

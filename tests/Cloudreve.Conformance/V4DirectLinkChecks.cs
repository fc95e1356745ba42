using System.Text.Json;

namespace Cloudreve.Conformance;

/// <summary>v4 reference section 13: direct (source) links, PUT /file/source, /f/{id}/{name}, DELETE /file/source/{id}.</summary>
public sealed class V4DirectLinkChecks : V4Checks
{
    public V4DirectLinkChecks(V4Target t) : base(t)
    {
    }

    /// <summary>An empty file with exactly this name in a fresh folder; its path as the server writes it.</summary>
    private async Task<string> NewFile(string name)
    {
        var folder = await T.NewFolder("links");
        var r = await Main.Create(folder + "/" + Uri.EscapeDataString(name), "file");
        return Expect.Ok(r).GetProperty("path").GetString()!;
    }

    /// <summary>The path part of a link after its host: /f/{id}/{escaped name}.</summary>
    private static string LinkPath(string link) => link[link.IndexOf("/f/", StringComparison.Ordinal)..];

    [V4Check]
    public async Task Cap430_links_pair_each_uri_with_its_file_and_escape_names_like_PathEscape()
    {
        var a = await NewFile("ü+&'; x.txt");
        var b = await NewFile("HUNDRED %.txt");
        var r = await Main.Put("/file/source", new { uris = new[] { a, b } });
        var links = Expect.Ok(r).EnumerateArray().ToList();
        Expect.Equal(r, 2, links.Count, "number of links");
        Expect.Keys(r, links[0], "link", "file_url");
        Expect.Equal(r, a, links[0].GetProperty("file_url").GetString(), "file_url of the first link");
        Expect.Equal(r, b, links[1].GetProperty("file_url").GetString(), "file_url of the second link");
        var first = LinkPath(links[0].GetProperty("link").GetString()!);
        Expect.That(r, System.Text.RegularExpressions.Regex.IsMatch(first, "^/f/[A-Za-z0-9]+/%C3%BC\\+&%27%3B%20x\\.txt$"), "/f/{id}/%C3%BC+&%27%3B%20x.txt");
        Expect.That(r, LinkPath(links[1].GetProperty("link").GetString()!).EndsWith("/HUNDRED%20%25.txt", StringComparison.Ordinal), "/f/{id}/HUNDRED%20%25.txt");
        foreach (var l in links) await DeleteLink(l.GetProperty("link").GetString()!);
    }

    private async Task DeleteLink(string link)
    {
        var path = LinkPath(link);
        var id = path.Split('/')[2];
        await Main.Delete("/file/source/" + id);
    }

    [V4Check]
    public async Task Cap435_a_second_call_for_the_same_file_returns_the_same_link()
    {
        var a = await NewFile("again.txt");
        var first = Expect.Ok(await Main.Put("/file/source", new { uris = new[] { a } }))[0].GetProperty("link").GetString()!;
        var r = await Main.Put("/file/source", new { uris = new[] { a } });
        Expect.Equal(r, first, Expect.Ok(r)[0].GetProperty("link").GetString(), "link");
        await DeleteLink(first);
    }

    [V4Check]
    public async Task Cap434_a_folder_has_no_entity_40081_with_40077()
    {
        var folder = await T.NewFolder("link-folder");
        var r = await Main.Put("/file/source", new { uris = new[] { folder } });
        V4Expect.Aggregated(r, folder, 40077);
        Expect.Equal(r, "Entity not exist", r.Json.GetProperty("msg").GetString(), "msg");
    }

    [V4Check]
    public async Task Cap436_extended_info_lists_the_direct_links()
    {
        var a = await NewFile("extended.txt");
        var link = Expect.Ok(await Main.Put("/file/source", new { uris = new[] { a } }))[0].GetProperty("link").GetString()!;
        try
        {
            var r = await Main.Info(a, "&extended=true");
            var ext = Expect.Ok(r).GetProperty("extended_info");
            Expect.That(r, ext.TryGetProperty("direct_links", out var dl) && dl.ValueKind == JsonValueKind.Array && dl.GetArrayLength() == 1, "extended_info.direct_links with one link");
            var entry = ext.GetProperty("direct_links")[0];
            Expect.Keys(r, entry, "id", "url", "downloaded", "created_at");
            Expect.Equal(r, link, entry.GetProperty("url").GetString(), "direct_links[0].url");
            Expect.Equal(r, LinkPath(link).Split('/')[2], entry.GetProperty("id").GetString(), "direct_links[0].id");
        }
        finally
        {
            await DeleteLink(link);
        }
    }

    [V4Check]
    public async Task Cap437_Cap438_a_deleted_link_answers_http_404_with_code_404()
    {
        var a = await NewFile("gone.txt");
        var link = Expect.Ok(await Main.Put("/file/source", new { uris = new[] { a } }))[0].GetProperty("link").GetString()!;
        var id = LinkPath(link).Split('/')[2];
        Expect.Ok(await Main.Delete("/file/source/" + id));
        var r = await T.Anonymous().Get(new Uri(T.BaseUri, LinkPath(link).TrimStart('/')).ToString());
        Expect.Code(r, 404, "direct link not found", http: 404);
    }

    [V4Check]
    public async Task Cap431_Cap432_following_a_link_redirects_to_a_signed_inline_content_url()
    {
        var a = await NewFile("ü+&'; follow.txt");
        var link = Expect.Ok(await Main.Put("/file/source", new { uris = new[] { a } }))[0].GetProperty("link").GetString()!;
        try
        {
            var r = await T.Anonymous().Get(new Uri(T.BaseUri, LinkPath(link).TrimStart('/')).ToString());
            Expect.Status(r, 302);
            var location = r.Header("Location");
            Expect.That(r, System.Text.RegularExpressions.Regex.IsMatch(location, "^https?://[^/]+/api/v4/file/content/[A-Za-z0-9]+/0/%C3%BC\\+&%27%3B%20follow\\.txt\\?sign=[A-Za-z0-9_-]+%3D%3A[0-9]+$"),
                "Location {site}/api/v4/file/content/{entity}/0/{escaped name}?sign=... without download=true");
        }
        finally
        {
            await DeleteLink(link);
        }
    }
}

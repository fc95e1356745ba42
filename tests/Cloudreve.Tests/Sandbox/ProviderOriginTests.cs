using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

/// <summary>The storage-provider imitations listen on an origin of their own (--provider-urls), and the request log says which one took each request.</summary>
public sealed class ProviderOriginTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.PolicyType = "s3";
        options.ChunkSize = 1000;
    }

    [Fact]
    public async Task Provider_urls_point_at_a_second_loopback_origin_served_by_the_same_process()
    {
        Assert.NotNull(Host.ProviderUri);
        Assert.Equal("127.0.0.1", Host.ProviderUri!.Host);
        Assert.NotEqual(Host.BaseUri.Port, Host.ProviderUri.Port);

        using var c = await UserAsync();
        var data = RandomNumberGenerator.GetBytes(1500);
        var s = await Provider.Session(c, "/p", "a.bin", data.Length);
        var urls = s.GetProperty("uploadURLs").EnumerateArray().Select(u => u.GetString()!).ToList();
        Assert.All(urls, u => Assert.StartsWith(Host.ProviderUri.GetLeftPart(UriPartial.Authority) + "/_provider/s3/", u));
        Assert.StartsWith(Host.ProviderUri.GetLeftPart(UriPartial.Authority) + "/", s.GetProperty("completeURL").GetString());

        // The API origin does not serve the API on the provider port.
        using (var r = await Provider.Http.GetAsync(new Uri(Host.ProviderUri, "api/v3/site/config")))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);

        var tags = new List<(int, string)>();
        for (var i = 0; i < urls.Count; i++)
        {
            using var r = await Provider.PutPart(urls[i], data[(i * 1000)..Math.Min(data.Length, (i + 1) * 1000)]);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            tags.Add((i + 1, r.Headers.ETag!.ToString()));
        }
        using (var r = await Provider.Complete(s.GetProperty("completeURL").GetString()!, Provider.CompleteXml(tags)))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        AssertCode(0, (await Provider.Callback(c, HttpMethod.Get, "/callback/s3/" + s.GetProperty("sessionID").GetString(), null)).Body);

        var file = (await Provider.Find(c, "/p", "a.bin"))!.Value;
        var dl = (await c.PutAsync("/file/download/" + file.GetProperty("id").GetString(), null)).GetProperty("data").GetString()!;
        Assert.StartsWith(Host.ProviderUri.GetLeftPart(UriPartial.Authority) + "/_provider/s3/", dl);
        Assert.Equal(data, await Provider.Http.GetByteArrayAsync(dl));

        var log = (await c.Http.GetFromJsonElementAsync("_sandbox/requests")).GetProperty("requests").EnumerateArray().ToList();
        var provider = log.Where(e => e.GetProperty("path").GetString()!.StartsWith("/_provider/", StringComparison.Ordinal)).ToList();
        Assert.Equal(urls.Count + 2, provider.Count);
        Assert.All(provider, e => Assert.Equal("provider", e.GetProperty("origin").GetString()));
        var api = log.Where(e => e.GetProperty("path").GetString()!.StartsWith("/api/v3/", StringComparison.Ordinal)).ToList();
        var strayOnProvider = Assert.Single(api, e => e.GetProperty("origin").GetString() == "provider");
        Assert.Equal(404, strayOnProvider.GetProperty("status").GetInt32());
        Assert.Contains(api, e => e.GetProperty("origin").GetString() == "api" && e.GetProperty("path").GetString() == "/api/v3/file/upload");
    }
}

/// <summary>--provider-urls none keeps the provider imitations on the API origin; local policies need no second listener.</summary>
public sealed class ProviderOriginNoneTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options)
    {
        options.PolicyType = "onedrive";
        options.ProviderUrls = "none";
    }

    [Fact]
    public async Task Provider_urls_stay_on_the_api_origin()
    {
        Assert.Null(Host.ProviderUri);
        using var c = await UserAsync();
        var s = await Provider.Session(c, "/", "a.bin", 10);
        Assert.StartsWith(Host.BaseUri.GetLeftPart(UriPartial.Authority) + "/_provider/onedrive/", s.GetProperty("uploadURLs")[0].GetString());
    }

    [Fact]
    public async Task Local_policy_starts_no_provider_listener()
    {
        await using var local = await SandboxHost.StartAsync(new SandboxOptions { AdminPassword = AdminPassword });
        Assert.Null(local.ProviderUri);
    }
}

internal static class JsonHttp
{
    public static async Task<JsonElement> GetFromJsonElementAsync(this HttpClient http, string path)
    {
        using var resp = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Cloudreve.Sandbox.Hosting;
using Xunit;
using static Cloudreve.Tests.Sandbox.SandboxClient;

namespace Cloudreve.Tests.Sandbox;

/// <summary>Fault lostAnswerRate: the chunk is stored, then the connection drops before the answer (reference 5.2 for the re-sends).</summary>
public sealed class LostAnswerTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.ChunkSize = 1000;

    [Fact]
    public async Task Stored_chunks_lose_their_answer_and_resends_get_the_real_servers_codes()
    {
        using var c = await UserAsync();
        var policy = await Transfer.PolicyId(c);
        var data = RandomNumberGenerator.GetBytes(2500);
        var sid = (await c.PutAsync("/file/upload", new { path = "/l", size = data.Length, name = "l.bin", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;

        Host.Faults = Host.Faults with { LostAnswerRate = 1 };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Transfer.Chunk(c, sid, 0, data[..1000]));
        Host.Faults = Host.Faults with { LostAnswerRate = 0 };

        // chunk 0 was stored: sending it again is refused as on 3.8.3 (the blob exists).
        AssertCode(40002, await Transfer.Chunk(c, sid, 0, data[..1000]), "file with the same name existed or unavailable");
        AssertCode(40012, await Transfer.Chunk(c, sid, 2, data[2000..]), "Chunk must be uploaded in order");

        Host.Faults = Host.Faults with { LostAnswerRate = 1 };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Transfer.Chunk(c, sid, 1, data[1000..2000]));
        Host.Faults = Host.Faults with { LostAnswerRate = 0 };
        // a later chunk is simply written again.
        AssertCode(0, await Transfer.Chunk(c, sid, 1, data[1000..2000]));
        AssertCode(0, await Transfer.Chunk(c, sid, 2, data[2000..]));

        var file = (await Provider.Find(c, "/l", "l.bin"))!.Value;
        Assert.Equal(2500, file.GetProperty("size").GetInt64());
        var url = (await c.PutAsync($"/file/download/{file.GetProperty("id").GetString()}", null)).GetProperty("data").GetString()!;
        using var resp = await c.SendAsync(HttpMethod.Get, url);
        Assert.Equal(data, await resp.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_last_chunk_completes_the_file_even_when_its_answer_is_lost()
    {
        using var c = await UserAsync();
        var policy = await Transfer.PolicyId(c);
        var data = RandomNumberGenerator.GetBytes(500);
        var sid = (await c.PutAsync("/file/upload", new { path = "/", size = data.Length, name = "one.bin", policy_id = policy })).GetProperty("data").GetProperty("sessionID").GetString()!;
        Host.Faults = Host.Faults with { LostAnswerRate = 1 };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Transfer.Chunk(c, sid, 0, data));
        Host.Faults = Host.Faults with { LostAnswerRate = 0 };
        Assert.Equal(500, (await Provider.Find(c, "/", "one.bin"))!.Value.GetProperty("size").GetInt64());
        AssertCode(40011, await Transfer.Chunk(c, sid, 0, data));
    }

    [Fact]
    public async Task The_fault_is_set_through_the_control_route_and_the_command_line()
    {
        using var c = await UserAsync();
        using (var resp = await c.Http.PostAsync("_sandbox/faults", new StringContent("{\"lostAnswerRate\":0.25}", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(0.25, JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.GetProperty("lostAnswerRate").GetDouble());
        Assert.Equal(0.25, Host.Faults.LostAnswerRate);
        using (var resp = await c.Http.PostAsync("_sandbox/faults", new StringContent("{\"lostAnswerRate\":2}", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);

        Assert.Equal(0.5, CommandLine.Parse(["--fault-lost-answer-rate", "0.5"]).Options!.Faults.LostAnswerRate);
        Assert.NotNull(CommandLine.Parse(["--fault-lost-answer-rate", "1.5"]).Error);
        Assert.Equal("http://127.0.0.1:0", CommandLine.Parse(["--provider-urls", "http://127.0.0.1:0"]).Options!.ProviderUrls);
        Assert.Contains("--fault-lost-answer-rate", CommandLine.Usage);
        Assert.Contains("--provider-urls", CommandLine.Usage);
    }
}

using System.Management.Automation;
using Cloudreve.Sandbox.Hosting;
using Cloudreve.Tests.Cmdlets;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// Send-/Receive-CloudreveFile in-process against a 3.8.3 and a 4.18.0 sandbox: what reaches the progress,
/// output and error streams (all written from the pipeline thread). One body for each generation.
/// </summary>
public sealed class TransferCmdletTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cr-xfer-" + Guid.NewGuid().ToString("N"));

    public TransferCmdletTests()
    {
        Directory.CreateDirectory(_folder);
        for (var i = 0; i < 6; i++)
        {
            var bytes = new byte[65536 * 3 + i];
            new Random(i).NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(_folder, $"f{i}.bin"), bytes);
        }
    }

    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    public void Dispose() => Directory.Delete(_folder, true);

    private static async Task<GenerationSandbox> StartAsync(string version)
    {
        var env = await GenerationSandbox.StartAsync(version, o => o.ChunkSize = 65536);
        env.Connect();
        return env;
    }

    private PowerShell Run(GenerationSandbox env, string script, string progressPreference)
    {
        var ps = PowerShell.Create();
        ps.Runspace = env.Runspace;
        ps.AddScript($"$ProgressPreference = '{progressPreference}'; " + script).AddArgument(_folder);
        ps.Invoke();
        return ps;
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task WritesAnOverallBarWithChildBarsAndEndsThem(string version)
    {
        await using var env = await StartAsync(version);
        using var ps = Run(env, "Send-CloudreveFile -Path (Join-Path $args[0] '*.bin') -Destination /prog -ThrottleLimit 3", "Continue");
        Assert.Empty(ps.Streams.Error);
        var records = ps.Streams.Progress.ToList();
        Assert.NotEmpty(records);
        var parents = records.Where(r => r.ActivityId == 1).ToList();
        Assert.NotEmpty(parents);
        Assert.All(parents, r => Assert.Equal(-1, r.ParentActivityId));
        Assert.Equal(ProgressRecordType.Completed, parents.Last().RecordType);
        Assert.Contains(parents, r => r.StatusDescription.Contains(" of 6 files", StringComparison.Ordinal));
        var children = records.Where(r => r.ActivityId != 1).ToList();
        Assert.All(children, r => Assert.Equal(1, r.ParentActivityId));
        // Every child bar that was shown is ended.
        foreach (var id in children.Select(c => c.ActivityId).Distinct())
        {
            Assert.Equal(ProgressRecordType.Completed, children.Last(c => c.ActivityId == id).RecordType);
        }

        Assert.Equal(6, env.Run("Get-CloudreveChildItem /prog -File").Count);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task IsSilentWhenProgressPreferenceSaysSo(string version)
    {
        await using var env = await StartAsync(version);
        using var ps = Run(env, "Send-CloudreveFile -Path (Join-Path $args[0] '*.bin') -Destination /quiet", "SilentlyContinue");
        Assert.Empty(ps.Streams.Error);
        Assert.Empty(ps.Streams.Progress);
        Assert.Equal(6, env.Run("Get-CloudreveChildItem /quiet -File").Count);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task WritesOutputInInputOrder(string version)
    {
        await using var env = await StartAsync(version);
        using var ps = PowerShell.Create();
        ps.Runspace = env.Runspace;
        ps.AddScript("$ProgressPreference = 'SilentlyContinue'; Send-CloudreveFile -Path (Join-Path $args[0] '*.bin') -Destination /order -ThrottleLimit 6 -PassThru").AddArgument(_folder);
        var sent = ps.Invoke().Select(o => Assert.IsType<CloudreveFile>(o.BaseObject).Name).ToArray();
        Assert.Empty(ps.Streams.Error);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"f{i}.bin"), sent);

        using var back = PowerShell.Create();
        back.Runspace = env.Runspace;
        var target = Path.Combine(_folder, "back") + Path.DirectorySeparatorChar;   // a new folder, not a file path
        back.AddScript("$ProgressPreference = 'SilentlyContinue'; Get-CloudreveChildItem /order | Receive-CloudreveFile -Destination $args[0] -PassThru").AddArgument(target);
        var received = back.Invoke().Select(o => Assert.IsType<FileInfo>(o.BaseObject)).ToArray();
        Assert.Empty(back.Streams.Error);
        Assert.Equal(sent, received.Select(f => f.Name));
        foreach (var f in received)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, f.Name)), File.ReadAllBytes(f.FullName));
        }
    }
}

using System.Management.Automation;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// The pipeline behaviour of the cmdlets, in-process against a 3.8.3 and a 4.18.0 sandbox: typed objects flow
/// from one cmdlet into the next, and stopping the pipeline (Ctrl+C) cancels the request on the wire.
/// </summary>
public sealed class GenerationPipelineTests
{
    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task ItemsPipeBetweenCmdletsAsTypedObjects(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFile '/p/a b.txt', '/p/c [1].txt' | Out-Null; New-CloudreveFolder '/p/sub' | Out-Null");

        var renamed = env.Run("Get-CloudreveChildItem /p -File | Rename-CloudreveItem -NewName { 'x-' + $_.Name } -PassThru");
        var names = renamed.Select(o => Assert.IsType<CloudreveFile>(o).Path).OrderBy(p => p, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "/p/x-a b.txt", "/p/x-c [1].txt" }, names);

        // The server agrees: the old names are gone, the folder was not piped (-File) and kept its name.
        var listed = env.Run("Get-CloudreveChildItem /p").Cast<CloudreveItem>().Select(i => i.Path).OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(new[] { "/p/sub", "/p/x-a b.txt", "/p/x-c [1].txt" }, listed);
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task StoppingThePipelineCancelsTheRequestPromptly(string version)
    {
        await using var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Host.Faults = new FaultSettings { LatencyMs = 30_000 };
        try
        {
            using var ps = PowerShell.Create();
            ps.Runspace = env.Runspace;
            ps.AddCommand("Get-CloudreveChildItem").AddParameter("Path", "/").AddParameter("Recurse");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var running = ps.BeginInvoke();
            Thread.Sleep(500);
            Assert.False(running.IsCompleted, "the listing finished before the slow answer came");
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {watch.Elapsed} on {version}");
        }
        finally
        {
            env.Host.Faults = new FaultSettings();
        }

        // The session is still usable after the stop.
        Assert.IsType<CloudreveQuota>(Assert.Single(env.Run("Get-CloudreveQuota")));
    }
}

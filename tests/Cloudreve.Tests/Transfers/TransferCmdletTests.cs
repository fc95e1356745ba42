using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cloudreve.Commands;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Transfers;

/// <summary>
/// Send-/Receive-CloudreveFile in-process against a sandbox: what reaches the progress, output and
/// error streams (all written from the pipeline thread).
/// </summary>
public sealed class TransferCmdletTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cr-xfer-" + Guid.NewGuid().ToString("N"));
    private SandboxHost _sandbox = null!;
    private Runspace _runspace = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { AdminPassword = "Admin-pass-123", ChunkSize = 65536 };
        options.Users.Add(new SandboxUser("fay@example.com", "Fay-pass-123"));
        _sandbox = await SandboxHost.StartAsync(options);
        _runspace = Support.ModuleRunspace.Open();
        Directory.CreateDirectory(_folder);
        for (var i = 0; i < 6; i++)
        {
            var bytes = new byte[65536 * 3 + i];
            new Random(i).NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(_folder, $"f{i}.bin"), bytes);
        }

        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("Connect-Cloudreve -Uri $args[0] -Credential $args[1]")
            .AddArgument(_sandbox.BaseUri)
            .AddArgument(new PSCredential("fay@example.com", Internal.Secrets.Protect("Fay-pass-123")));
        ps.Invoke();
        Assert.False(ps.HadErrors, string.Join(Environment.NewLine, ps.Streams.Error.Select(e => e.ToString())));
    }

    public async Task DisposeAsync()
    {
        _runspace.Dispose();
        await _sandbox.DisposeAsync();
        Directory.Delete(_folder, true);
    }

    private PowerShell Run(string script, string progressPreference)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript($"$ProgressPreference = '{progressPreference}'; " + script).AddArgument(_folder);
        ps.Invoke();
        return ps;
    }

    [Fact]
    public void WritesAnOverallBarWithChildBarsAndEndsThem()
    {
        using var ps = Run("Send-CloudreveFile -Path (Join-Path $args[0] '*.bin') -Destination /prog -ThrottleLimit 3", "Continue");
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
    }

    [Fact]
    public void IsSilentWhenProgressPreferenceSaysSo()
    {
        using var ps = Run("Send-CloudreveFile -Path (Join-Path $args[0] '*.bin') -Destination /quiet", "SilentlyContinue");
        Assert.Empty(ps.Streams.Error);
        Assert.Empty(ps.Streams.Progress);
    }

    [Fact]
    public void WritesOutputInInputOrder()
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("$ProgressPreference = 'SilentlyContinue'; Send-CloudreveFile -Path (Join-Path $args[0] '*.bin') -Destination /order -ThrottleLimit 6 -PassThru").AddArgument(_folder);
        var sent = ps.Invoke().Select(o => Assert.IsType<CloudreveFile>(o.BaseObject).Name).ToArray();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"f{i}.bin"), sent);

        using var back = PowerShell.Create();
        back.Runspace = _runspace;
        var target = Path.Combine(_folder, "back") + Path.DirectorySeparatorChar;   // a new folder, not a file path
        back.AddScript("$ProgressPreference = 'SilentlyContinue'; Get-CloudreveChildItem /order | Receive-CloudreveFile -Destination $args[0] -PassThru").AddArgument(target);
        var received = back.Invoke().Select(o => Assert.IsType<FileInfo>(o.BaseObject)).ToArray();
        Assert.Equal(sent, received.Select(f => f.Name));
        foreach (var f in received)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, f.Name)), File.ReadAllBytes(f.FullName));
        }
    }
}

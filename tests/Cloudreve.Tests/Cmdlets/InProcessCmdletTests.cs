using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cloudreve.Commands;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// Cmdlets run in-process (Microsoft.PowerShell.SDK) against a sandbox on loopback: real HTTP, with
/// the cmdlet types loaded from the referenced assembly.
/// </summary>
public sealed class InProcessCmdletTests : IAsyncLifetime
{
    private SandboxHost _sandbox = null!;
    private Runspace _runspace = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { AdminPassword = "Admin-pass-123" };
        options.Users.Add(new SandboxUser("dora@example.com", "Dora-pass-123"));
        _sandbox = await SandboxHost.StartAsync(options);
        _runspace = Support.ModuleRunspace.Open();
    }

    public async Task DisposeAsync()
    {
        _runspace.Dispose();
        await _sandbox.DisposeAsync();
    }

    private (Collection<PSObject> Output, PSDataCollection<ErrorRecord> Errors) Invoke(string script, IDictionary<string, object>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var pair in variables ?? new Dictionary<string, object>())
        {
            _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
        }

        ps.AddScript(script);
        var output = ps.Invoke();
        return (output, ps.Streams.Error);
    }

    private Dictionary<string, object> Login(string user, string password) => new()
    {
        ["uri"] = _sandbox.BaseUri,
        ["cred"] = new PSCredential(user, Internal.Secrets.Protect(password)),
    };

    [Fact]
    public void ConnectsAndReadsTheQuota()
    {
        var (output, errors) = Invoke("Connect-Cloudreve -Uri $uri -Credential $cred; Get-CloudreveQuota", Login("dora@example.com", "Dora-pass-123"));
        Assert.Empty(errors);
        var quota = Assert.IsType<CloudreveQuota>(Assert.Single(output).BaseObject);
        Assert.True(quota.Total > 0);
        Assert.Equal(quota.Total, quota.Used + quota.Free);
        Assert.Equal("dora@example.com", quota.UserName);
    }

    [Fact]
    public void WrongPasswordIsAnAuthenticationErrorWithAStableId()
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddCommand("Connect-Cloudreve")
            .AddParameter("Uri", _sandbox.BaseUri)
            .AddParameter("Credential", new PSCredential("dora@example.com", Internal.Secrets.Protect("not-the-password")));
        var thrown = Assert.ThrowsAny<RuntimeException>(() => ps.Invoke());
        var error = thrown.ErrorRecord;
        Assert.Equal("CloudreveInvalidCredential,Cloudreve.Commands.ConnectCloudreveCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }

    [Fact]
    public void LogsInAgainAfterTheServerForgetsTheLogin()
    {
        var login = Login("dora@example.com", "Dora-pass-123");
        var (_, connectErrors) = Invoke("Connect-Cloudreve -Uri $uri -Credential $cred", login);
        Assert.Empty(connectErrors);
        Assert.True(_sandbox.ExpireSessions() > 0);
        var (output, errors) = Invoke("New-CloudreveFolder /after-expiry");
        Assert.Empty(errors);
        var folder = Assert.IsType<CloudreveFolder>(Assert.Single(output).BaseObject);
        Assert.Equal("/after-expiry", folder.Path);
    }

    [Fact]
    public void ItemsPipeBetweenCmdletsAsTypedObjects()
    {
        var (output, errors) = Invoke(
            "Connect-Cloudreve -Uri $uri -Credential $cred; New-CloudreveFile '/p/a b.txt', '/p/c [1].txt' | Out-Null; " +
            "Get-CloudreveChildItem /p -File | Rename-CloudreveItem -NewName { 'x-' + $_.Name } -PassThru",
            Login("dora@example.com", "Dora-pass-123"));
        Assert.Empty(errors);
        var names = output.Select(o => Assert.IsType<CloudreveFile>(o.BaseObject).Path).OrderBy(p => p).ToArray();
        Assert.Equal(new[] { "/p/x-a b.txt", "/p/x-c [1].txt" }, names);
    }

    [Fact]
    public void StoppingThePipelineCancelsTheRequestPromptly()
    {
        var (_, connectErrors) = Invoke("Connect-Cloudreve -Uri $uri -Credential $cred", Login("dora@example.com", "Dora-pass-123"));
        Assert.Empty(connectErrors);
        _sandbox.Faults = new FaultSettings { LatencyMs = 30_000 };
        try
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddCommand("Get-CloudreveChildItem").AddParameter("Path", "/").AddParameter("Recurse");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var running = ps.BeginInvoke();
            Thread.Sleep(500);
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {watch.Elapsed}");
        }
        finally
        {
            _sandbox.Faults = new FaultSettings();
        }
    }
}

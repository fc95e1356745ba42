using System.Runtime.InteropServices;
using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Sandbox;

/// <summary>Command-line entry point: a local Cloudreve 3.8.3- or 4.18.0-compatible server for tests and demos.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = CommandLine.Parse(args);
        if (parsed.Help)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }
        if (parsed.Options == null)
        {
            Console.Error.WriteLine("Cloudreve sandbox: " + parsed.Error);
            return 2;
        }

        var options = parsed.Options;
        SandboxHost host;
        try
        {
            host = await SandboxHost.StartAsync(options);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            Console.Error.WriteLine("Cloudreve sandbox: could not start: " + ex.Message);
            return 1;
        }

        await using (host)
        {
            var uri = host.BaseUri.GetLeftPart(UriPartial.Authority);
            Console.WriteLine($"Cloudreve sandbox listening on {uri}");
            if (options.IsV4) Console.WriteLine($"Plays Cloudreve {options.ServerVersion}: /api/v4 (bearer tokens); /api/v3 answers 404");
            if (host.ProviderUri != null) Console.WriteLine($"Storage provider imitations (onedrive, s3) on {host.ProviderUri.GetLeftPart(UriPartial.Authority)}");
            Console.WriteLine($"Admin account: {host.AdminEmail} / {host.AdminPassword}");
            if (host.AdminTwoFactorEnabled) Console.WriteLine("Admin 2FA: on (TOTP secret given with --admin-totp-secret)");
            Console.WriteLine($"Data folder: {host.DataFolder}{(options.DataFolder == null ? " (temporary, deleted on exit)" : "")}");
            if (options.ReadyFile != null)
                ReadyFile.Write(options.ReadyFile, host.BaseUri, host.AdminEmail, host.AdminPassword, Environment.ProcessId, host.ProviderUri);
            Console.Out.Flush();

            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
            {
                c.Cancel = true;
                stop.TrySetResult();
            });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.TrySetResult();
            });
            await stop.Task;
            Console.WriteLine("Cloudreve sandbox stopping");
        }
        return 0;
    }
}

// Drive handling of the Cloudreve provider: New-PSDrive (a session and a remote root folder), Remove-PSDrive,
// and finding a mounted Cloudreve drive by name.

using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        protected override Collection<PSDriveInfo> InitializeDefaultDrives() => new Collection<PSDriveInfo>();

        protected override object NewDriveDynamicParameters() => new NewDriveParameters();

        protected override PSDriveInfo NewDrive(PSDriveInfo drive)
        {
            if (drive == null)
            {
                throw new ArgumentNullException(nameof(drive));
            }

            var parameters = DynamicParameters as NewDriveParameters;
            var lifetime = parameters?.CacheSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            if (drive is CloudreveDriveInfo mounted)
            {
                // Mounted by Connect-Cloudreve: rebuild it, because the engine may have rewritten the root.
                return new CloudreveDriveInfo(mounted.Name, mounted.Provider, mounted.Session, mounted.RemoteRoot, mounted.Description, lifetime ?? mounted.CacheLifetime);
            }

            var (fromRoot, remoteRoot) = ParseRoot(drive.Root);
            var session = parameters?.Session ?? fromRoot?.Session ?? SessionRegistry.Current.Default;
            if (session == null)
            {
                ThrowTerminatingError(Record(new CloudreveException(CloudreveErrorKind.NotLoggedIn,
                    "There is no Cloudreve session for the drive. Run Connect-Cloudreve first, or pass -Session to New-PSDrive."), drive.Name));
            }

            if (!session!.IsConnected)
            {
                ThrowTerminatingError(Record(new CloudreveException(CloudreveErrorKind.NotLoggedIn,
                    $"The session {session} was disconnected. Run Connect-Cloudreve again."), drive.Name));
            }

            var result = new CloudreveDriveInfo(drive.Name, drive.Provider, session, remoteRoot, drive.Description, lifetime);
            if (remoteRoot != RemotePath.Root)
            {
                CloudreveItem? root = null;
                try
                {
                    root = FindItem(result, remoteRoot);
                }
                catch (CloudreveException ex)
                {
                    ThrowTerminatingError(Record(ex, drive.Root));
                }

                if (!(root is CloudreveFolder))
                {
                    ThrowTerminatingError(Record(new CloudreveException(CloudreveErrorKind.NotFound,
                        $"Cannot mount '{drive.Name}': the folder '{remoteRoot}' does not exist on {session.Uri}."), drive.Root));
                }
            }

            return result;
        }

        protected override PSDriveInfo RemoveDrive(PSDriveInfo drive) => drive;

        /// <summary>A root is a remote folder ("/", "/reports", "reports") or a Cloudreve provider path ("Cloudreve/reports").</summary>
        private (CloudreveDriveInfo? Drive, string Remote) ParseRoot(string root)
        {
            var text = (root ?? string.Empty).Trim();
            if (text.Length > 0 && text[0] != '/' && text[0] != '\\')
            {
                var segments = ProviderPaths.Split(text);
                var drive = segments.Length > 0 ? FindDrive(segments[0]) : null;
                if (drive != null)
                {
                    return (drive, "/" + string.Join("/", segments.Skip(1)));
                }
            }

            return (null, RemotePath.Normalize(text.Length == 0 ? "/" : "/" + text.TrimStart('/', '\\')));
        }

        private CloudreveDriveInfo? FindDrive(string name)
        {
            if (PSDriveInfo is CloudreveDriveInfo current && string.Equals(current.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return current;
            }

            try
            {
                return ProviderPaths.FindDrive(SessionState, name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;

namespace Cloudreve.Provider
{
    /// <summary>Mounts and removes Cloudreve drives for the session cmdlets, through the calling cmdlet's session state.</summary>
    internal static class DriveMounter
    {
        public const string DefaultDriveName = "Cloudreve";

        /// <summary>Mounts a drive for the session at the server's root, in the global scope, replacing a Cloudreve drive of that name.</summary>
        public static CloudreveDriveInfo Mount(PSCmdlet cmdlet, CloudreveSession session, string name)
        {
            var state = cmdlet.SessionState;
            var provider = state.Provider.GetOne(CloudreveProvider.ProviderName);
            PSDriveInfo? existing = null;
            try
            {
                existing = state.Drive.Get(name);
            }
            catch (DriveNotFoundException)
            {
            }

            if (existing != null)
            {
                if (!(existing is CloudreveDriveInfo))
                {
                    throw new Transport.CloudreveException(Transport.CloudreveErrorKind.Conflict,
                        $"The drive name '{name}' is already used by the {existing.Provider.Name} provider. Pick another with -DriveName, or use -NoDrive.");
                }

                cmdlet.WriteVerbose($"Replacing the drive {name}: ({((CloudreveDriveInfo)existing).Session}).");
            }

            // Connecting again while working on the drive keeps the location (on the new session).
            var here = state.Path.CurrentLocation;
            var stay = existing != null && string.Equals(here.Drive?.Name, name, StringComparison.OrdinalIgnoreCase) ? here.Path : null;
            if (existing != null)
            {
                Remove(cmdlet, existing);
            }

            var drive = new CloudreveDriveInfo(name, provider, session, RemotePath.Root, null, null);
            var mounted = state.Drive.New(drive, "Global");
            cmdlet.WriteVerbose($"Mounted {name}: for {session}.");
            if (stay != null)
            {
                try
                {
                    state.Path.SetLocation(WildcardPattern.Escape(stay));
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderInvocationException || ex is PSArgumentException)
                {
                    state.Path.SetLocation(name + ":" + System.IO.Path.DirectorySeparatorChar);
                }
            }

            return (CloudreveDriveInfo)mounted;
        }

        /// <summary>Removes every Cloudreve drive of the session that this scope can see.</summary>
        public static void Unmount(PSCmdlet cmdlet, CloudreveSession session)
        {
            var state = cmdlet.SessionState;
            var drives = state.Drive.GetAllForProvider(CloudreveProvider.ProviderName).OfType<CloudreveDriveInfo>().Where(d => d.Session == session).ToList();
            foreach (var drive in drives)
            {
                Remove(cmdlet, drive);
                cmdlet.WriteVerbose($"Removed the drive {drive.Name}:.");
            }

            ListingCache.Peek(session)?.Clear();
        }

        private static void Remove(PSCmdlet cmdlet, PSDriveInfo drive)
        {
            var state = cmdlet.SessionState;
            if (string.Equals(state.Path.CurrentLocation.Drive?.Name, drive.Name, StringComparison.OrdinalIgnoreCase))
            {
                // Leave the drive first: the location would otherwise point at nothing.
                var home = state.Provider.GetOne("FileSystem").Home;
                state.Path.SetLocation(string.IsNullOrEmpty(home) ? System.IO.Path.GetPathRoot(Environment.CurrentDirectory) : home);
            }

            foreach (var scope in new[] { "Global", "Script", "Local" })
            {
                try
                {
                    state.Drive.Remove(drive.Name, true, scope);
                    return;
                }
                catch (DriveNotFoundException)
                {
                }
                catch (ArgumentException)
                {
                }
            }

            try
            {
                state.Drive.Remove(drive.Name, true, null);
            }
            catch (DriveNotFoundException)
            {
                // Already gone (removed by the user): nothing to do.
            }
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Provider;

namespace Cloudreve.Commands.Completion
{
    /// <summary>
    /// The session and remote folder the folder part of a word names, by the cmdlets' own rules (see
    /// CloudreveItemCmdletBase.ToRemoteTarget): "Drive:\a\" is on that Cloudreve drive's session and
    /// below its root, "/a/" on -Session or the default session, and a relative "a/" is below the location
    /// when that is on a Cloudreve drive (and no -Session is given), else below the root.
    /// </summary>
    internal sealed class RemoteTarget
    {
        private RemoteTarget(CloudreveSession session, string folder, CloudreveDriveInfo? drive = null)
        {
            Session = session;
            Folder = folder;
            CacheLifetime = drive?.CacheLifetime ?? CloudreveDriveInfo.DefaultCacheLifetime;
        }

        public CloudreveSession Session { get; }

        /// <summary>How old a cached listing may be: the lifetime of the drive the path goes through, else the drives' default.</summary>
        public TimeSpan CacheLifetime { get; }

        /// <summary>The normalised remote folder to list.</summary>
        public string Folder { get; }

        /// <summary>The target, or null when the word names nothing remote that can be listed.</summary>
        public static RemoteTarget? Resolve(string folderText, CloudreveSession? explicitSession)
        {
            var colon = folderText.IndexOf(':');
            var separator = folderText.IndexOfAny(new[] { '/', '\\' });
            if (colon > 0 && (separator < 0 || colon < separator))
            {
                if (folderText.IndexOf("::", StringComparison.Ordinal) >= 0)
                {
                    return null; // provider-qualified paths are not completed here
                }

                var state = CurrentSessionState();
                var drive = Drive(state, folderText.Substring(0, colon));
                if (drive == null || (explicitSession != null && explicitSession != drive.Session))
                {
                    return null;
                }

                var rest = folderText.Substring(colon + 1);
                if (rest.Length > 0 && rest[0] != '/' && rest[0] != '\\' && state?.Path.CurrentLocation.Drive is CloudreveDriveInfo here &&
                    string.Equals(here.Name, drive.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return new RemoteTarget(drive.Session, RemotePath.Normalize(rest, CurrentFolder(state)), drive);
                }

                return new RemoteTarget(drive.Session, RemotePath.Normalize(RemotePath.Combine(drive.RemoteRoot, rest.TrimStart('/', '\\'))), drive);
            }

            if (folderText.Length == 0 || (folderText[0] != '/' && folderText[0] != '\\'))
            {
                if (explicitSession == null)
                {
                    var state = CurrentSessionState();
                    if (state?.Path.CurrentLocation.Drive is CloudreveDriveInfo current)
                    {
                        return new RemoteTarget(current.Session, RemotePath.Normalize(folderText, CurrentFolder(state)), current);
                    }
                }
            }

            var session = explicitSession ?? SessionRegistry.Current.Default;
            return session == null ? null : new RemoteTarget(session, RemotePath.Normalize(folderText));
        }

        private static CloudreveDriveInfo? Drive(SessionState? state, string name)
        {
            return state == null ? null : ProviderPaths.FindDrive(state, name);
        }

        // The provider path of a Cloudreve location is "<drive>/<remote path segments>".
        private static string CurrentFolder(SessionState state) => ProviderPaths.RemotePart(state.Path.CurrentLocation.ProviderPath);

        /// <summary>The runspace's session state (drives, location), read through a nested pipeline on this thread.</summary>
        private static SessionState? CurrentSessionState()
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("$ExecutionContext.SessionState");
            return shell.Invoke().Select(o => o?.BaseObject).OfType<SessionState>().FirstOrDefault();
        }
    }
}

using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace Cloudreve.Provider
{
    /// <summary>
    /// A Cloudreve drive: a session and the remote folder the drive is rooted at. The drive's root (its
    /// provider path) is the drive name followed by the remote root, for example "Work/reports", so a
    /// provider-qualified path (PSPath) names its drive, and through it its session.
    /// </summary>
    public sealed class CloudreveDriveInfo : PSDriveInfo
    {
        /// <summary>How long a folder listing is trusted without -Force, unless the drive says otherwise.</summary>
        public static readonly TimeSpan DefaultCacheLifetime = TimeSpan.FromSeconds(5);

        internal CloudreveDriveInfo(string name, ProviderInfo provider, CloudreveSession session, string remoteRoot, string? description, TimeSpan? cacheLifetime)
            : base(name, provider, ProviderPaths.Build(name, RemotePath.Normalize(remoteRoot)), string.IsNullOrEmpty(description) ? $"{session.UserName} on {session.Uri}" : description, null)
        {
            Session = session;
            RemoteRoot = RemotePath.Normalize(remoteRoot);
            CacheLifetime = cacheLifetime ?? DefaultCacheLifetime;
        }

        /// <summary>The session the drive works through.</summary>
        public CloudreveSession Session { get; }

        /// <summary>The remote folder shown as the drive's root, for example "/" or "/reports".</summary>
        public string RemoteRoot { get; }

        /// <summary>How long folder listings are reused without asking the server again (-Force always asks).</summary>
        public TimeSpan CacheLifetime { get; set; }

        internal ListingCache Cache => ListingCache.For(Session);

        /// <summary>Forgets every cached listing of the drive's session.</summary>
        public void ClearCache() => Cache.Clear();
    }

    /// <summary>
    /// Provider paths: "&lt;drive&gt;" + separator + the remote path's segments, with either slash accepted.
    /// Cloudreve names cannot contain '/' or '\', so splitting on both is safe.
    /// </summary>
    internal static class ProviderPaths
    {
        public static readonly char Separator = Path.DirectorySeparatorChar;

        private static readonly char[] Separators = { '/', '\\' };

        public static string[] Split(string path) => (path ?? string.Empty).Split(Separators, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The normalised remote path of a provider path (its segments after the drive name).</summary>
        public static string RemotePart(string path) => RemotePath.Normalize("/" + string.Join("/", Split(path).Skip(1)));

        /// <summary>The Cloudreve drive of that name in <paramref name="state"/>, or null (no drive, or not a Cloudreve one).</summary>
        public static CloudreveDriveInfo? FindDrive(SessionState state, string name)
        {
            try
            {
                return state.Drive.Get(name) as CloudreveDriveInfo;
            }
            catch (System.Management.Automation.DriveNotFoundException)
            {
                return null;
            }
        }

        public static string Build(string driveName, string remotePath)
        {
            var segments = RemotePath.Split(remotePath);
            return segments.Length == 0 ? driveName : driveName + Separator + string.Join(Separator.ToString(), segments);
        }

        public static string Join(string parent, string child)
        {
            var a = Split(parent);
            var b = Split(child);
            return string.Join(Separator.ToString(), a.Concat(b));
        }
    }
}

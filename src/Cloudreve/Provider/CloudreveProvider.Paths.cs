// Path arithmetic of the Cloudreve provider: resolving a provider path to its drive and remote path, the
// engine's path overrides (MakePath, GetParentPath, GetChildName, NormalizeRelativePath) and drive paths for display.

using System;
using System.Collections.Generic;
using System.Linq;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        /// <summary>The drive and remote path a provider path names; null when it names no Cloudreve drive.</summary>
        private Target? TryResolve(string path)
        {
            var segments = ProviderPaths.Split(path);
            CloudreveDriveInfo? drive;
            IEnumerable<string> rest;
            if (segments.Length == 0)
            {
                drive = PSDriveInfo as CloudreveDriveInfo;
                if (drive == null)
                {
                    return null;
                }

                return new Target(drive, drive.RemoteRoot);
            }

            drive = FindDrive(segments[0]);
            rest = segments.Skip(1);
            if (drive == null)
            {
                if (StartsWithSeparator(path) && PSDriveInfo is CloudreveDriveInfo current)
                {
                    // A path relative to the root of the drive in use ("/a.txt" for "Work:\a.txt"): PowerShell on
                    // Unix passes such paths for items that do not exist yet (Set-Content -LiteralPath of a new file).
                    return new Target(current, RemotePath.Normalize(RemotePath.Combine(current.RemoteRoot, string.Join("/", segments))));
                }

                return null;
            }

            return new Target(drive, RemotePath.Normalize("/" + string.Join("/", rest)));
        }

        private Target Resolve(string path)
        {
            var target = TryResolve(path) ?? throw new CloudreveException(CloudreveErrorKind.NotFound,
                $"'{path}' does not name a mounted Cloudreve drive. Mount one with Connect-Cloudreve or New-PSDrive -PSProvider Cloudreve.");
            if (!target.Drive.Session.IsConnected)
            {
                throw new CloudreveException(CloudreveErrorKind.NotLoggedIn,
                    $"The session {target.Drive.Session} of the drive '{target.Drive.Name}' was disconnected. Run Connect-Cloudreve again.");
            }

            return target;
        }

        protected override bool IsValidPath(string path) => true;

        protected override string MakePath(string parent, string child)
        {
            var result = MakePathCore(parent, child);
            if (string.IsNullOrEmpty(child) && !string.IsNullOrEmpty(parent) && !EndsWithSeparator(parent) && IsDriveRoot(parent))
            {
                // A drive root ends with a separator here (like "C:\"): the engine's relative-path logic
                // otherwise turns "cd .." into the root into "..\<root>" and fails.
                result = parent + ProviderPaths.Separator;
            }

            return result;
        }

        private bool IsDriveRoot(string path)
        {
            var segments = ProviderPaths.Split(path);
            if (segments.Length == 1)
            {
                return true;
            }

            var root = PSDriveInfo?.Root;
            return !string.IsNullOrEmpty(root) && segments.Length == ProviderPaths.Split(root!).Length && SameSegments(segments, ProviderPaths.Split(root!));
        }

        private static string MakePathCore(string parent, string child)
        {
            if (string.IsNullOrEmpty(parent))
            {
                return child ?? string.Empty;
            }

            if (string.IsNullOrEmpty(child))
            {
                return parent;
            }

            var joined = ProviderPaths.Join(parent, child);
            if (StartsWithSeparator(parent))
            {
                joined = ProviderPaths.Separator + joined;
            }

            return EndsWithSeparator(child) ? joined + ProviderPaths.Separator : joined;
        }

        protected override string GetParentPath(string path, string root)
        {
            return GetParentPathCore(path, root);
        }

        private static string GetParentPathCore(string path, string root)
        {
            var segments = ProviderPaths.Split(path);
            var lead = StartsWithSeparator(path) ? ProviderPaths.Separator.ToString() : string.Empty;
            if (segments.Length == 0)
            {
                return string.Empty;
            }

            if (!string.IsNullOrEmpty(root))
            {
                var rootSegments = ProviderPaths.Split(root);
                if (segments.Length == rootSegments.Length && SameSegments(segments, rootSegments))
                {
                    return string.Empty;
                }
            }

            if (segments.Length == 1)
            {
                return lead.Length > 0 ? lead : string.Empty;
            }

            return lead + string.Join(ProviderPaths.Separator.ToString(), segments.Take(segments.Length - 1));
        }

        protected override string GetChildName(string path)
        {
            var segments = ProviderPaths.Split(path);
            return segments.Length == 0 ? string.Empty : segments[segments.Length - 1];
        }

        /// <summary>Lexical: resolves "." and "..", then makes the path relative to <paramref name="basePath"/>.</summary>
        protected override string NormalizeRelativePath(string path, string basePath)
        {
            var segments = Collapse(ProviderPaths.Split(path));
            var baseSegments = Collapse(ProviderPaths.Split(basePath ?? string.Empty));
            var common = 0;
            while (common < segments.Count && common < baseSegments.Count &&
                   string.Equals(segments[common], baseSegments[common], common == 0 ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                common++;
            }

            var parts = Enumerable.Repeat("..", baseSegments.Count - common).Concat(segments.Skip(common));
            var result = string.Join(ProviderPaths.Separator.ToString(), parts);
            if (EndsWithSeparator(path) && result.Length > 0)
            {
                result += ProviderPaths.Separator;
            }

            return result;
        }

        private static List<string> Collapse(IEnumerable<string> segments)
        {
            var result = new List<string>();
            foreach (var segment in segments)
            {
                if (segment == ".")
                {
                    continue;
                }

                if (segment == "..")
                {
                    if (result.Count > 1)
                    {
                        result.RemoveAt(result.Count - 1);
                    }

                    continue;
                }

                result.Add(segment);
            }

            return result;
        }

        private static bool StartsWithSeparator(string? path) => !string.IsNullOrEmpty(path) && (path![0] == '/' || path[0] == '\\');

        private static bool EndsWithSeparator(string? path) => !string.IsNullOrEmpty(path) && (path![path.Length - 1] == '/' || path[path.Length - 1] == '\\');

        private static bool SameSegments(string[] a, string[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                var comparison = i == 0 ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                if (!string.Equals(a[i], b[i], comparison))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Display(Target target) => DrivePath(target.Drive, target.Remote);

        /// <summary>"Drive:\relative\path" for a remote path under the drive's root.</summary>
        internal static string DrivePath(CloudreveDriveInfo drive, string remote)
        {
            var relative = RemotePath.IsSameOrBelow(remote, drive.RemoteRoot)
                ? RemotePath.Split(remote).Skip(RemotePath.Split(drive.RemoteRoot).Length)
                : RemotePath.Split(remote);
            return drive.Name + ":" + ProviderPaths.Separator + string.Join(ProviderPaths.Separator.ToString(), relative);
        }
    }
}

using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// Turns remote names into local names that stay inside the destination. Names that would climb
    /// out of it ("", ".", "..", separators, rooted or drive-qualified names) are refused; characters
    /// the local file system cannot hold are replaced with '_'.
    /// </summary>
    internal static class LocalNames
    {
        private static readonly string[] WindowsDevices =
        {
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        };

        internal static bool IsWindows { get; set; } = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>A safe local file name for <paramref name="remoteName"/>; throws UnsafeName when it must be refused.</summary>
        public static string ToLocalName(string remoteName, string remotePath)
        {
            if (string.IsNullOrEmpty(remoteName) || remoteName.Trim().Length == 0 || remoteName == "." || remoteName == ".." ||
                remoteName.IndexOf('/') >= 0 || remoteName.IndexOf('\\') >= 0 || remoteName.IndexOf('\0') >= 0 ||
                (remoteName.Length >= 2 && remoteName[1] == ':' && char.IsLetter(remoteName[0])) || Path.IsPathRooted(remoteName))
            {
                throw new CloudreveException(CloudreveErrorKind.UnsafeName,
                    $"The remote name '{remoteName}' of '{remotePath}' would leave the destination folder; it was not downloaded.");
            }

            var invalid = IsWindows ? WindowsInvalid : Path.GetInvalidFileNameChars();
            var builder = new StringBuilder(remoteName.Length);
            foreach (var ch in remoteName)
            {
                builder.Append(ch < 32 || invalid.Contains(ch) ? '_' : ch);
            }

            var name = builder.ToString();
            if (IsWindows)
            {
                name = name.TrimEnd(' ', '.');
                if (name.Length == 0)
                {
                    name = "_";
                }

                var stem = name.Split('.')[0].TrimEnd(' ');
                if (WindowsDevices.Contains(stem, StringComparer.OrdinalIgnoreCase))
                {
                    name = "_" + name;
                }
            }

            return name;
        }

        private static readonly char[] WindowsInvalid = { '<', '>', ':', '"', '/', '\\', '|', '?', '*' };

        /// <summary>Combines a folder and a child name and checks that the result is still inside <paramref name="root"/>.</summary>
        public static string CombineInside(string root, string folder, string childName, string remotePath)
        {
            var full = Path.GetFullPath(Path.Combine(folder, childName));
            var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var comparison = IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (!full.StartsWith(rootFull, comparison))
            {
                throw new CloudreveException(CloudreveErrorKind.UnsafeName,
                    $"The remote item '{remotePath}' would be written outside '{root}'; it was not downloaded.");
            }

            return full;
        }
    }
}

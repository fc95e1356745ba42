using System;
using System.Collections.Generic;
using System.Linq;
using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>
    /// Remote path rules: absolute, "/"-separated, root "/", no trailing slash. Backslashes are accepted
    /// as separators (PowerShell users type them); "." and ".." are resolved on the client because the
    /// server does not resolve them.
    /// </summary>
    public static class RemotePath
    {
        public const string Root = "/";

        /// <summary>Normalises a user-typed path; relative paths are taken relative to <paramref name="current"/>.</summary>
        public static string Normalize(string? path, string current = Root)
        {
            if (string.IsNullOrEmpty(path))
            {
                return Normalize(current, Root);
            }

            var text = path!.Replace('\\', '/');
            var segments = new List<string>();
            if (!text.StartsWith("/", StringComparison.Ordinal))
            {
                segments.AddRange(Split(Normalize(current, Root)));
            }

            foreach (var segment in text.Split('/'))
            {
                if (segment.Length == 0 || segment == ".")
                {
                    continue;
                }

                if (segment == "..")
                {
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    continue;
                }

                segments.Add(segment);
            }

            return "/" + string.Join("/", segments);
        }

        public static string[] Split(string normalizedPath) =>
            normalizedPath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);

        public static string Combine(string folder, string name) =>
            folder == Root || folder.Length == 0 ? "/" + name : folder.TrimEnd('/') + "/" + name;

        /// <summary>The parent folder of a normalised path; empty for the root.</summary>
        public static string GetParent(string normalizedPath)
        {
            if (normalizedPath == Root)
            {
                return string.Empty;
            }

            var slash = normalizedPath.LastIndexOf('/');
            return slash <= 0 ? Root : normalizedPath.Substring(0, slash);
        }

        public static string GetName(string normalizedPath)
        {
            if (normalizedPath == Root)
            {
                return string.Empty;
            }

            return normalizedPath.Substring(normalizedPath.LastIndexOf('/') + 1);
        }

        /// <summary>True when <paramref name="candidate"/> is <paramref name="ancestor"/> or lies below it.</summary>
        public static bool IsSameOrBelow(string candidate, string ancestor)
        {
            if (ancestor == Root)
            {
                return true;
            }

            return string.Equals(candidate, ancestor, StringComparison.Ordinal) ||
                   candidate.StartsWith(ancestor + "/", StringComparison.Ordinal);
        }

        /// <summary>Checks a single name against the rules every Cloudreve version enforces.</summary>
        public static void ValidateName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Trim().Length == 0)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidName, "A name cannot be empty.");
            }

            if (name.IndexOfAny(new[] { '/', '\\', '?', '*', '<', '>', '"', ':', '|' }) >= 0)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidName, $"The name '{name}' contains a character Cloudreve does not allow in names (/ \\ ? * < > \" : |).");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(name) >= 256)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidName, $"The name '{name}' is too long (Cloudreve allows 255 bytes).");
            }

            if (name.EndsWith(" ", StringComparison.Ordinal))
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidName, $"The name '{name}' ends with a space, which Cloudreve does not allow.");
            }
        }

        /// <summary>Checks every name of a normalised path (see <see cref="ValidateName"/>).</summary>
        public static void ValidatePath(string normalizedPath)
        {
            foreach (var name in Split(normalizedPath))
            {
                ValidateName(name);
            }
        }
    }
}

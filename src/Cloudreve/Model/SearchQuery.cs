using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace Cloudreve
{
    /// <summary>The kinds of file Find-CloudreveItem can ask for, as the server groups them by extension.</summary>
    public enum CloudreveFileCategory
    {
        Image,
        Video,
        Audio,
        Document,
    }

    /// <summary>
    /// What Find-CloudreveItem looks for. Version neutral: <see cref="Matches"/> is the exact meaning of every
    /// condition but the category (which only the server can decide, see <see cref="ICloudreveSearchBackend"/>),
    /// applied to every candidate whatever a server could or could not filter itself.
    /// </summary>
    internal sealed class SearchQuery
    {
        private readonly WildcardPattern[] _names;

        public SearchQuery(string folder, IEnumerable<string>? names = null)
        {
            Folder = folder;
            Names = (names ?? Array.Empty<string>()).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToArray();
            _names = Names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
        }

        /// <summary>The folder searched, with everything below it (a normalised remote path).</summary>
        public string Folder { get; }

        /// <summary>PowerShell wildcard patterns for the whole name (case-insensitive); an item matches any one. None: every name.</summary>
        public string[] Names { get; }

        /// <summary>True: files only; false: folders only; null: both.</summary>
        public bool? Files { get; set; }

        /// <summary>Files in any one of these categories; none: no condition.</summary>
        public CloudreveFileCategory[] Categories { get; set; } = Array.Empty<CloudreveFileCategory>();

        public long? MinimumSize { get; set; }

        public long? MaximumSize { get; set; }

        /// <summary>Modified strictly after this time.</summary>
        public DateTimeOffset? ModifiedAfter { get; set; }

        /// <summary>Modified strictly before this time.</summary>
        public DateTimeOffset? ModifiedBefore { get; set; }

        public bool HasSizeBounds => MinimumSize.HasValue || MaximumSize.HasValue;

        /// <summary>Only files can match: -Type File, a category or a size bound (a folder's size means nothing).</summary>
        public bool FilesOnly => Files == true || Categories.Length > 0 || HasSizeBounds;

        /// <summary>The conditions contradict each other, so nothing can match and no request is needed.</summary>
        public bool CannotMatch =>
            Files == false && (Categories.Length > 0 || HasSizeBounds) ||
            MinimumSize.HasValue && MaximumSize.HasValue && MinimumSize.Value > MaximumSize.Value ||
            ModifiedAfter.HasValue && ModifiedBefore.HasValue && ModifiedAfter.Value >= ModifiedBefore.Value;

        /// <summary>Throws <see cref="WildcardPatternException"/> for a malformed -Name pattern (an unclosed '[').</summary>
        public void Validate()
        {
            foreach (var pattern in _names)
            {
                pattern.IsMatch(string.Empty);
            }
        }

        /// <summary>Whether the item lies below <see cref="Folder"/> (the folder itself does not).</summary>
        public bool IsBelowFolder(CloudreveItem item)
        {
            if (string.IsNullOrEmpty(item.Path) || item.Path == Folder)
            {
                return false;
            }

            var prefix = Folder == RemotePath.Root ? RemotePath.Root : Folder + "/";
            return item.Path.StartsWith(prefix, StringComparison.Ordinal);
        }

        /// <summary>Whether the item meets every condition but the category (see the class summary).</summary>
        public bool Matches(CloudreveItem item)
        {
            if (FilesOnly && item.IsFolder || Files == false && !item.IsFolder)
            {
                return false;
            }

            if (MinimumSize.HasValue && item.Size < MinimumSize.Value || MaximumSize.HasValue && item.Size > MaximumSize.Value)
            {
                return false;
            }

            if (ModifiedAfter.HasValue && item.Modified <= ModifiedAfter.Value || ModifiedBefore.HasValue && item.Modified >= ModifiedBefore.Value)
            {
                return false;
            }

            return _names.Length == 0 || _names.Any(p => p.IsMatch(item.Name));
        }

        /// <summary>
        /// Name fragments a server may use to narrow the search: for each pattern, the longest run of literal
        /// characters that any name it matches must contain, so a server-side "name contains" (or SQL LIKE, where
        /// % and _ only widen the match) returns a superset. Null when some pattern has no such run ("*", "?.txt"
        /// has ".txt" but "*" has none): the server cannot narrow by name at all. Runs stop at wildcards, at '*', '\'
        /// and '"' even when escaped (wildcard, escape or quoting characters to some servers) and at letters outside ASCII that have
        /// case, which SQLite compares case-sensitively.
        /// </summary>
        public IReadOnlyList<string>? ServerNameFragments()
        {
            if (Names.Length == 0)
            {
                return null;
            }

            var fragments = new List<string>();
            foreach (var name in Names)
            {
                var run = LongestLiteralRun(name);
                if (run.Length == 0)
                {
                    return null;
                }

                if (!fragments.Contains(run, StringComparer.OrdinalIgnoreCase))
                {
                    fragments.Add(run);
                }
            }

            return fragments;
        }

        internal static string LongestLiteralRun(string pattern)
        {
            var best = string.Empty;
            var current = new StringBuilder();

            void Break()
            {
                if (current.Length > best.Length)
                {
                    best = current.ToString();
                }

                current.Clear();
            }

            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '`' && i + 1 < pattern.Length)
                {
                    c = pattern[++i];
                }
                else if (c == '*' || c == '?')
                {
                    Break();
                    continue;
                }
                else if (c == '[')
                {
                    Break();
                    var close = pattern.IndexOf(']', i + 1);
                    i = close < 0 ? pattern.Length : close;
                    continue;
                }

                if (c == '*' || c == '\\' || c == '"' || c > 127 && char.ToUpperInvariant(c) != char.ToLowerInvariant(c))
                {
                    Break();
                    continue;
                }

                current.Append(c);
            }

            Break();
            return best;
        }
    }
}

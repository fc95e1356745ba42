using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Cloudreve
{
    /// <summary>The kinds of file Find-CloudreveItem can ask for, as Cloudreve groups them by extension.</summary>
    public enum CloudreveFileCategory
    {
        Image,
        Video,
        Audio,
        Document,
    }

    /// <summary>
    /// What Find-CloudreveItem looks for. Version neutral: <see cref="Matches"/> is the exact meaning of the
    /// query, applied to every candidate whatever a server could or could not filter itself.
    /// </summary>
    internal sealed class SearchQuery
    {
        private static readonly Dictionary<CloudreveFileCategory, string[]> Extensions = new Dictionary<CloudreveFileCategory, string[]>
        {
            [CloudreveFileCategory.Image] = new[] { "bmp", "iff", "png", "gif", "jpg", "jpeg", "psd", "svg", "webp", "heif", "heic", "tiff", "avif" },
            [CloudreveFileCategory.Video] = new[] { "3g2", "3gp", "asf", "asx", "avi", "divx", "flv", "m4v", "mkv", "mov", "mp4", "mpeg", "mpg", "mts", "m2ts", "ogv", "rm", "rmvb", "webm", "wmv" },
            [CloudreveFileCategory.Audio] = new[] { "aac", "ac3", "aif", "aifc", "aiff", "au", "flac", "m4a", "mid", "midi", "mp3", "mpa", "oga", "ogg", "opus", "ra", "wav", "wma" },
            [CloudreveFileCategory.Document] = new[] { "txt", "md", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "epub", "csv" },
        };

        private readonly WildcardPattern[] _names;

        public SearchQuery(string folder, IEnumerable<string>? names = null)
        {
            Folder = folder;
            Names = (names ?? Array.Empty<string>()).Where(n => !string.IsNullOrEmpty(n)).ToArray();
            _names = Names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
        }

        /// <summary>The folder searched, with everything below it.</summary>
        public string Folder { get; }

        /// <summary>PowerShell wildcard patterns for the name; an item matches any one. None: every name.</summary>
        public string[] Names { get; }

        /// <summary>True: files only; false: folders only; null: both.</summary>
        public bool? Files { get; set; }

        public CloudreveFileCategory[] Categories { get; set; } = Array.Empty<CloudreveFileCategory>();

        public long? MinimumSize { get; set; }

        public long? MaximumSize { get; set; }

        public DateTimeOffset? ModifiedAfter { get; set; }

        public DateTimeOffset? ModifiedBefore { get; set; }

        /// <summary>The file extensions (lower case, no dot) of a category.</summary>
        public static IReadOnlyList<string> ExtensionsOf(CloudreveFileCategory category) => Extensions[category];

        /// <summary>Whether a category names the extension of <paramref name="name"/>.</summary>
        public static bool InCategory(string name, CloudreveFileCategory category)
        {
            var dot = name.LastIndexOf('.');
            if (dot < 0 || dot == name.Length - 1)
            {
                return false;
            }

            var extension = name.Substring(dot + 1).ToLowerInvariant();
            return Extensions[category].Contains(extension);
        }

        /// <summary>Whether the item is a result of the query (the searched folder itself never is).</summary>
        public bool Matches(CloudreveItem item)
        {
            if (Files == true && item.IsFolder || Files == false && !item.IsFolder)
            {
                return false;
            }

            if (Categories.Length > 0 && (item.IsFolder || !Categories.Any(c => InCategory(item.Name, c))))
            {
                return false;
            }

            // A folder's listed size means nothing, so size bounds select files only.
            if ((MinimumSize.HasValue || MaximumSize.HasValue) && item.IsFolder)
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
    }
}

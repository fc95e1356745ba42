using System;
using System.Management.Automation;

namespace Cloudreve
{
    /// <summary>A file or folder on a Cloudreve server.</summary>
    public abstract class CloudreveItem
    {
        /// <summary>The server's own reference to the item (a typed id on Cloudreve 3).</summary>
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        /// <summary>The full remote path, for example /docs/a.txt; "/" for the root folder.</summary>
        public string Path { get; set; } = "/";

        /// <summary>The remote path of the folder that holds the item; empty for the root.</summary>
        public string ParentPath { get; set; } = string.Empty;

        /// <summary>Size in bytes (0 for folders in listings).</summary>
        public long Size { get; set; }

        public abstract bool IsFolder { get; }

        public DateTimeOffset Modified { get; set; }

        public DateTimeOffset Created { get; set; }

        public bool HasThumbnail { get; set; }

        /// <summary>True when a direct (source) link exists for the item.</summary>
        public bool SourceEnabled { get; set; }

        /// <summary>The session the item came from.</summary>
        [Hidden]
        public CloudreveSession? Session { get; set; }

        /// <summary>The server's own address of the item where it has one (a cloudreve:// URI on 4.x), reused as the server wrote it.</summary>
        internal string? ServerUri { get; set; }

        /// <summary>FileSystem-style alias of Path.</summary>
        public string FullName => Path;

        /// <summary>FileSystem-style alias of Modified, in local time.</summary>
        public DateTime LastWriteTime => Modified.LocalDateTime;

        /// <summary>FileSystem-style alias of Created, in local time.</summary>
        public DateTime CreationTime => Created.LocalDateTime;

        /// <summary>Mode string as Get-ChildItem shows it: d for folders, a for files, l when a direct link exists.</summary>
        public string Mode => (IsFolder ? "d" : "-") + (IsFolder ? "-" : "a") + "---" + (SourceEnabled ? "l" : "-");

        public override string ToString() => Path;
    }

    /// <summary>A file on a Cloudreve server.</summary>
    public sealed class CloudreveFile : CloudreveItem
    {
        public override bool IsFolder => false;

        /// <summary>FileSystem-style alias of Size.</summary>
        public long Length => Size;

        /// <summary>The extension including the dot, or empty.</summary>
        public string Extension
        {
            get
            {
                var dot = Name.LastIndexOf('.');
                return dot <= 0 ? string.Empty : Name.Substring(dot);
            }
        }
    }

    /// <summary>A folder on a Cloudreve server.</summary>
    public sealed class CloudreveFolder : CloudreveItem
    {
        public override bool IsFolder => true;
    }

    /// <summary>Details of one item that listings do not carry.</summary>
    public sealed class CloudreveItemProperty
    {
        public string Path { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string ParentPath { get; set; } = string.Empty;

        public bool IsFolder { get; set; }

        public DateTimeOffset Created { get; set; }

        public DateTimeOffset Modified { get; set; }

        /// <summary>The storage policy that holds the file; empty for folders.</summary>
        public string StoragePolicy { get; set; } = string.Empty;

        /// <summary>Size in bytes; for folders the total of everything inside.</summary>
        public long Size { get; set; }

        public int FileCount { get; set; }

        public int FolderCount { get; set; }

        public CloudreveItem? Item { get; set; }

        public override string ToString() => Path;
    }

    /// <summary>The upload policy the server applies to the user (per folder on newer servers).</summary>
    public sealed class CloudreveStoragePolicy
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        /// <summary>local, remote, onedrive, s3, oss, qiniu, cos, upyun, ...</summary>
        public string Type { get; set; } = string.Empty;

        /// <summary>Largest file allowed in bytes; 0 = no limit.</summary>
        public long MaxSize { get; set; }

        /// <summary>Allowed extensions without the dot, lower case; empty = any.</summary>
        public string[] AllowedExtensions { get; set; } = Array.Empty<string>();

        public override string ToString() => $"{Name} ({Type})";
    }

    /// <summary>The contents of one folder.</summary>
    internal sealed class FolderListing
    {
        public FolderListing(CloudreveFolder folder, CloudreveItem[] children, CloudreveStoragePolicy? policy)
        {
            Folder = folder;
            Children = children;
            Policy = policy;
        }

        public CloudreveFolder Folder { get; }

        public CloudreveItem[] Children { get; }

        public CloudreveStoragePolicy? Policy { get; }
    }
}

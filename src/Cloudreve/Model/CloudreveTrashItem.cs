using System;
using System.Management.Automation;

namespace Cloudreve
{
    /// <summary>
    /// A file or folder in the trash of a Cloudreve 4.x server: where it came from and when the server will
    /// collect it. Not a <see cref="CloudreveItem"/>: it has no place in the drive until it is restored.
    /// </summary>
    public sealed class CloudreveTrashItem
    {
        /// <summary>The server's id of the file or folder.</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>The item's name (as it was before it was deleted).</summary>
        public string Name { get; set; } = string.Empty;

        public bool IsFolder { get; set; }

        /// <summary>Size in bytes (0 for folders).</summary>
        public long Size { get; set; }

        /// <summary>The normalised remote path the item is restored to, for example /docs/a.txt.</summary>
        public string OriginalPath { get; set; } = string.Empty;

        /// <summary>The folder that held the item; where Restore-CloudreveItem puts it back.</summary>
        public string OriginalParentPath => OriginalPath.Length == 0 ? string.Empty : RemotePath.GetParent(OriginalPath);

        /// <summary>When the item went to the trash (the server's last change of the record), when the server says.</summary>
        public DateTimeOffset? Deleted { get; set; }

        /// <summary>When the server will delete the item for good, when the server says.</summary>
        public DateTimeOffset? ExpectedCollection { get; set; }

        public DateTimeOffset Created { get; set; }

        /// <summary>The server's address of the item in the trash; what a restore sends.</summary>
        [Hidden]
        public string TrashUri { get; set; } = string.Empty;

        /// <summary>The session the item came from.</summary>
        [Hidden]
        public CloudreveSession? Session { get; set; }

        public override string ToString() => OriginalPath.Length > 0 ? OriginalPath : Name;
    }

    /// <summary>What a restore led to, item by item. Failures are reported here, not thrown.</summary>
    internal sealed class TrashRestoreOutcome
    {
        private readonly System.Collections.Generic.List<CloudreveTrashItem> _restored = new System.Collections.Generic.List<CloudreveTrashItem>();
        private readonly System.Collections.Generic.List<(CloudreveTrashItem Item, Transport.CloudreveException Error)> _failures =
            new System.Collections.Generic.List<(CloudreveTrashItem, Transport.CloudreveException)>();

        /// <summary>The items that are back at their original path (OriginalPath filled in).</summary>
        public System.Collections.Generic.IReadOnlyList<CloudreveTrashItem> Restored => _restored;

        public System.Collections.Generic.IReadOnlyList<(CloudreveTrashItem Item, Transport.CloudreveException Error)> Failures => _failures;

        public void Succeeded(CloudreveTrashItem item) => _restored.Add(item);

        public void Failed(CloudreveTrashItem item, Transport.CloudreveException error) => _failures.Add((item, error));
    }
}

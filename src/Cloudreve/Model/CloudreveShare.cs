using System;
using System.Management.Automation;

namespace Cloudreve
{
    /// <summary>A share link of the logged-in user.</summary>
    public sealed class CloudreveShare
    {
        /// <summary>The share key, the last segment of the URL.</summary>
        public string Key { get; set; } = string.Empty;

        /// <summary>The absolute link to give to people.</summary>
        public Uri? Url { get; set; }

        /// <summary>The shared file or folder when known (always after New-CloudreveShare).</summary>
        public CloudreveItem? Item { get; set; }

        /// <summary>Name of the shared file or folder.</summary>
        public string Name { get; set; } = string.Empty;

        public bool IsFolder { get; set; }

        /// <summary>Size of a shared file in bytes (0 for folders).</summary>
        public long Size { get; set; }

        public bool HasPassword { get; set; }

        public DateTimeOffset? Created { get; set; }

        /// <summary>When the share stops working; null when it never expires.</summary>
        public DateTimeOffset? Expires { get; set; }

        /// <summary>Downloads left before the share stops working; null when unlimited.</summary>
        public int? RemainingDownloads { get; set; }

        public int Downloads { get; set; }

        public int Views { get; set; }

        public bool AllowPreview { get; set; }

        /// <summary>True when the share no longer works (expired or out of downloads).</summary>
        public bool IsExpired => (Expires.HasValue && Expires.Value <= DateTimeOffset.Now) || RemainingDownloads == 0;

        [Hidden]
        public CloudreveSession? Session { get; set; }

        public override string ToString() => Url?.ToString() ?? Key;
    }

    /// <summary>A direct (source) link to one file.</summary>
    public sealed class CloudreveSourceLink
    {
        public Uri? Url { get; set; }

        public string Name { get; set; } = string.Empty;

        /// <summary>The file the link belongs to.</summary>
        public CloudreveFile? Item { get; set; }

        /// <summary>Why the server gave no link for the file, if it did not.</summary>
        internal string? Error { get; set; }

        /// <summary>True when the error is that the file no longer exists.</summary>
        internal bool Missing { get; set; }

        public override string ToString() => Url?.ToString() ?? string.Empty;
    }

    /// <summary>A WebDAV account. Its password is not shown; GetCredential() hands it over deliberately.</summary>
    public sealed class CloudreveWebDavAccount
    {
        /// <summary>The account id: a number on Cloudreve 3, a hashid (such as "Xa1b") on Cloudreve 4.</summary>
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        /// <summary>The folder the account sees as its root.</summary>
        public string Root { get; set; } = "/";

        public bool ReadOnly { get; set; }

        public bool UseProxy { get; set; }

        public DateTimeOffset? Created { get; set; }

        /// <summary>The WebDAV endpoint of the site.</summary>
        public Uri? Url { get; set; }

        /// <summary>The login name WebDAV clients use (the account owner's e-mail).</summary>
        public string UserName { get; set; } = string.Empty;

        [Hidden]
        public CloudreveSession? Session { get; set; }

        internal System.Security.SecureString? Password { get; set; }

        /// <summary>The account's user name and password, ready for a WebDAV client.</summary>
        public PSCredential GetCredential() =>
            new PSCredential(UserName, Password ?? throw new InvalidOperationException("The server did not hand out this account's password."));

        public override string ToString() => $"{Name} ({Root})";
    }

    /// <summary>A user group (administrator view).</summary>
    public sealed class CloudreveGroup
    {
        public int Id { get; set; }

        public string Name { get; set; } = string.Empty;

        /// <summary>Storage each member may use, in bytes.</summary>
        public long MaxStorage { get; set; }

        public bool ShareEnabled { get; set; }

        public bool WebDavEnabled { get; set; }

        public bool AdvancedDelete { get; set; }

        public int SourceLinkBatchLimit { get; set; }

        public int UserCount { get; set; }

        public override string ToString() => Name;
    }
}

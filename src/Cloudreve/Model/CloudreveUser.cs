using System;

namespace Cloudreve
{
    /// <summary>Account status as the server reports it.</summary>
    public enum CloudreveUserStatus
    {
        Active = 0,
        NotActivated = 1,
        Banned = 2,
        OverUseBanned = 3,
    }

    /// <summary>A Cloudreve user account as seen by the logged-in user (no secrets).</summary>
    public sealed class CloudreveUser
    {
        /// <summary>The id users see (a hashid on Cloudreve 3); null in administrator views, whose routes do not carry it.</summary>
        public string? Id { get; set; }

        /// <summary>The numeric id the administrator API uses; null outside administrator views.</summary>
        public int? NumericId { get; set; }

        /// <summary>The login name (an e-mail address).</summary>
        public string UserName { get; set; } = string.Empty;

        public string NickName { get; set; } = string.Empty;

        public CloudreveUserStatus Status { get; set; }

        public int GroupId { get; set; }

        public string GroupName { get; set; } = string.Empty;

        public DateTimeOffset? Created { get; set; }

        /// <summary>True for the server's built-in administrator group or the first user.</summary>
        public bool IsAdmin { get; set; }

        public bool CanShare { get; set; }

        public bool CanUseWebDav { get; set; }

        public bool CanArchiveDownload { get; set; }

        public bool CanAdvancedDelete { get; set; }

        /// <summary>Bytes the user stores (administrator views).</summary>
        public long? StorageUsed { get; set; }

        /// <summary>True when the account has two-factor login on (administrator views). The secret is never exposed.</summary>
        public bool? TwoFactorEnabled { get; set; }

        [System.Management.Automation.Hidden]
        public CloudreveSession? Session { get; set; }

        /// <summary>How many files one direct-link request may name.</summary>
        public int SourceLinkBatchLimit { get; set; }

        public override string ToString() => UserName;
    }
}

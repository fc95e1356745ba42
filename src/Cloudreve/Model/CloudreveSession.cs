using System;
using System.Management.Automation;
using System.Security;

namespace Cloudreve
{
    /// <summary>
    /// One logged-in connection to a Cloudreve server. Carries no readable secret: the stored
    /// credential (used to log in again when the server forgets the login) is not a public member.
    /// </summary>
    public sealed class CloudreveSession
    {
        internal CloudreveSession(ICloudreveBackend backend, CloudreveUser user, string serverVersion, string siteTitle)
        {
            Backend = backend;
            User = user;
            ServerVersion = serverVersion;
            SiteTitle = siteTitle;
            ConnectedAt = DateTimeOffset.Now;
            Id = Guid.NewGuid();
        }

        public Guid Id { get; }

        public Uri Uri => Backend.SiteUri;

        public string UserName => User.UserName;

        public string NickName => User.NickName;

        public string UserId => User.Id ?? string.Empty;

        public string GroupName => User.GroupName;

        public bool IsAdmin => User.IsAdmin;

        public string ServerVersion { get; }

        public string SiteTitle { get; }

        /// <summary>The server API generation this session speaks (v3).</summary>
        public string ApiVersion => Backend.ApiVersion;

        public DateTimeOffset ConnectedAt { get; }

        /// <summary>True for the session that cmdlets use when -Session is not given.</summary>
        public bool IsDefault { get; internal set; }

        /// <summary>False once Disconnect-Cloudreve has logged it out.</summary>
        public bool IsConnected { get; internal set; } = true;

        internal CloudreveUser User { get; set; }

        internal ICloudreveBackend Backend { get; }

        internal PSCredential? Credential { get; set; }

        internal SecureString? TotpSecret { get; set; }

        public override string ToString() => $"{UserName} @ {Uri}";
    }
}

using System;

namespace Cloudreve
{
    /// <summary>Public facts about a Cloudreve site, and the current user when logged in.</summary>
    public sealed class CloudreveSiteInfo
    {
        public Uri Uri { get; set; } = null!;

        public string Title { get; set; } = string.Empty;

        /// <summary>The server version, for example 3.8.3.</summary>
        public string Version { get; set; } = string.Empty;

        public bool RegistrationEnabled { get; set; }

        public bool EmailActivation { get; set; }

        public bool LoginCaptcha { get; set; }

        public bool RegisterCaptcha { get; set; }

        public bool ForgotPasswordCaptcha { get; set; }

        /// <summary>normal (image), recaptcha or tcaptcha.</summary>
        public string CaptchaType { get; set; } = string.Empty;

        public bool WebAuthnEnabled { get; set; }

        /// <summary>The logged-in user, or null for an anonymous visitor.</summary>
        public CloudreveUser? User { get; set; }

        public override string ToString() => $"{Title} ({Uri})";
    }
}

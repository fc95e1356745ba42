using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    internal static class ServiceExtensions
    {
        /// <summary>The session's shares/links/WebDAV/administration operations.</summary>
        public static ICloudreveServiceBackend Services(this CloudreveSession session) =>
            session.Backend as ICloudreveServiceBackend ??
            throw new CloudreveException(CloudreveErrorKind.UnsupportedServerVersion, $"The server at {session.Uri} does not offer this operation through the {session.ApiVersion} API.");
    }
}

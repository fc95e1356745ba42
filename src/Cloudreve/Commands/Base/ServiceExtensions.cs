using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    internal static class ServiceExtensions
    {
        /// <summary>The session's shares/links/WebDAV/administration operations.</summary>
        public static ICloudreveServiceBackend Services(this CloudreveSession session) =>
            session.Backend as ICloudreveServiceBackend ??
            throw FeatureSupport.NotSupported(session, "Sharing, direct links, WebDAV accounts and user administration");
    }
}

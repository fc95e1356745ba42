using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>
    /// One clear error (ErrorId CloudreveNotSupportedByServer) for operations that the session's server
    /// generation lacks, or that this module does not speak for that generation yet. Never a wrong request.
    /// </summary>
    internal static class FeatureSupport
    {
        /// <summary>Names the feature, the server and what the feature needs.</summary>
        public static CloudreveException NotSupported(CloudreveSession session, string feature) =>
            session.ApiVersion == "v3"
                ? new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                    $"{feature} is not available on the Cloudreve {session.ServerVersion} server at {session.Uri}.")
                : new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                    $"{feature} is not yet available for Cloudreve {session.ServerVersion} (API {session.ApiVersion}) servers in this version of the module; it needs a Cloudreve 3.x server for now.");
    }
}

using Cloudreve.Transport;

namespace Cloudreve
{
    /// <summary>The session's trash, or the clear NotSupportedByServer error of servers that have none.</summary>
    internal static class TrashSupport
    {
        /// <summary>The version that first empties the trash in one request.</summary>
        public const string EmptyTrashVersion = "4.18";

        public static ICloudreveTrashBackend Trash(this CloudreveSession session, string feature) =>
            session.Backend as ICloudreveTrashBackend ??
            throw new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                $"{feature} is not available on the Cloudreve {session.ServerVersion} server at {session.Uri}: it needs Cloudreve 4.x (on 3.x every delete is permanent and there is no trash).");

        /// <summary>The trash when it can be emptied in one request; else NotSupportedByServer naming the version it needs.</summary>
        public static ICloudreveTrashBackend EmptiableTrash(this CloudreveSession session, string feature)
        {
            var trash = session.Trash(feature);
            if (!trash.CanEmptyTrash)
            {
                throw new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                    $"{feature} is not available on the Cloudreve {session.ServerVersion} server at {session.Uri}: it needs Cloudreve {EmptyTrashVersion} or later.");
            }

            return trash;
        }
    }
}

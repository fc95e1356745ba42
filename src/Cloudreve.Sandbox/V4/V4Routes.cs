namespace Cloudreve.Sandbox.V4;

/// <summary>
/// Registration point of every Cloudreve 4.18 route (a 4.18.0 sandbox maps only these, plus the control routes and
/// the provider imitations). One line per area file; each area's <c>Map</c> adds its routes under /api/v4.
/// </summary>
internal static class V4Routes
{
    public const string Prefix = "/api/v4";

    public static void Map(Router router)
    {
        V4Site.Map(router);
        V4Session.Map(router);
        V4User.Map(router);
        V4Listing.Map(router);
        V4FileInfo.Map(router);
        V4Create.Map(router);
        V4Delete.Map(router);
        V4Move.Map(router);
        Upload.Map(router);
        UploadCallback.Map(router);
        Download.Map(router);
    }
}

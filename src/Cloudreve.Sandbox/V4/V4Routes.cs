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
        V4Captcha.Map(router);
        V4Session.Map(router);
        V4User.Map(router);
        V4UserSettings.Map(router);
        V4Listing.Map(router);
        V4FileInfo.Map(router);
        V4Create.Map(router);
        V4Delete.Map(router);
        V4Move.Map(router);
        V4Shares.Map(router);
        V4DirectLinks.Map(router);
        V4DirectLinkFollow.Map(router);
        V4DavAccounts.Map(router);
        V4AdminUsers.Map(router);
        V4AdminGroups.Map(router);
        Upload.Map(router);
        UploadCallback.Map(router);
        Download.Map(router);
        SlaveNode.Map(router);
        Archives.Map(router);
    }
}

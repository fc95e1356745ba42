using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>
/// PUT /share/download/{key}[?path=/in/share.txt]: a share visitor's download URL. Middleware order as in 3.8.3:
/// ShareAvailable (40058), CheckShareUnlocked (403), BeforeShareDownload (group share_download → 40007; counts one
/// download per visitor: per session for anonymous visitors, per user for 24 days otherwise), then the file lookup.
/// </summary>
internal static class ShareDownload
{
    private const long UserMarkSeconds = 2073600; // share_download_session_timeout

    public static void Map(Router r) => r.Put("/api/v3/share/download/:id", Download);

    private static Task Download(Req req)
    {
        var id = req.App.Ids.Decode(req.Param("id"), HashIds.Share) ?? throw Envelope.Fail(Codes.ShareLinkNotFound, "");
        var share = req.App.Db.Read(c => Shares.ById(c, id) is { } s && Shares.IsAvailable(c, s) ? s : null)
            ?? throw Envelope.Fail(Codes.ShareLinkNotFound, "");
        var visitor = req.CurrentUser;
        var group = visitor?.Group ?? req.App.Db.Read(c => Users.Group(c, Seeder.AnonymousGroup)) ?? Req.UnknownGroup(0);

        if (share.Password.Length > 0)
        {
            bool unlocked;
            lock (req.Session) unlocked = req.Session.UnlockedShares.Contains(share.Id);
            if (!unlocked) throw Envelope.Fail(Codes.NoPermission, "");
        }
        if (!group.ShareDownload)
            throw Envelope.Fail(Codes.GroupNotAllowed, visitor == null ? "you must login to download" : "your group has no permission to download");
        CountDownload(req, share, visitor?.User.Id);

        var path = req.Query("path") ?? "";
        if (Validate.Runes(path) > 65535) throw Envelope.Fail(Codes.ParamErr, "Path too long");
        var file = req.App.Db.Read(c =>
        {
            if (!share.IsDir) return Objects.OwnFile(c, share.UserId, share.SourceId);
            var folder = Objects.OwnFolder(c, share.UserId, share.SourceId);
            if (folder == null || !path.StartsWith('/')) return null;
            var segments = path[1..].Split('/');
            foreach (var seg in segments[..^1])
            {
                if (seg.Length == 0) return null;
                folder = Objects.ChildFolder(c, folder.Id, seg);
                if (folder == null) return null;
            }
            return Objects.ChildFile(c, folder.Id, segments[^1]);
        });
        if (file == null || file.IsPlaceholder) throw FileSystem.ObjectNotExist();
        return req.Ok(File.DownloadUrl(req, file));
    }

    /// <summary>DownloadBy: the first download of a visitor counts and uses up one of the remaining downloads.</summary>
    private static void CountDownload(Req req, ShareRow share, long? uid)
    {
        if (uid == null)
        {
            lock (req.Session)
            {
                if (!req.Session.DownloadedShares.Add(share.Id)) return;
            }
            req.SaveSession();
        }
        else
        {
            var key = (share.Id, uid.Value);
            var now = GoTime.NowUnix();
            if (req.App.ShareDownloadMarks.TryGetValue(key, out var until) && until > now) return;
            req.App.ShareDownloadMarks[key] = now + UserMarkSeconds;
        }
        req.App.Db.Write((c, tx) => c.Exec(
            "UPDATE shares SET downloads=downloads+1, remain_downloads=CASE WHEN remain_downloads>0 THEN remain_downloads-1 ELSE remain_downloads END WHERE id=$id",
            tx, ("$id", share.Id)));
    }
}

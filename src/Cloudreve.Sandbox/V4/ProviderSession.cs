using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.V4;

/// <summary>
/// The provider side of a 4.18 upload session (reference 10.4): s3 gets one pre-signed UploadPart URL per chunk
/// (signed headers content-length;host, X-Amz-Expires = the time left) and a pre-signed CompleteMultipartUpload URL;
/// onedrive gets one Graph upload-session URL. Both are served by the sandbox's provider imitations.
/// </summary>
internal static class ProviderSession
{
    public static void Add(Req req, JsonObject data, PolicyRow policy, string sessionId, string source, long size, string name, long expires, string uploadId)
    {
        var app = req.App;
        var origin = app.Providers.OriginFor(req.Http);
        var left = Math.Max(1, expires - GoTime.NowUnix() - 1);
        switch (policy.Type)
        {
            case PolicyTypes.S3:
            {
                app.ProviderUploads.Add(new ProviderUpload(uploadId, sessionId, PolicyTypes.S3, source, size, expires) { Name = name });
                var parts = size == 0 || policy.ChunkSize == 0 ? 1 : (size + policy.ChunkSize - 1) / policy.ChunkSize;
                var urls = new JsonArray();
                for (var n = 1; n <= parts; n++)
                {
                    urls.Add(origin + app.Providers.S3PresignSigned("PUT", source, left, "content-length;host",
                        ("partNumber", n.ToString(CultureInfo.InvariantCulture)), ("uploadId", uploadId)));
                }
                data["upload_urls"] = urls;
                data["completeURL"] = origin + app.Providers.S3PresignSigned("POST", source, left, "host", ("uploadId", uploadId));
                break;
            }
            case PolicyTypes.OneDrive:
            {
                var token = Signer.RandomKey(32);
                app.ProviderUploads.Add(new ProviderUpload(token, sessionId, PolicyTypes.OneDrive, source, size, expires) { Name = name });
                data["upload_urls"] = new JsonArray(origin + Providers.OneDriveUploadRoot + token);
                break;
            }
        }
    }

    /// <summary>Cancelling aborts the Graph session / S3 multipart upload and drops what it had received.</summary>
    public static void Discard(App app, string sessionId)
    {
        foreach (var u in app.ProviderUploads.RemoveSession(sessionId))
        {
            BodyWriter.Truncate(Routes.OneDriveProvider.PartialPath(app, u.SourceName), 0);
            foreach (var part in u.Parts.Keys) BodyWriter.Truncate(Routes.S3Provider.PartPath(app, u.SourceName, part), 0);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>
/// Imitation of the S3 bucket a client talks to for the s3 policy (path style, presigned URLs only):
/// UploadPart (PUT ?partNumber&amp;uploadId), CompleteMultipartUpload (POST ?uploadId with the XML part list) and
/// GetObject (GET/HEAD, Range, response-content-disposition). Errors are S3 XML documents.
/// Unlike S3, parts below 5 MiB are accepted so that small chunk sizes can be tested.
/// </summary>
internal static class S3Provider
{
    public static void Map(Router r)
    {
        r.Put(Providers.S3Root + "*key", Put);
        r.Post(Providers.S3Root + "*key", Post);
        r.Get(Providers.S3Root + "*key", Get);
        r.Add("HEAD", Providers.S3Root + "*key", Get);
    }

    public static string PartPath(App app, string sourceName, int part) => app.Blobs.PathOf(sourceName) + ".part" + part.ToString(CultureInfo.InvariantCulture);

    private static string Key(Req req) => req.Param("key").TrimStart('/');

    private static Task Error(Req req, int status, string code, string message)
    {
        var key = Key(req);
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + SecurityElement.Escape(message) +
            "</Message><Key>" + SecurityElement.Escape(key) + "</Key><BucketName>" + Providers.S3Bucket + "</BucketName><Resource>/" +
            Providers.S3Bucket + "/" + SecurityElement.Escape(key) + "</Resource><RequestId>" + Signer.RandomKey(16).ToUpperInvariant() + "</RequestId></Error>";
        return Xml(req, xml, status);
    }

    private static Task Xml(Req req, string xml, int status)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        req.Http.Response.StatusCode = status;
        req.Http.Response.ContentType = "application/xml";
        req.Http.Response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(req.Http.Request.Method)) return Task.CompletedTask;
        return req.Http.Response.Body.WriteAsync(bytes, req.Http.RequestAborted).AsTask();
    }

    private static Task NoSuchUpload(Req req) =>
        Error(req, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

    /// <summary>Signature check and the multipart upload named by uploadId; false when an error was answered.</summary>
    private static async Task<ProviderUpload?> Authorize(Req req, string method)
    {
        if (req.App.Providers.S3Verify(method, Key(req), req.Http.Request.Query) is { } denied)
        {
            await Error(req, denied.Status, denied.Code, denied.Message);
            return null;
        }
        var u = req.App.ProviderUploads.Get(req.Query("uploadId") ?? "");
        if (u == null || u.Type != PolicyTypes.S3 || u.SourceName != Key(req))
        {
            await NoSuchUpload(req);
            return null;
        }
        return u;
    }

    private static async Task Put(Req req)
    {
        if (Faults.Roll(req.App.Faults.Current.ChunkFailureRate))
        {
            await Error(req, 500, "InternalError", "We encountered an internal error. Please try again.");
            return;
        }
        if (req.Query("partNumber") == null || req.Query("uploadId") == null)
        {
            // Only UploadPart is ever presigned by the sandbox.
            await Error(req, 403, "AccessDenied", "Access Denied");
            return;
        }
        var u = await Authorize(req, "PUT");
        if (u == null) return;
        if (!int.TryParse(req.Query("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var part) || part is < 1 or > 10000)
        {
            await Error(req, 400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
            return;
        }
        var length = req.Http.Request.ContentLength;
        if (length == null)
        {
            await Error(req, 411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
            return;
        }

        var temp = PartPath(req.App, u.SourceName, part) + ".tmp-" + Signer.RandomKey(6);
        var (outcome, md5) = await BodyWriter.WriteAsync(req.Http, temp, 0, length.Value, Faults.Roll(req.App.Faults.Current.DropConnectionRate), md5: true);
        if (outcome != BodyWriter.Outcome.Complete)
        {
            BodyWriter.Truncate(temp, 0);
            if (outcome == BodyWriter.Outcome.Short && !req.Http.RequestAborted.IsCancellationRequested)
                await Error(req, 400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
            return;
        }
        var etag = "\"" + md5 + "\"";
        await u.Gate.WaitAsync(req.Http.RequestAborted);
        try
        {
            System.IO.File.Move(temp, PartPath(req.App, u.SourceName, part), overwrite: true);
            u.Parts[part] = (etag, length.Value);
        }
        finally
        {
            u.Gate.Release();
        }
        req.Http.Response.StatusCode = 200;
        req.Http.Response.Headers.ETag = etag;
        req.Http.Response.ContentLength = 0;
    }

    private static async Task Post(Req req)
    {
        if (req.Query("uploadId") == null)
        {
            await Error(req, 403, "AccessDenied", "Access Denied");
            return;
        }
        var u = await Authorize(req, "POST");
        if (u == null) return;

        using var ms = new MemoryStream();
        await req.Http.Request.Body.CopyToAsync(ms, req.Http.RequestAborted);
        var parts = ParseParts(ms.ToArray());
        if (parts == null || parts.Count == 0)
        {
            await Error(req, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
            return;
        }
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].Number <= parts[i - 1].Number)
            {
                await Error(req, 400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
                return;
            }
        }

        await u.Gate.WaitAsync(req.Http.RequestAborted);
        try
        {
            if (req.App.ProviderUploads.Get(u.Token) == null)
            {
                await NoSuchUpload(req);
                return;
            }
            foreach (var (number, tag) in parts)
            {
                if (!u.Parts.TryGetValue(number, out var stored) || stored.ETag.Trim('"') != tag.Trim().Trim('"'))
                {
                    await Error(req, 400, "InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
                    return;
                }
            }

            var target = req.App.Blobs.PathOf(u.SourceName);
            var temp = target + ".assemble";
            using var md5s = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                foreach (var (number, _) in parts)
                {
                    await using var input = System.IO.File.OpenRead(PartPath(req.App, u.SourceName, number));
                    await input.CopyToAsync(output, req.Http.RequestAborted);
                    md5s.AppendData(Convert.FromHexString(u.Parts[number].ETag.Trim('"')));
                }
            }
            System.IO.File.Move(temp, target, overwrite: true);
            foreach (var number in u.Parts.Keys) BodyWriter.Truncate(PartPath(req.App, u.SourceName, number), 0);
            req.App.ProviderUploads.Remove(u.Token);

            var etag = "\"" + Convert.ToHexString(md5s.GetHashAndReset()).ToLowerInvariant() + "-" + parts.Count.ToString(CultureInfo.InvariantCulture) + "\"";
            var origin = Providers.Origin(req.Http);
            await Xml(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Location>" +
                SecurityElement.Escape(origin + Providers.S3Root + u.SourceName) + "</Location><Bucket>" + Providers.S3Bucket + "</Bucket><Key>" +
                SecurityElement.Escape(u.SourceName) + "</Key><ETag>" + SecurityElement.Escape(etag) + "</ETag></CompleteMultipartUploadResult>", 200);
        }
        finally
        {
            u.Gate.Release();
        }
    }

    /// <summary>(PartNumber, ETag) pairs of a CompleteMultipartUpload document; null when it is not one.</summary>
    private static List<(int Number, string ETag)>? ParseParts(byte[] body)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
        if (doc.Root == null || doc.Root.Name.LocalName != "CompleteMultipartUpload") return null;
        var list = new List<(int, string)>();
        foreach (var part in doc.Root.Elements().Where(e => e.Name.LocalName == "Part"))
        {
            var number = part.Elements().FirstOrDefault(e => e.Name.LocalName == "PartNumber")?.Value;
            var etag = part.Elements().FirstOrDefault(e => e.Name.LocalName == "ETag")?.Value;
            if (etag == null || !int.TryParse(number?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
            list.Add((n, etag));
        }
        return list;
    }

    private static async Task Get(Req req)
    {
        var key = Key(req);
        if (req.App.Providers.S3Verify(req.Http.Request.Method == "HEAD" ? "GET" : req.Http.Request.Method, key, req.Http.Request.Query) is { } denied)
        {
            await Error(req, denied.Status, denied.Code, denied.Message);
            return;
        }
        var file = req.App.Db.Read(c => Objects.FilesWhere(c, "source_name=$s ORDER BY id LIMIT 1", null, ("$s", key)).FirstOrDefault());
        if (file == null || !req.App.Blobs.Exists(key))
        {
            await Error(req, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        if (req.Query("response-content-disposition") is { Length: > 0 } disposition)
            req.Http.Response.Headers.ContentDisposition = disposition;
        if (await req.App.Faults.FailContentGetAsync(req.Http)) return;
        await ServeFile.SendAsync(req.Http, req.App.Blobs.PathOf(key), file.Name, new DateTime(file.UpdatedAt, DateTimeKind.Utc),
            Faults.Roll(req.App.Faults.Current.DropConnectionRate));
    }
}

using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox.Routes;

/// <summary>GET /directory{path} (listing) and PUT /directory (create).</summary>
internal static class Directory
{
    public static void Map(Router r)
    {
        r.Get("/api/v3/directory/*path", List);
        r.Put("/api/v3/directory", Create);
    }

    private static Task List(Req req)
    {
        var fs = Fs.Of(req);
        var path = req.Param("path");
        var data = req.App.Db.Read(c =>
        {
            var folder = Objects.FolderByPath(c, fs.Uid, path) ?? throw FileSystem.PathNotExist();
            var objects = new JsonArray();
            foreach (var sub in Objects.SubFolders(c, folder.Id)) objects.Add(ObjectViews.Folder(req.App, sub, path));
            foreach (var file in Objects.FilesIn(c, folder.Id)) objects.Add(ObjectViews.File(req.App, file, path));
            return new JsonObject
            {
                ["parent"] = req.App.Ids.Encode(folder.Id, HashIds.Folder),
                ["objects"] = objects,
                ["policy"] = fs.PolicyJson(req.App),
            };
        });
        return req.Ok(data);
    }

    private static async Task Create(Req req)
    {
        var fs = Fs.Of(req);
        var body = await req.BodyAsync();
        var path = body.Str("path");
        body.ThrowIfTypeError();
        Validate.Required("Path", path);
        Validate.Length("Path", path, 1, 65535);
        req.App.Db.Write((c, tx) => FileSystem.CreateDirectory(c, tx, fs.Uid, path));
        await req.Ok();
    }
}

using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox.V4;

/// <summary>Section 17: <c>GET /user/me</c> and <c>GET /user/capacity</c>.</summary>
internal static class V4User
{
    public static void Map(Router r)
    {
        r.Get(V4Routes.Prefix + "/user/me", req =>
        {
            var c = req.RequireCaller();
            return req.Json(V4Envelope.Ok(V4Json.User(req.App, c.User, c.Group)));
        });
        r.Get(V4Routes.Prefix + "/user/capacity", req =>
        {
            var c = req.RequireCaller();
            return req.Json(V4Envelope.Ok(new JsonObject { ["total"] = c.Group.MaxStorage, ["used"] = c.User.Storage }));
        });
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Cloudreve.Sandbox.Data;

namespace Cloudreve.Sandbox;

/// <summary>One request: route parameters, the session, the current user, response helpers.</summary>
internal sealed class Req
{
    private Session? _session;
    private (UserRow User, GroupRow Group)? _user;
    private bool _userResolved;

    public Req(HttpContext http, App app, Dictionary<string, string> routeParams)
    {
        Http = http;
        App = app;
        Params = routeParams;
    }

    public HttpContext Http { get; }
    public App App { get; }
    public Dictionary<string, string> Params { get; }

    public string Param(string name) => Params.TryGetValue(name, out var v) ? v : "";

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public Session Session
    {
        get
        {
            if (_session == null)
            {
                Http.Request.Cookies.TryGetValue(SessionStore.CookieName, out var cookie);
                _session = App.Sessions.Load(cookie);
            }
            return _session;
        }
    }

    /// <summary>Stores the session and (re)sends the cookie, as Cloudreve does on every session save.</summary>
    public void SaveSession()
    {
        var s = Session;
        App.Sessions.Save(s);
        var expires = s.ExpiresUtc.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
        Http.Response.Headers.Append("Set-Cookie",
            $"{SessionStore.CookieName}={s.Id}; Path=/; Expires={expires}; Max-Age={SessionStore.MaxAgeSeconds}; HttpOnly");
    }

    /// <summary>The logged-in, active user and their group; null when anonymous.</summary>
    public (UserRow User, GroupRow Group)? CurrentUser
    {
        get
        {
            if (_userResolved) return _user;
            _userResolved = true;
            long? uid;
            lock (Session) uid = Session.UserId;
            if (uid == null) return null;
            _user = App.Db.Read(c =>
            {
                var u = Users.ById(c, uid.Value);
                if (u == null || u.Status != UserStatus.Active) return ((UserRow, GroupRow)?)null;
                var g = Users.Group(c, u.GroupId) ?? UnknownGroup(u.GroupId);
                return (u, g);
            });
            return _user;
        }
    }

    public (UserRow User, GroupRow Group) RequireUser() => CurrentUser ?? throw Envelope.LoginRequired();

    public void ForgetUser()
    {
        _userResolved = false;
        _user = null;
    }

    public static GroupRow UnknownGroup(long id) => new(id, "", 0, 0, false, false, false, false, false, false, 0, false, false, 0, 0);

    public Task<JsonBody> BodyAsync() => JsonBody.ReadAsync(Http);

    public Task Json(JsonNode node, int status = 200)
    {
        var bytes = GoJson.Serialize(node);
        Http.Response.StatusCode = status;
        Http.Response.ContentType = "application/json; charset=utf-8";
        Http.Response.ContentLength = bytes.Length;
        return Http.Response.Body.WriteAsync(bytes, Http.RequestAborted).AsTask();
    }

    public Task Ok(JsonNode? data = null) => Json(Envelope.Ok(data));

    public Task Error(int code, string msg = "") => Json(Envelope.Err(code, msg));
}

using System.Globalization;

namespace Cloudreve.Sandbox.Hosting;

/// <summary>Parses the sandbox command line into <see cref="SandboxOptions"/>.</summary>
public static class CommandLine
{
    public const string DefaultUrl = "http://127.0.0.1:5212";

    public const string Usage = """
        Usage: Cloudreve.Sandbox [options]

          --urls <url>                  Listen URL(s), ';'-separated (default http://127.0.0.1:5212; port 0 = any free port).
                                        Binding to anything but loopback requires this option.
          --data <folder>               Folder for the SQLite database and file bytes (default: a temp folder deleted on exit).
          --admin-email <email>         Admin e-mail (default admin@cloudreve.local).
          --admin-password <password>   Admin password (default: random, or the stored one on an existing data folder).
          --admin-totp-secret <base32>  Turns 2FA on for the admin.
          --user <email>:<password>[:<group>]   Extra user (repeatable; group User by default).
          --user-totp <email>:<base32>  2FA for an extra user.
          --login-captcha               Require the (image) captcha on login.
          --ready-file <path>           Write {"uri","adminEmail","adminPassword","pid"} there once listening.
          --upload-session-timeout <s>  Upload session lifetime in seconds (default 86400).
          --download-timeout <s>        Download URL lifetime in seconds (default 600).
          --chunk-size <bytes>          Upload chunk size of every storage policy (default 26214400).
          --policy <type>               Storage policy of the Admin and User groups: local (default), onedrive, s3.
                                        A 4.18.0 sandbox also plays remote (a slave node on the provider origin).
                                        onedrive/s3 uploads go to provider imitations served by the sandbox itself
                                        (Graph upload session / presigned S3 multipart URLs, then the client callback).
          --provider-urls <url>|none    Listen URL(s) of the onedrive/s3 imitations (and the 4.18.0 slave node): a second origin
                                        in the same process (default: a free http://127.0.0.1 port when --policy or --group
                                        names onedrive/s3/remote; none: serve them on the API origin).
          --group <name>:<type>[:<maxStorageBytes>[:one-time]]
                                        Extra user group (repeatable) with a policy of that type; quota default 1 GiB;
                                        ':one-time' turns one-time download on. Use it with --user <email>:<pw>:<name>.
          --policy-file-types <ext,ext> Allowed extensions of every policy (e.g. txt,md; default: anything). 40050 otherwise.
          --policy-max-size <bytes>     Maximum file size of every policy (0 = no limit, the default). 40049 otherwise.
          --user-max-storage <bytes>    Quota of the User group (default 1073741824). 40051 when exceeded.
          --one-time-download           Group option one_time_download for every group but Admin (incl. Anonymous,
                                        whose group applies to cookie-less downloads): a download URL works once.
          --fault-chunk-failure-rate <0..1>      HTTP 500 on that fraction of upload chunk requests (local chunks,
                                                 OneDrive fragments, S3 parts).
          --fault-drop-connection-rate <0..1>    Abort the connection mid-body on that fraction of chunk/fragment/part
                                                 uploads and of downloads (local and provider URLs).
          --fault-download-failure-rate <0..1>   HTTP 500 on that fraction of content GETs (file/download, file/get source
                                                 links, file/content, file/preview, S3 and OneDrive download URLs),
                                                 answered after the route ran (a one-time URL is then used up).
          --fault-lost-answer-rate <0..1>        Store that fraction of local upload chunks, then abort the connection
                                                 before the answer (a re-sent chunk 0 then gets 40002, as on 3.8.3).
          --fault-latency-ms <ms>                Extra latency on every request.
          --fault-download-url-ttl-seconds <s>   Download URLs expire after this many seconds.
          --server-version <3.8.3|4.18.0>        The Cloudreve generation to play (default 3.8.3). A 4.18.0 sandbox serves
                                                 /api/v4 and answers /api/v3 with a plain 404, a 3.8.3 one the reverse.
          --access-token-ttl <s>                 4.18.0: access token lifetime in seconds (default 3600).
          --page-size-limit <n>                  4.18.0: largest listing page_size; larger values are clamped (default 2000).
          --list-pagination <cursor|page>        4.18.0: listings page with next_token cursors (default) or with 0-based
                                                 page numbers and total_items (Cloudreve's use_cursor_pagination=0).
          --entity-url-ttl <s>                   4.18.0: download URL lifetime in seconds (entity_url_default_ttl, default
                                                 3600); URLs are cached and handed out again until they expire.
          --pro                                  Play the Pro edition: /site/ping answers the version with a -pro suffix
                                                 (3.8.3-pro, 4.18.0-pro), as Cloudreve Pro servers do.
          --help                        Show this text.
        """;

    /// <summary>Result of parsing: options, or an error message, or a help request.</summary>
    public sealed record Result(SandboxOptions? Options, string? Error, bool Help);

    public static Result Parse(IReadOnlyList<string> args)
    {
        var o = new SandboxOptions();
        var totps = new List<(string Email, string Secret)>();
        var faults = new FaultSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline != null) return inline;
                if (i + 1 >= args.Count) throw new FormatException($"Option {arg} needs a value.");
                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "--help" or "-h" or "-?":
                        return new Result(null, null, true);
                    case "--urls": o.Urls = Value(); break;
                    case "--data": o.DataFolder = Value(); break;
                    case "--admin-email": o.AdminEmail = Value(); break;
                    case "--admin-password": o.AdminPassword = Value(); break;
                    case "--admin-totp-secret": o.AdminTotpSecret = Value(); break;
                    case "--login-captcha": o.LoginCaptcha = true; break;
                    case "--ready-file": o.ReadyFile = Value(); break;
                    case "--upload-session-timeout": o.UploadSessionTimeoutSeconds = PositiveInt(arg, Value()); break;
                    case "--download-timeout": o.DownloadTimeoutSeconds = PositiveInt(arg, Value()); break;
                    case "--chunk-size": o.ChunkSize = PositiveInt(arg, Value()); break;
                    case "--provider-urls": o.ProviderUrls = Value(); break;
                    case "--policy": o.PolicyType = PolicyType(arg, Value()); break;
                    case "--policy-file-types":
                        o.PolicyFileTypes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(t => t.TrimStart('.').ToLowerInvariant()).Where(t => t.Length > 0).ToList();
                        break;
                    case "--policy-max-size": o.PolicyMaxSize = NonNegativeLong(arg, Value()); break;
                    case "--user-max-storage": o.UserMaxStorage = NonNegativeLong(arg, Value()); break;
                    case "--one-time-download": o.OneTimeDownload = true; break;
                    case "--pro": o.Pro = true; break;
                    case "--group":
                    {
                        var parts = Value().Split(':');
                        if (parts.Length is < 2 or > 4 || parts[0].Length == 0)
                            throw new FormatException("--group expects <name>:<policyType>[:<maxStorageBytes>[:one-time]].");
                        var max = parts.Length >= 3 && parts[2].Length > 0 ? NonNegativeLong(arg, parts[2]) : 1L << 30;
                        if (parts.Length == 4 && parts[3] != "one-time") throw new FormatException("--group: the fourth field can only be 'one-time'.");
                        if (parts[0] is "Admin" or "User" or "Anonymous" || o.Groups.Any(g => string.Equals(g.Name, parts[0], StringComparison.OrdinalIgnoreCase)))
                            throw new FormatException($"--group: the name '{parts[0]}' is taken.");
                        o.Groups.Add(new SandboxGroup(parts[0], PolicyType(arg, parts[1]), max, parts.Length == 4));
                        break;
                    }
                    case "--user":
                    {
                        var v = Value();
                        var parts = v.Split(':');
                        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
                            throw new FormatException("--user expects <email>:<password>[:<group name>].");
                        o.Users.Add(new SandboxUser(parts[0], parts[1], parts.Length == 3 && parts[2].Length > 0 ? parts[2] : "User"));
                        break;
                    }
                    case "--user-totp":
                    {
                        var v = Value();
                        var idx = v.LastIndexOf(':');
                        if (idx <= 0 || idx == v.Length - 1) throw new FormatException("--user-totp expects <email>:<base32 secret>.");
                        totps.Add((v[..idx], v[(idx + 1)..]));
                        break;
                    }
                    case "--server-version":
                    {
                        var v = Value().Trim();
                        if (!ServerVersions.All.Contains(v)) throw new FormatException($"--server-version: '{v}' is not one of {string.Join(", ", ServerVersions.All)}.");
                        o.ServerVersion = v;
                        break;
                    }
                    case "--access-token-ttl": o.AccessTokenTtlSeconds = PositiveInt(arg, Value()); break;
                    case "--page-size-limit": o.PageSizeLimit = PositiveInt(arg, Value()); break;
                    case "--entity-url-ttl": o.EntityUrlTtlSeconds = PositiveInt(arg, Value()); break;
                    case "--list-pagination":
                    {
                        var v = Value().Trim().ToLowerInvariant();
                        if (v is not ("cursor" or "page")) throw new FormatException("--list-pagination expects cursor or page.");
                        o.CursorPagination = v == "cursor";
                        break;
                    }
                    case "--fault-chunk-failure-rate": faults = faults with { ChunkFailureRate = Rate(arg, Value()) }; break;
                    case "--fault-drop-connection-rate": faults = faults with { DropConnectionRate = Rate(arg, Value()) }; break;
                    case "--fault-download-failure-rate": faults = faults with { DownloadFailureRate = Rate(arg, Value()) }; break;
                    case "--fault-lost-answer-rate": faults = faults with { LostAnswerRate = Rate(arg, Value()) }; break;
                    case "--fault-latency-ms": faults = faults with { LatencyMs = NonNegativeInt(arg, Value()) }; break;
                    case "--fault-download-url-ttl-seconds": faults = faults with { DownloadUrlTtlSeconds = NonNegativeInt(arg, Value()) }; break;
                    default:
                        return new Result(null, $"Unknown option '{args[i]}'. Run with --help for the list of options.", false);
                }
            }
            catch (FormatException ex)
            {
                return new Result(null, ex.Message, false);
            }
        }

        foreach (var (email, secret) in totps)
        {
            var user = o.Users.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.Ordinal));
            if (user == null) return new Result(null, $"--user-totp names '{email}', which is not given with --user.", false);
            if (!Totp.IsValidSecret(secret)) return new Result(null, $"--user-totp secret for '{email}' is not valid base32.", false);
            user.TotpSecret = secret;
        }

        if (o.AdminTotpSecret != null && !Totp.IsValidSecret(o.AdminTotpSecret))
            return new Result(null, "--admin-totp-secret is not valid base32.", false);
        if (o.AdminPassword is { Length: < 4 or > 64 })
            return new Result(null, "--admin-password must be 4 to 64 characters long.", false);

        if (SandboxOptions.RemoteNeedsV4(o) is { } remoteError) return new Result(null, remoteError, false);

        o.Faults = faults;
        o.Urls ??= DefaultUrl;
        return new Result(o, null, false);
    }

    private static double Rate(string name, string v)
    {
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0 || d > 1)
            throw new FormatException($"{name} expects a number between 0 and 1.");
        return d;
    }

    private static int NonNegativeInt(string name, string v)
    {
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new FormatException($"{name} expects a non-negative integer.");
        return n;
    }

    private static string PolicyType(string name, string v)
    {
        var t = v.Trim().ToLowerInvariant();
        if (!Data.PolicyTypes.All.Contains(t)) throw new FormatException($"{name}: unknown policy type '{v}' (local, onedrive, s3, remote).");
        return t;
    }

    private static long NonNegativeLong(string name, string v)
    {
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new FormatException($"{name} expects a non-negative integer.");
        return n;
    }

    private static int PositiveInt(string name, string v)
    {
        var n = NonNegativeInt(name, v);
        if (n == 0) throw new FormatException($"{name} expects a positive integer.");
        return n;
    }
}

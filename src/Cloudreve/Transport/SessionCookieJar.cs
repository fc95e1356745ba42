using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace Cloudreve.Transport
{
    /// <summary>
    /// Cookies of one login, scoped to exactly one origin (scheme, host, port).
    /// Requests to any other origin (third-party storage URLs) never carry them.
    /// </summary>
    internal sealed class SessionCookieJar
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, string> _cookies = new Dictionary<string, string>(StringComparer.Ordinal);

        public SessionCookieJar(Uri origin)
        {
            Origin = new Uri(origin.GetLeftPart(UriPartial.Authority));
        }

        public Uri Origin { get; }

        public bool Matches(Uri? uri) =>
            uri != null && uri.IsAbsoluteUri &&
            string.Equals(uri.Scheme, Origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(uri.Host, Origin.Host, StringComparison.OrdinalIgnoreCase) &&
            uri.Port == Origin.Port;

        public bool IsEmpty
        {
            get { lock (_gate) { return _cookies.Count == 0; } }
        }

        public void Clear()
        {
            lock (_gate) { _cookies.Clear(); }
        }

        public string? GetHeaderValue()
        {
            lock (_gate)
            {
                return _cookies.Count == 0 ? null : string.Join("; ", _cookies.Select(kv => kv.Key + "=" + kv.Value));
            }
        }

        public void Apply(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                return;
            }

            lock (_gate)
            {
                foreach (var header in values)
                {
                    var parts = header.Split(';');
                    var nameValue = parts[0];
                    var eq = nameValue.IndexOf('=');
                    if (eq <= 0)
                    {
                        continue;
                    }

                    var name = nameValue.Substring(0, eq).Trim();
                    var value = nameValue.Substring(eq + 1).Trim();
                    var expired = value.Length == 0;
                    foreach (var attribute in parts.Skip(1))
                    {
                        var a = attribute.Trim();
                        if (a.StartsWith("Max-Age=", StringComparison.OrdinalIgnoreCase) &&
                            int.TryParse(a.Substring(8), out var maxAge) && maxAge <= 0)
                        {
                            expired = true;
                        }
                    }

                    if (expired)
                    {
                        _cookies.Remove(name);
                    }
                    else
                    {
                        _cookies[name] = value;
                    }
                }
            }
        }
    }
}

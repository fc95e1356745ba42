using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>WebDAV accounts on Cloudreve 4 (/devices/dav, reference section 15). Ids are hashids.</summary>
    internal sealed partial class V4Backend
    {
        private const int DavPageSize = 100;

        public async Task<IReadOnlyList<CloudreveWebDavAccount>> GetWebDavAccountsAsync(CancellationToken cancellationToken) =>
            (await ListDavAsync(cancellationToken).ConfigureAwait(false)).Select(ToDavAccount).ToList();

        public async Task<CloudreveWebDavAccount> CreateWebDavAccountAsync(string name, string root, CancellationToken cancellationToken)
        {
            var created = await CallAsync<V4DavAccount>(HttpMethod.Put, "devices/dav", new V4DavWrite { Name = name, Uri = CloudreveUris.FromPath(root) },
                $"Creating the WebDAV account '{name}'", true, cancellationToken).ConfigureAwait(false);
            return ToDavAccount(created);
        }

        public async Task SetWebDavAccountAsync(string id, bool? readOnly, bool? useProxy, CancellationToken cancellationToken)
        {
            // PATCH replaces every field: send the current name, root and flags with the asked changes.
            var current = (await ListDavAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal)) ??
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"There is no WebDAV account with id {id}.");
            var options = DavOptions(current.Options);
            var body = new V4DavWrite
            {
                Uri = current.Uri ?? string.Empty,
                Name = current.Name ?? string.Empty,
                ReadOnly = readOnly ?? (options & 1) != 0,
                Proxy = useProxy ?? (options & 2) != 0,
                DisableSysFiles = (options & 4) != 0,
            };
            await CallAsync(V3.HttpMethods.Patch, "devices/dav/" + Uri.EscapeDataString(id), body, $"Changing WebDAV account {id}", true, cancellationToken).ConfigureAwait(false);
        }

        public Task RemoveWebDavAccountAsync(string id, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Delete, "devices/dav/" + Uri.EscapeDataString(id), null, $"Removing WebDAV account {id}", true, cancellationToken);

        private async Task<List<V4DavAccount>> ListDavAsync(CancellationToken cancellationToken)
        {
            var all = new List<V4DavAccount>();
            string? token = null;
            do
            {
                var route = $"devices/dav?page_size={DavPageSize}" + (string.IsNullOrEmpty(token) ? string.Empty : "&next_page_token=" + Uri.EscapeDataString(token));
                var list = await CallAsync<V4DavList>(HttpMethod.Get, route, null, "Listing WebDAV accounts", true, cancellationToken).ConfigureAwait(false);
                all.AddRange(list.Accounts ?? Array.Empty<V4DavAccount>());
                token = list.Pagination?.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
            return all;
        }

        private static int DavOptions(string? base64)
        {
            if (string.IsNullOrEmpty(base64))
            {
                return 0;
            }

            try
            {
                var bytes = Convert.FromBase64String(base64);
                return bytes.Length == 0 ? 0 : bytes[0];
            }
            catch (FormatException)
            {
                return 0;
            }
        }

        private CloudreveWebDavAccount ToDavAccount(V4DavAccount a)
        {
            var options = DavOptions(a.Options);
            var created = ParseTime(a.CreatedAt);
            return new CloudreveWebDavAccount
            {
                Id = a.Id ?? string.Empty,
                Name = a.Name ?? string.Empty,
                Root = CloudreveUris.ToPath(a.Uri) ?? RemotePath.Root,
                ReadOnly = (options & 1) != 0,
                UseProxy = (options & 2) != 0,
                Created = created == default ? (DateTimeOffset?)null : created,
                Url = new Uri(SiteUri, "dav/"),
                Password = string.IsNullOrEmpty(a.Password) ? null : Secrets.Protect(a.Password!),
            };
        }
    }
}

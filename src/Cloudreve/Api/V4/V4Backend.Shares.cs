using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>Shares and direct links on Cloudreve 4 (reference sections 11 and 13).</summary>
    internal sealed partial class V4Backend : ICloudreveServiceBackend, ICloudreveSourceLinkBackend
    {
        private const int SharePageSize = 100;

        public async Task<CloudreveShare> CreateShareAsync(ShareRequest request, CancellationToken cancellationToken)
        {
            var password = Secrets.Unprotect(request.Password);
            if (password.Length > 32 || password.Any(c => c > 127 || !char.IsLetterOrDigit(c)))
            {
                password = string.Empty;
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument,
                    $"Cloudreve 4 share passwords are 1 to 32 letters (a-z, A-Z) and digits; the password given for '{request.Item.Path}' is not.");
            }

            // A password only takes effect together with is_private (cap 403).
            var body = new V4ShareCreate
            {
                Uri = CloudreveUris.FromPath(request.Item.Path),
                IsPrivate = password.Length > 0,
                Password = password,
                Downloads = request.DownloadLimit ?? 0,
                Expire = request.ExpireSeconds ?? 0,
                ShareView = request.AllowPreview,
            };
            password = string.Empty;
            string url;
            try
            {
                url = await CallAsync<string>(HttpMethod.Put, "share", body, $"Sharing '{request.Item.Path}'", true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                body.Password = string.Empty;
            }

            // The reply is {site}/s/{id}[/{password}]; the link handed out never carries the password.
            var segments = _transport.Resolve(url).AbsolutePath.Trim('/').Split('/');
            var sIndex = Array.LastIndexOf(segments, "s");
            var key = Uri.UnescapeDataString(sIndex >= 0 && sIndex + 1 < segments.Length ? segments[sIndex + 1] : segments.Last());
            var now = DateTimeOffset.Now;
            return new CloudreveShare
            {
                Key = key,
                Url = new Uri(SiteUri, "s/" + Uri.EscapeDataString(key)),
                Item = request.Item,
                Name = request.Item.Name,
                IsFolder = request.Item.IsFolder,
                Size = request.Item.Size,
                HasPassword = body.IsPrivate,
                Created = now,
                Expires = request.ExpireSeconds.HasValue ? now.AddSeconds(request.ExpireSeconds.Value) : (DateTimeOffset?)null,
                RemainingDownloads = request.DownloadLimit,
                AllowPreview = request.AllowPreview,
            };
        }

        public async Task<IReadOnlyList<CloudreveShare>> GetSharesAsync(CancellationToken cancellationToken)
        {
            var all = new List<CloudreveShare>();
            string? token = null;
            do
            {
                var route = $"share?page_size={SharePageSize}&order_by=created_at&order_direction=desc" +
                    (string.IsNullOrEmpty(token) ? string.Empty : "&next_page_token=" + Uri.EscapeDataString(token));
                var list = await CallAsync<V4ShareList>(HttpMethod.Get, route, null, "Listing shares", true, cancellationToken).ConfigureAwait(false);
                all.AddRange((list.Shares ?? Array.Empty<V4Share>()).Select(ToShare));
                token = list.Pagination?.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
            return all;
        }

        // 4.18 keeps a share's password and private state on edit (cap 416, 417), and an edit needs the
        // share's source URI, which the share listing does not give: neither setting can be changed in place.
        public Task SetSharePasswordAsync(string key, SecureString? password, CancellationToken cancellationToken) =>
            throw new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                $"Cloudreve 4 cannot change the password of share '{key}': remove the share and create a new one with New-CloudreveShare -Password.");

        public Task SetSharePreviewAsync(string key, bool allowPreview, CancellationToken cancellationToken) =>
            throw new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                $"Changing the preview setting of share '{key}' in place is not yet available for Cloudreve 4 servers in this version of the module: remove the share and create a new one with New-CloudreveShare -AllowPreview.");

        /// <summary>An unknown key answers 404 "share not found", a key that is no hashid 40001 (cap 412, 420).</summary>
        public async Task RemoveShareAsync(string key, CancellationToken cancellationToken)
        {
            try
            {
                await CallAsync(HttpMethod.Delete, "share/" + Uri.EscapeDataString(key), null, $"Removing share '{key}'", true, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.ServerCode == 404 || ex.ServerCode == 40001)
            {
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"The share '{key}' does not exist or is not yours.", ex);
            }
        }

        public async Task<IReadOnlyList<CloudreveSourceLink>> GetSourceLinksAsync(IReadOnlyList<CloudreveFile> files, CancellationToken cancellationToken)
        {
            var uris = files.Select(f => CloudreveUris.FromPath(f.Path)).ToArray();
            var operation = files.Count == 1 ? $"Getting the direct link of '{files[0].Path}'" : $"Getting direct links of {files.Count} files";
            var answer = await CallAsync<V4SourceLink[]>(HttpMethod.Put, "file/source", new V4SourceRequest { Uris = uris }, operation, true, cancellationToken).ConfigureAwait(false);

            // 4.x pairs each link with its file by file_url.
            var result = new List<CloudreveSourceLink>();
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                var found = answer.FirstOrDefault(a => a.FileUrl != null && CloudreveUris.Same(a.FileUrl, uris[i]));
                var link = new CloudreveSourceLink { Name = file.Name, Item = file };
                if (found == null || string.IsNullOrEmpty(found.Link))
                {
                    link.Error = $"The server gave no direct link for '{file.Path}' (the file no longer exists).";
                    link.Missing = true;
                }
                else
                {
                    link.Url = _transport.Resolve(found.Link!);
                }

                result.Add(link);
            }

            return result;
        }

        /// <summary>DELETE /file/source/{id}, the id being the segment after /f/ in the link (cap 437).</summary>
        public Task RemoveSourceLinkAsync(CloudreveSourceLink link, CancellationToken cancellationToken)
        {
            var display = link.Item?.Path ?? link.Name;
            var segments = link.Url?.AbsolutePath.Trim('/').Split('/') ?? Array.Empty<string>();
            var f = Array.LastIndexOf(segments, "f", segments.Length >= 2 ? segments.Length - 2 : -1);
            if (f < 0 || f + 1 >= segments.Length || segments[f + 1].Length == 0)
            {
                throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{link.Url}' is not a direct link of this server (expected {SiteUri}f/<id>/<name>).");
            }

            return CallAsync(HttpMethod.Delete, "file/source/" + Uri.EscapeDataString(Uri.UnescapeDataString(segments[f + 1])), null,
                $"Removing the direct link of '{display}'", true, cancellationToken);
        }

        private CloudreveShare ToShare(V4Share s)
        {
            var key = s.Id ?? string.Empty;
            var expires = ParseTime(s.Expires);
            var created = ParseTime(s.CreatedAt);
            return new CloudreveShare
            {
                Key = key,
                Url = new Uri(SiteUri, "s/" + Uri.EscapeDataString(key)),
                Name = s.Name ?? string.Empty,
                Size = s.Size,
                IsFolder = s.SourceType == 1,
                HasPassword = s.PasswordProtected,
                Created = created == default ? (DateTimeOffset?)null : created,
                Expires = expires == default ? (DateTimeOffset?)null : expires,
                RemainingDownloads = s.RemainDownloads,
                Downloads = s.Downloaded,
                Views = s.Visited,
                AllowPreview = s.ShareView,
            };
        }
    }
}

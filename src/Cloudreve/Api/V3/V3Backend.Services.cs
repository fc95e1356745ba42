using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Api.V3
{
    internal sealed partial class V3Backend : ICloudreveServiceBackend
    {
        // 3.8.3 only applies an expiry to shares with a download limit, and only a download limit
        // together with an expiry: these stand-ins express "no limit" on the other side.
        internal const long UnlimitedDownloads = 1_000_000_000;
        internal const long NoExpirySeconds = 100L * 365 * 24 * 3600;
        private const int SharePageSize = 18;
        private const int AdminPageSize = 100;

        public async Task<CloudreveShare> CreateShareAsync(ShareRequest request, CancellationToken cancellationToken)
        {
            var limited = request.DownloadLimit.HasValue || request.ExpireSeconds.HasValue;
            var body = new V3CreateShareRequest
            {
                Id = request.Item.Id,
                IsDir = request.Item.IsFolder,
                Password = Secrets.Unprotect(request.Password),
                Downloads = limited ? request.DownloadLimit ?? UnlimitedDownloads : -1,
                Expire = limited ? request.ExpireSeconds ?? NoExpirySeconds : 0,
                Preview = request.AllowPreview,
            };
            var url = await CallAsync<string>(HttpMethod.Post, "share", body, $"Sharing '{request.Item.Path}'", true, cancellationToken).ConfigureAwait(false);
            body.Password = string.Empty;
            var key = _transport.Resolve(url).AbsolutePath.TrimEnd('/').Split('/').Last();
            var absolute = new Uri(SiteUri, "s/" + Uri.EscapeDataString(key));
            var now = DateTimeOffset.Now;
            return new CloudreveShare
            {
                Key = key,
                Url = absolute,
                Item = request.Item,
                Name = request.Item.Name,
                IsFolder = request.Item.IsFolder,
                Size = request.Item.Size,
                HasPassword = request.Password != null && request.Password.Length > 0,
                Created = now,
                Expires = request.ExpireSeconds.HasValue ? now.AddSeconds(request.ExpireSeconds.Value) : (DateTimeOffset?)null,
                RemainingDownloads = request.DownloadLimit,
                AllowPreview = request.AllowPreview,
            };
        }

        public async Task<IReadOnlyList<CloudreveShare>> GetSharesAsync(CancellationToken cancellationToken)
        {
            var all = new List<CloudreveShare>();
            for (var page = 1; ; page++)
            {
                var list = await CallAsync<V3ShareList>(HttpMethod.Get, $"share?page={page}&order_by=created_at&order=DESC", null, "Listing shares", true, cancellationToken).ConfigureAwait(false);
                var items = list.Items ?? Array.Empty<V3ShareListItem>();
                all.AddRange(items.Select(ToShare));
                if (items.Length == 0 || all.Count >= list.Total)
                {
                    return all;
                }
            }
        }

        public Task SetSharePasswordAsync(string key, SecureString? password, CancellationToken cancellationToken) =>
            CallAsync(HttpMethods.Patch, "share/" + Uri.EscapeDataString(key), new V3SharePatch { Prop = "password", Value = Secrets.Unprotect(password) },
                $"Changing the password of share '{key}'", true, cancellationToken);

        public Task SetSharePreviewAsync(string key, bool allowPreview, CancellationToken cancellationToken) =>
            CallAsync(HttpMethods.Patch, "share/" + Uri.EscapeDataString(key), new V3SharePatch { Prop = "preview_enabled", Value = allowPreview ? "true" : "false" },
                $"Changing the preview setting of share '{key}'", true, cancellationToken);

        public Task RemoveShareAsync(string key, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Delete, "share/" + Uri.EscapeDataString(key), null, $"Removing share '{key}'", true, cancellationToken);

        public async Task<IReadOnlyList<CloudreveSourceLink>> GetSourceLinksAsync(IReadOnlyList<CloudreveFile> files, CancellationToken cancellationToken)
        {
            if (files.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != files.Count)
            {
                throw new ArgumentException("Files of one direct-link request must have distinct names.", nameof(files));
            }

            var body = new V3SourceRequest { Items = files.Select(f => f.Id).ToArray() };
            var operation = files.Count == 1 ? $"Getting the direct link of '{files[0].Path}'" : $"Getting direct links of {files.Count} files";
            V3SourceLink[] answer;
            try
            {
                answer = await CallAsync<V3SourceLink[]>(HttpMethod.Post, "file/source", body, operation, true, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.ServerCode == 40044)
            {
                answer = Array.Empty<V3SourceLink>();
            }

            // 3.8.3 answers in database order and without file ids: pair by name (unique within the call).
            var byName = answer.Where(a => a.Name != null).GroupBy(a => a.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var result = new List<CloudreveSourceLink>();
            foreach (var file in files)
            {
                var link = new CloudreveSourceLink { Name = file.Name, Item = file };
                if (!byName.TryGetValue(file.Name, out var found))
                {
                    link.Error = $"The server gave no direct link for '{file.Path}' (the file no longer exists).";
                    link.Missing = true;
                }
                else if (!string.IsNullOrEmpty(found.Error) || string.IsNullOrEmpty(found.Url))
                {
                    link.Error = $"The server could not make a direct link for '{file.Path}': {found.Error}";
                }
                else
                {
                    link.Url = PublicUrl(found.Url!.Replace("#", "%23"));
                }

                result.Add(link);
            }

            return result;
        }

        public async Task<IReadOnlyList<CloudreveWebDavAccount>> GetWebDavAccountsAsync(CancellationToken cancellationToken)
        {
            var list = await CallAsync<V3WebDavList>(HttpMethod.Get, "webdav/accounts", null, "Listing WebDAV accounts", true, cancellationToken).ConfigureAwait(false);
            return (list.Accounts ?? Array.Empty<V3WebDavAccount>()).Select(a => new CloudreveWebDavAccount
            {
                Id = a.Id.ToString(CultureInfo.InvariantCulture),
                Name = a.Name ?? string.Empty,
                Root = string.IsNullOrEmpty(a.Root) ? RemotePath.Root : a.Root!,
                ReadOnly = a.Readonly,
                UseProxy = a.UseProxy,
                Created = ParseTime(a.CreatedAt),
                Url = new Uri(SiteUri, "dav/"),
                Password = string.IsNullOrEmpty(a.Password) ? null : Secrets.Protect(a.Password!),
            }).ToList();
        }

        public async Task<CloudreveWebDavAccount> CreateWebDavAccountAsync(string name, string root, CancellationToken cancellationToken)
        {
            var created = await CallAsync<V3WebDavCreated>(HttpMethod.Post, "webdav/accounts", new V3WebDavCreateRequest { Name = name, Path = root },
                $"Creating the WebDAV account '{name}'", true, cancellationToken).ConfigureAwait(false);
            return new CloudreveWebDavAccount
            {
                Id = created.Id.ToString(CultureInfo.InvariantCulture),
                Name = name,
                Root = root,
                Created = ParseTime(created.CreatedAt),
                Url = new Uri(SiteUri, "dav/"),
                Password = string.IsNullOrEmpty(created.Password) ? null : Secrets.Protect(created.Password!),
            };
        }

        public Task SetWebDavAccountAsync(string id, bool? readOnly, bool? useProxy, CancellationToken cancellationToken) =>
            CallAsync(HttpMethods.Patch, "webdav/accounts", new V3WebDavPatch { Id = WebDavId(id), Readonly = readOnly, UseProxy = useProxy },
                $"Changing WebDAV account {id}", true, cancellationToken);

        public Task RemoveWebDavAccountAsync(string id, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Delete, "webdav/accounts/" + WebDavId(id).ToString(CultureInfo.InvariantCulture), null, $"Removing WebDAV account {id}", true, cancellationToken);

        // 3.8.3 numbers its WebDAV accounts.
        private static int WebDavId(string id) =>
            int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value :
                throw new CloudreveException(CloudreveErrorKind.NotFound, $"There is no WebDAV account with id {id} (Cloudreve 3 account ids are numbers).");

        public async Task<CloudreveUser> GetUserAsync(int numericId, CancellationToken cancellationToken)
        {
            var user = await CallAsync<V3AdminUser>(HttpMethod.Get, "admin/user/" + numericId.ToString(CultureInfo.InvariantCulture), null, $"Reading user {numericId}", true, cancellationToken).ConfigureAwait(false);
            return ToAdminUser(user);
        }

        public async Task<IReadOnlyList<CloudreveUser>> FindUsersAsync(UserQuery query, CancellationToken cancellationToken)
        {
            var request = new V3ListRequest { PageSize = AdminPageSize };
            if (query.GroupId.HasValue)
            {
                request.Conditions["group_id"] = query.GroupId.Value.ToString(CultureInfo.InvariantCulture);
            }

            if (query.Status.HasValue)
            {
                request.Conditions["status"] = ((int)query.Status.Value).ToString(CultureInfo.InvariantCulture);
            }

            // The server ORs its searches; send one and apply the other here so both must match.
            if (!string.IsNullOrEmpty(query.Email))
            {
                request.Searches["email"] = query.Email!;
            }
            else if (!string.IsNullOrEmpty(query.NickName))
            {
                request.Searches["nick"] = query.NickName!;
            }

            var all = new List<CloudreveUser>();
            for (request.Page = 1; ; request.Page++)
            {
                var list = await CallAsync<V3AdminUserList>(HttpMethod.Post, "admin/user/list", request, "Listing users", true, cancellationToken).ConfigureAwait(false);
                var items = list.Items ?? Array.Empty<V3AdminUser>();
                all.AddRange(items.Select(ToAdminUser));
                if (items.Length == 0 || request.Page * request.PageSize >= list.Total)
                {
                    break;
                }
            }

            if (!string.IsNullOrEmpty(query.Email) && !string.IsNullOrEmpty(query.NickName))
            {
                all = all.Where(u => u.NickName.IndexOf(query.NickName!, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
            }

            return all;
        }

        public async Task<int> CreateUserAsync(string email, string nickName, int groupId, SecureString password, CancellationToken cancellationToken)
        {
            var body = new V3AdminUserSave
            {
                User = new V3AdminUserWrite { Email = email, Nick = nickName, GroupId = groupId, Status = 0 },
                Password = Secrets.Unprotect(password),
            };
            var id = await CallAsync<int>(HttpMethod.Post, "admin/user", body, $"Creating the user '{email}'", true, cancellationToken).ConfigureAwait(false);
            body.Password = string.Empty;
            return id;
        }

        public async Task UpdateUserAsync(int numericId, UserChanges changes, CancellationToken cancellationToken)
        {
            // The server copies Nick, Email, GroupID, Status and TwoFactor from the body and clears what
            // is missing, so the current record is read and sent back with the changes.
            var current = await CallAsync<V3AdminUser>(HttpMethod.Get, "admin/user/" + numericId.ToString(CultureInfo.InvariantCulture), null, $"Reading user {numericId}", true, cancellationToken).ConfigureAwait(false);
            var body = new V3AdminUserSave
            {
                User = new V3AdminUserWrite
                {
                    Id = current.Id,
                    Email = changes.Email ?? current.Email ?? string.Empty,
                    Nick = changes.NickName ?? current.Nick ?? string.Empty,
                    GroupId = changes.GroupId ?? current.GroupId,
                    Status = changes.Status.HasValue ? (int)changes.Status.Value : current.Status,
                    TwoFactor = current.TwoFactor ?? string.Empty,
                },
                Password = Secrets.Unprotect(changes.Password),
            };
            await CallAsync<int>(HttpMethod.Post, "admin/user", body, $"Updating user {numericId}", true, cancellationToken).ConfigureAwait(false);
            body.Password = string.Empty;
            body.User.TwoFactor = string.Empty;
        }

        public Task RemoveUsersAsync(IReadOnlyList<int> numericIds, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, "admin/user/delete", new V3IdList { Id = numericIds.ToArray() },
                numericIds.Count == 1 ? $"Deleting user {numericIds[0]}" : $"Deleting {numericIds.Count} users", true, cancellationToken);

        public async Task<CloudreveUserStatus> SetUserBannedAsync(int numericId, bool banned, CancellationToken cancellationToken)
        {
            var user = await GetUserAsync(numericId, cancellationToken).ConfigureAwait(false);
            var isBanned = user.Status != CloudreveUserStatus.Active;
            if (isBanned == banned)
            {
                return user.Status;
            }

            // The ban route toggles: active -> banned, anything else -> active.
            var status = await CallAsync<int>(HttpMethods.Patch, "admin/user/ban/" + numericId.ToString(CultureInfo.InvariantCulture), null,
                banned ? $"Blocking user {numericId}" : $"Unblocking user {numericId}", true, cancellationToken).ConfigureAwait(false);
            return (CloudreveUserStatus)status;
        }

        public async Task<IReadOnlyList<CloudreveGroup>> GetGroupsAsync(CancellationToken cancellationToken)
        {
            var request = new V3ListRequest { PageSize = AdminPageSize };
            var all = new List<CloudreveGroup>();
            for (request.Page = 1; ; request.Page++)
            {
                var list = await CallAsync<V3AdminGroupList>(HttpMethod.Post, "admin/group/list", request, "Listing groups", true, cancellationToken).ConfigureAwait(false);
                var items = list.Items ?? Array.Empty<V3AdminGroup>();
                foreach (var g in items)
                {
                    var count = 0;
                    list.Statics?.TryGetValue(g.Id.ToString(CultureInfo.InvariantCulture), out count);
                    all.Add(new CloudreveGroup
                    {
                        Id = g.Id,
                        Name = g.Name ?? string.Empty,
                        MaxStorage = g.MaxStorage,
                        ShareEnabled = g.ShareEnabled,
                        WebDavEnabled = g.WebDavEnabled,
                        AdvancedDelete = g.Options?.AdvanceDelete ?? false,
                        SourceLinkBatchLimit = g.Options?.SourceBatch ?? 0,
                        UserCount = count,
                    });
                }

                if (items.Length == 0 || request.Page * request.PageSize >= list.Total)
                {
                    return all;
                }
            }
        }

        public async Task<int> GetOwnNumericIdAsync(CancellationToken cancellationToken) =>
            (await CallAsync<V3UserSetting>(HttpMethod.Get, "user/setting", null, "Reading the account settings", true, cancellationToken).ConfigureAwait(false)).Uid;

        /// <summary>
        /// Absolute form of a URL the server built from its configured site address. Relative URLs are
        /// resolved against the site; a loopback host that the user did not connect to (the server's
        /// unconfigured default) is replaced by the address the session uses.
        /// </summary>
        internal Uri PublicUrl(string url)
        {
            var resolved = _transport.Resolve(url);
            var host = resolved.Host;
            var loopbackDefault = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
            if (loopbackDefault && !string.Equals(resolved.Authority, SiteUri.Authority, StringComparison.OrdinalIgnoreCase))
            {
                var builder = new UriBuilder(resolved) { Scheme = SiteUri.Scheme, Host = SiteUri.Host, Port = SiteUri.Port };
                return builder.Uri;
            }

            return resolved;
        }

        private CloudreveShare ToShare(V3ShareListItem s)
        {
            var now = DateTimeOffset.Now;
            var key = s.Key ?? string.Empty;
            return new CloudreveShare
            {
                Key = key,
                Url = new Uri(SiteUri, "s/" + Uri.EscapeDataString(key)),
                Name = s.Source?.Name ?? string.Empty,
                Size = s.Source?.Size ?? 0,
                IsFolder = s.IsDir,
                HasPassword = !string.IsNullOrEmpty(s.Password),
                Created = ParseTime(s.CreateDate),
                // The server only gives shares with a download limit an expiry; for those, -1 means
                // "expired a second ago", for the others it means "never".
                Expires = s.RemainDownloads == -1 || s.Expire >= NoExpirySeconds / 2 ? (DateTimeOffset?)null : now.AddSeconds(s.Expire),
                RemainingDownloads = s.RemainDownloads < 0 || s.RemainDownloads >= UnlimitedDownloads / 2 ? (int?)null : (int)s.RemainDownloads,
                Downloads = s.Downloads,
                Views = s.Views,
                AllowPreview = s.Preview,
            };
        }

        // The admin user model carries the raw numeric id but not the hashid users see (Id stays null),
        // and the user's group model with its permissions.
        private static CloudreveUser ToAdminUser(V3AdminUser u) => new CloudreveUser
        {
            Id = null,
            NumericId = u.Id,
            UserName = u.Email ?? string.Empty,
            NickName = u.Nick ?? string.Empty,
            Status = (CloudreveUserStatus)u.Status,
            GroupId = u.GroupId,
            GroupName = u.Group?.Name ?? string.Empty,
            Created = ParseTime(u.CreatedAt),
            IsAdmin = u.GroupId == 1 || u.Id == 1,
            StorageUsed = u.Storage,
            TwoFactorEnabled = !string.IsNullOrEmpty(u.TwoFactor),
            CanShare = u.Group?.ShareEnabled ?? false,
            CanUseWebDav = u.Group?.WebDavEnabled ?? false,
            CanArchiveDownload = u.Group?.Options?.ArchiveDownload ?? false,
            CanAdvancedDelete = u.Group?.Options?.AdvanceDelete ?? false,
            SourceLinkBatchLimit = u.Group?.Options?.SourceBatch ?? 0,
        };
    }
}

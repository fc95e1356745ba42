using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// Sends one local file into a remote folder: upload session, chunks strictly in order with retries,
    /// completion, and (with -Force over an existing file) either a new version of the same file, when the
    /// backend replaces in place (the file keeps its id, shares and direct links), or an upload under a temporary
    /// name, then delete the old file and rename. A failed or cancelled upload cancels its session on the server.
    /// </summary>
    internal sealed class UploadJob : TransferJob
    {
        private readonly CloudreveSession _session;
        private readonly ItemLocator _locator;
        private readonly FileInfo _file;
        private readonly string _folder;
        private readonly string _name;
        private readonly bool _force;
        private readonly bool _passThru;
        private readonly ListingCoalescer _listings;

        /// <param name="remoteName">The name on the server; the local file's name when null (the drive's content writer sends a temporary file).</param>
        public UploadJob(CloudreveSession session, ItemLocator locator, ListingCoalescer listings, FileInfo file, string remoteFolder, bool force, bool passThru, string? remoteName = null)
            : base(remoteName ?? file.Name, file.FullName, file.Length)
        {
            _session = session;
            _locator = locator;
            _listings = listings;
            _file = file;
            _folder = remoteFolder;
            _name = remoteName ?? file.Name;
            _force = force;
            _passThru = passThru;
        }

        public string RemotePath => Cloudreve.RemotePath.Combine(_folder, _name);

        public override object TargetFor(Exception error) =>
            error is CloudreveException c && (c.Kind == CloudreveErrorKind.Conflict || c.Kind == CloudreveErrorKind.UploadInProgress) ? RemotePath : Target;

        private ICloudreveTransferBackend Transfers => (ICloudreveTransferBackend)_session.Backend;

        public override async Task<object?> RunAsync(TransferOptions options, CancellationToken cancellationToken)
        {
            Status = "Checking the destination";
            Cloudreve.RemotePath.ValidateName(_name);
            var listing = await _locator.ListAsync(_folder, cancellationToken).ConfigureAwait(false);
            var existing = listing.Children.OfType<CloudreveFile>().FirstOrDefault(c => string.Equals(c.Name, _name, StringComparison.Ordinal));
            if (existing != null && !_force)
            {
                throw new CloudreveException(CloudreveErrorKind.Conflict,
                    $"'{RemotePath}' already exists; '{_file.FullName}' was not sent. Use -Force to replace it.");
            }

            var policy = listing.Policy ?? throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"The listing of '{_folder}' named no storage policy; cannot upload.");
            _file.Refresh();
            var length = _file.Length;
            var modified = _file.LastWriteTimeUtc;
            TotalBytes = length;
            // Graph upload sessions cannot carry 0 bytes, so an empty replacement on OneDrive cannot be a new version:
            // it is created empty beside the old file and swapped in, as on 3.x.
            var emptyOnOneDrive = length == 0 && string.Equals(policy.Type, "onedrive", StringComparison.OrdinalIgnoreCase);
            var inPlace = existing != null && Transfers.ReplacesInPlace && !emptyOnOneDrive;
            var uploadName = existing == null || inPlace ? _name : TemporaryName(_name);
            if (emptyOnOneDrive)
            {
                // Graph upload sessions cannot carry 0 bytes; the server creates empty files itself.
                Status = "Creating an empty file";
                await _session.Backend.CreateFileAsync(Cloudreve.RemotePath.Combine(_folder, uploadName), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await UploadAsync(uploadName, policy, length, modified, inPlace, options, cancellationToken).ConfigureAwait(false);
            }

            _file.Refresh();
            if (_file.Length != length || _file.LastWriteTimeUtc != modified)
            {
                if (!inPlace)
                {
                    await TryDeleteUploadedAsync(uploadName, options).ConfigureAwait(false);
                }

                throw new CloudreveException(CloudreveErrorKind.TransferFailed, inPlace
                    ? $"'{_file.FullName}' changed while it was being sent; the remote file may hold a mix of old and new content. Send it again."
                    : $"'{_file.FullName}' changed while it was being sent; the upload was discarded. Send it again.");
            }

            return new Sent(uploadName, length, policy.Type, inPlace ? null : existing, inPlace);
        }

        /// <summary>What the transfer phase hands to the finishing phase.</summary>
        private sealed class Sent
        {
            public Sent(string uploadName, long length, string policyType, CloudreveFile? existing, bool inPlace)
            {
                InPlace = inPlace;
                UploadName = uploadName;
                Length = length;
                PolicyType = policyType;
                Existing = existing;
            }

            public string UploadName { get; }

            public long Length { get; }

            public string PolicyType { get; }

            public CloudreveFile? Existing { get; }

            /// <summary>The content went into the existing file as a new version.</summary>
            public bool InPlace { get; }
        }

        /// <summary>Runs outside the throttle: checks what arrived, replaces the old file (-Force), finds the new item (-PassThru).</summary>
        public override async Task<object?> FinishAsync(object? transferred, TransferOptions options, CancellationToken cancellationToken)
        {
            var sent = (Sent)transferred!;
            var uploadName = sent.UploadName;
            var length = sent.Length;
            var existing = sent.Existing;
            Status = "Checking the upload";
            var uploaded = await FindUploadedAsync(uploadName, length, sent.PolicyType, cancellationToken).ConfigureAwait(false);
            if (uploaded == null || uploaded.Size != length)
            {
                if (uploaded != null && !sent.InPlace)
                {
                    await TryDeleteAsync(uploaded).ConfigureAwait(false);
                }

                throw new CloudreveException(CloudreveErrorKind.TransferFailed,
                    $"'{Cloudreve.RemotePath.Combine(_folder, uploadName)}' did not arrive whole (the server lists {(uploaded == null ? "no such file" : uploaded.Size + " bytes")}, {length} were sent).");
            }

            if (existing != null)
            {
                Status = "Replacing the old file";
                await ReplaceAsync(existing, uploaded, cancellationToken).ConfigureAwait(false);
            }

            _locator.Forget(_folder);
            if (!_passThru)
            {
                return null;
            }

            CloudreveFile? item = uploaded;
            if (existing != null)
            {
                var after = await _listings.ListAfterAsync(_folder, DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
                item = after.Children.OfType<CloudreveFile>().FirstOrDefault(c => string.Equals(c.Name, _name, StringComparison.Ordinal));
            }

            if (item != null)
            {
                item.Session = _session;
            }

            return item;
        }

        private async Task<CloudreveFile?> FindUploadedAsync(string uploadName, long length, string policyType, CancellationToken cancellationToken)
        {
            var finished = DateTime.UtcNow;
            // Upyun finishes asynchronously (the storage notifies the server): give it a few looks.
            var looks = string.Equals(policyType, "upyun", StringComparison.OrdinalIgnoreCase) ? 10 : 1;
            CloudreveFile? found = null;
            for (var look = 0; look < looks; look++)
            {
                var listing = await _listings.ListAfterAsync(_folder, finished, cancellationToken).ConfigureAwait(false);
                found = listing.Children.OfType<CloudreveFile>().FirstOrDefault(c => string.Equals(c.Name, uploadName, StringComparison.Ordinal));
                if (found != null && found.Size == length)
                {
                    return found;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                finished = DateTime.UtcNow;
            }

            return found;
        }

        private static string TemporaryName(string name)
        {
            // Keeps the extension so extension limits of the storage policy still pass.
            var tag = Guid.NewGuid().ToString("N").Substring(0, 8);
            var candidate = $".cr-upload-{tag}.{name}";
            return System.Text.Encoding.UTF8.GetByteCount(candidate) < 256 ? candidate : $".cr-upload-{tag}{Path.GetExtension(name)}";
        }

        private async Task UploadAsync(string uploadName, CloudreveStoragePolicy policy, long length, DateTime modifiedUtc, bool inPlace, TransferOptions options, CancellationToken cancellationToken)
        {
            var request = new UploadRequest
            {
                FolderPath = _folder,
                Name = uploadName,
                Size = length,
                LastModified = new DateTimeOffset(modifiedUtc, TimeSpan.Zero),
                Policy = policy,
                ReplaceExisting = inPlace,
            };

            for (var restart = 0; ; restart++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Status = restart == 0 ? "Opening the upload" : $"Restarting the upload ({restart})";
                SetBytes(0);
                var session = await CreateSessionAsync(request, options, cancellationToken).ConfigureAwait(false);
                var keepSession = false;
                try
                {
                    await SendChunksAsync(session, options, cancellationToken).ConfigureAwait(false);
                    Status = "Completing";
                    await CompleteAsync(session, options, cancellationToken).ConfigureAwait(false);
                    keepSession = true;
                    return;
                }
                catch (FinishedElsewhereException)
                {
                    keepSession = true;
                    return;
                }
                catch (CloudreveException ex) when (restart < options.MaxSessionRestarts && (ex.Kind == CloudreveErrorKind.UploadSessionExpired || ex.Kind == CloudreveErrorKind.TransferFailed) && !cancellationToken.IsCancellationRequested)
                {
                    Warnings.Enqueue($"The upload session of '{RemotePath}' failed ({ex.Message}); starting the upload again.");
                }
                finally
                {
                    if (!keepSession)
                    {
                        await CancelQuietlyAsync(session.SessionId, options).ConfigureAwait(false);
                    }
                }
            }
        }

        private async Task<UploadSession> CreateSessionAsync(UploadRequest request, TransferOptions options, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await Transfers.CreateUploadSessionAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (attempt < options.MaxAttempts && TransferErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    // The session may have been created although the answer was lost: the name is then held (40054) until cancelled.
                    await TransferErrors.DelayAsync(attempt, options.RetryBaseDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.UploadInProgress && attempt > 1)
                {
                    throw new CloudreveException(CloudreveErrorKind.UploadInProgress,
                        $"{ex.Message} An earlier attempt may have opened the session before the connection failed; Remove its placeholder by cancelling all uploads (the server keeps it up to 1.5 hours).", ex);
                }
            }
        }

        /// <summary>
        /// Completes the upload, trying again when the connection fails. A completion whose answer was lost may
        /// have finished the file: a later attempt that finds the session gone is settled by the listing.
        /// </summary>
        private async Task CompleteAsync(UploadSession session, TransferOptions options, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await Transfers.CompleteUploadAsync(session, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < options.MaxAttempts && TransferErrors.IsTransient(ex))
                {
                    Status = $"Completing failed ({ex.GetType().Name}); retrying";
                    await TransferErrors.DelayAsync(attempt, options.RetryBaseDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.UploadSessionExpired && attempt > 1)
                {
                    if (await IsListedWholeAsync(session, cancellationToken).ConfigureAwait(false))
                    {
                        throw new FinishedElsewhereException();
                    }

                    throw;
                }
            }
        }

        private async Task SendChunksAsync(UploadSession session, TransferOptions options, CancellationToken cancellationToken)
        {
            var count = session.ChunkCount;
            for (var index = 0; index < count; index++)
            {
                var offset = session.ChunkOffset(index);
                var chunkLength = session.ChunkLength(index);
                for (var attempt = 1; ; attempt++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Status = count == 1 ? "Sending" : $"Sending part {index + 1} of {count}";
                    SetBytes(offset);
                    try
                    {
                        _ = await Transfers.SendChunkAsync(session, index,
                            () => new ChunkContent(_file.FullName, offset, chunkLength, AddBytes, cancellationToken),
                            attempt > 1, cancellationToken).ConfigureAwait(false);
                        SetBytes(offset + chunkLength);
                        break;
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < options.MaxAttempts && TransferErrors.IsTransient(ex))
                    {
                        Status = $"Part {index + 1} failed ({ex.GetType().Name}); retrying";
                        await TransferErrors.DelayAsync(attempt, options.RetryBaseDelay, cancellationToken).ConfigureAwait(false);
                    }
                    catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.UploadSessionExpired && attempt > 1 && index == count - 1)
                    {
                        // The answer to the last chunk was lost, but the server may have finished the file.
                        var listing = await _locator.ListAsync(_folder, cancellationToken, fresh: true).ConfigureAwait(false);
                        if (listing.Children.OfType<CloudreveFile>().Any(f => f.Name == session.Request.Name && f.Size == session.Request.Size))
                        {
                            throw new FinishedElsewhereException();
                        }

                        throw;
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt > 1 && index == count - 1 && TransferErrors.IsTransient(ex))
                    {
                        // The attempts are used up, but an earlier one may have stored the last part and finished the
                        // file with its answer lost (placeholders are never listed, so a listed file of the full size is done).
                        if (await IsListedWholeAsync(session, cancellationToken).ConfigureAwait(false))
                        {
                            throw new FinishedElsewhereException();
                        }

                        throw TransferErrors.Describe(ex, $"Sending part {index + 1} of {count} of '{_file.FullName}'");
                    }
                    catch (Exception ex) when (!(ex is CloudreveException) && !(ex is OperationCanceledException))
                    {
                        throw TransferErrors.Describe(ex, $"Sending '{_file.FullName}'");
                    }
                }
            }
        }

        private async Task<bool> IsListedWholeAsync(UploadSession session, CancellationToken cancellationToken)
        {
            try
            {
                var listing = await _locator.ListAsync(_folder, cancellationToken, fresh: true).ConfigureAwait(false);
                return listing.Children.OfType<CloudreveFile>().Any(f => f.Name == session.Request.Name && f.Size == session.Request.Size);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && TransferErrors.IsTransient(ex))
            {
                return false;
            }
        }

        private async Task ReplaceAsync(CloudreveFile old, CloudreveFile uploaded, CancellationToken cancellationToken)
        {
            var listing = await _locator.ListAsync(_folder, cancellationToken, fresh: true).ConfigureAwait(false);
            var current = listing.Children.OfType<CloudreveFile>().FirstOrDefault(c => c.Name == _name) ?? old;
            try
            {
                await _session.Backend.DeleteAsync(new CloudreveItem[] { current }, false, false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                await TryDeleteAsync(uploaded).ConfigureAwait(false);
                throw;
            }

            // From here on the old file is gone: finish the rename even if Ctrl+C arrives.
            await _session.Backend.RenameAsync(uploaded, _name, CancellationToken.None).ConfigureAwait(false);
        }

        private async Task TryDeleteUploadedAsync(string uploadName, TransferOptions options)
        {
            try
            {
                using var cts = new CancellationTokenSource(options.CleanupTimeout);
                var listing = await _locator.ListAsync(_folder, cts.Token, fresh: true).ConfigureAwait(false);
                var uploaded = listing.Children.OfType<CloudreveFile>().FirstOrDefault(c => c.Name == uploadName);
                if (uploaded != null)
                {
                    await _session.Backend.DeleteAsync(new CloudreveItem[] { uploaded }, false, false, cts.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                Warnings.Enqueue($"Could not remove the discarded upload '{Cloudreve.RemotePath.Combine(_folder, uploadName)}': {ex.Message}");
            }
        }

        private async Task TryDeleteAsync(CloudreveItem item)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _session.Backend.DeleteAsync(new[] { item }, false, false, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                Warnings.Enqueue($"Could not remove '{item.Path}': {ex.Message}");
            }
        }

        private async Task CancelQuietlyAsync(string sessionId, TransferOptions options)
        {
            try
            {
                using var cts = new CancellationTokenSource(options.CleanupTimeout);
                await Transfers.CancelUploadAsync(sessionId, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                Warnings.Enqueue($"Could not cancel the upload session {sessionId} of '{RemotePath}': {ex.Message}");
            }
        }

        private sealed class FinishedElsewhereException : Exception
        {
        }
    }
}

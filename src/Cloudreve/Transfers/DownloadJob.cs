using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// Receives one remote file into a temporary file next to the target, resuming broken streams with
    /// Range requests (and a fresh URL when the old one expired), large files over several ranged
    /// streams at once; then checks the size, sets the modified time and renames into place.
    /// </summary>
    internal sealed class DownloadJob : TransferJob
    {
        private readonly CloudreveSession _session;
        private readonly CloudreveFile _file;
        private readonly string _target;
        private readonly bool _force;
        private readonly SemaphoreSlim _urlGate = new SemaphoreSlim(1, 1);
        private Uri? _url;
        private int _urlGeneration;
        private volatile bool _urlPerRequest;

        public DownloadJob(CloudreveSession session, CloudreveFile file, string localPath, bool force)
            : base(file.Name, localPath, file.Size)
        {
            _session = session;
            _file = file;
            _target = localPath;
            _force = force;
        }

        public string LocalPath => _target;

        private ICloudreveDownloadBackend Transfers => (ICloudreveDownloadBackend)_session.Backend;

        public override async Task<object?> RunAsync(TransferOptions options, CancellationToken cancellationToken)
        {
            var folder = Path.GetDirectoryName(_target)!;
            Directory.CreateDirectory(folder);
            if (File.Exists(_target) && !_force)
            {
                throw new CloudreveException(CloudreveErrorKind.Conflict, $"'{_target}' already exists; '{_file.Path}' was not downloaded. Use -Force to replace it.");
            }

            if (Directory.Exists(_target))
            {
                throw new CloudreveException(CloudreveErrorKind.Conflict, $"'{_target}' is a folder; '{_file.Path}' was not downloaded.");
            }

            var temp = Path.Combine(folder, "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".crdownload");
            var done = false;
            try
            {
                long size = _file.Size;
                DateTimeOffset? modified = _file.Modified == default ? (DateTimeOffset?)null : _file.Modified;
                using (var create = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                    create.SetLength(size);
                }

                if (size > 0)
                {
                    Status = "Getting a download URL";
                    _ = await CurrentUrlAsync(cancellationToken).ConfigureAwait(false);
                    await ReceiveAsync(temp, size, options, cancellationToken).ConfigureAwait(false);
                }

                var length = new FileInfo(temp).Length;
                if (length != size)
                {
                    throw new CloudreveException(CloudreveErrorKind.TransferFailed, $"'{_file.Path}' arrived with {length} bytes instead of {size}; nothing was written to '{_target}'.");
                }

                if (modified.HasValue)
                {
                    File.SetLastWriteTimeUtc(temp, modified.Value.UtcDateTime);
                }

                Status = "Finishing";
                if (File.Exists(_target))
                {
                    if (!_force)
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict, $"'{_target}' appeared while '{_file.Path}' was being downloaded; it was left alone.");
                    }

                    File.Replace(temp, _target, null, true);
                }
                else
                {
                    File.Move(temp, _target);
                }

                done = true;
                if (modified.HasValue)
                {
                    File.SetLastWriteTimeUtc(_target, modified.Value.UtcDateTime);
                }

                return new FileInfo(_target);
            }
            finally
            {
                if (!done)
                {
                    TryDelete(temp);
                }
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private async Task<Uri> CurrentUrlAsync(CancellationToken cancellationToken)
        {
            if (_url != null)
            {
                return _url;
            }

            await RefreshUrlAsync(-1, cancellationToken).ConfigureAwait(false);
            return _url!;
        }

        /// <summary>Gets a fresh URL unless another stream already did since <paramref name="seenGeneration"/>.</summary>
        private async Task<(Uri Url, int Generation)> RefreshUrlAsync(int seenGeneration, CancellationToken cancellationToken)
        {
            await _urlGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_url == null || _urlGeneration == seenGeneration)
                {
                    _url = await Transfers.GetDownloadUrlAsync(_file, cancellationToken).ConfigureAwait(false);
                    _urlGeneration++;
                }

                return (_url, _urlGeneration);
            }
            finally
            {
                _urlGate.Release();
            }
        }

        private async Task ReceiveAsync(string temp, long size, TransferOptions options, CancellationToken cancellationToken)
        {
            // The first request asks for everything; when the server honours ranges and the file is large,
            // it is cut down to the first segment and the others are fetched at the same time.
            var first = await OpenAsync(0, null, options, cancellationToken).ConfigureAwait(false);
            if (first.TotalLength.HasValue && first.TotalLength.Value != size)
            {
                first.Dispose();
                throw new CloudreveException(CloudreveErrorKind.TransferFailed,
                    $"'{_file.Path}' changed on the server ({first.TotalLength.Value} bytes now, {size} when it was listed); nothing was written to '{_target}'. Get the item again and retry.");
            }

            var segments = new List<(long Start, long End)>();
            if (first.AcceptsRanges && size >= options.SegmentThreshold && options.MaxSegments > 1)
            {
                var count = (int)Math.Min(options.MaxSegments, Math.Max(1, size / (16L * 1024 * 1024)));
                var each = size / count;
                for (var i = 0; i < count; i++)
                {
                    var start = i * each;
                    var end = i == count - 1 ? size - 1 : ((i + 1) * each) - 1;
                    segments.Add((start, end));
                }
            }
            else
            {
                segments.Add((0, size - 1));
            }

            if (segments.Count > 1)
            {
                Status = $"Receiving over {segments.Count} streams";
            }
            else
            {
                Status = "Receiving";
            }

            using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tasks = segments.Select((s, i) => ReceiveSegmentAsync(temp, s.Start, s.End, i == 0 ? first : null, segments.Count > 1, options, failFast)).ToArray();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                // Surface the first real failure rather than the cancellations it caused.
                var real = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => !(e is OperationCanceledException));
                if (real != null && !cancellationToken.IsCancellationRequested)
                {
                    throw real;
                }

                throw;
            }
        }

        private async Task ReceiveSegmentAsync(string temp, long start, long end, DownloadResponse? initial, bool ranged, TransferOptions options, CancellationTokenSource failFast)
        {
            var cancellationToken = failFast.Token;
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkContent.BufferSize);
            var position = start;
            var attempt = 0;
            try
            {
                using var output = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
                var response = initial;
                while (position <= end)
                {
                    try
                    {
                        if (response == null)
                        {
                            response = await OpenAsync(position, ranged || position > 0 ? end : (long?)null, options, cancellationToken).ConfigureAwait(false);
                        }

                        if (response.Offset != position)
                        {
                            if (response.Offset != 0 || position == 0)
                            {
                                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"The server sent bytes from {response.Offset} when {position} was asked for.");
                            }

                            // The server ignored the range: skip what is already on disk.
                            await SkipAsync(response.Body, position, buffer, cancellationToken).ConfigureAwait(false);
                        }

                        output.Seek(position, SeekOrigin.Begin);
                        var progressed = false;
                        using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                        {
                            while (position <= end)
                            {
                                var want = (int)Math.Min(buffer.Length, end - position + 1);
                                readTimeout.CancelAfter(options.ReadTimeout);
                                int read;
                                try
                                {
                                    read = await response.Body.ReadAsync(buffer, 0, want, readTimeout.Token).ConfigureAwait(false);
                                }
                                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                                {
                                    throw new CloudreveException(CloudreveErrorKind.Timeout, $"No data arrived for '{_file.Path}' for {options.ReadTimeout.TotalSeconds} seconds.");
                                }

                                if (read == 0)
                                {
                                    break;
                                }

                                await output.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                                position += read;
                                AddBytes(read);
                                progressed = true;
                            }
                        }

                        response.Dispose();
                        response = null;
                        if (position <= end)
                        {
                            // The stream ended early: resume from here.
                            throw new IOException($"The connection closed after {position} of {end + 1} bytes.");
                        }

                        if (progressed)
                        {
                            attempt = 0;
                        }
                    }
                    catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.DownloadUrlExpired && attempt < options.MaxAttempts && !cancellationToken.IsCancellationRequested)
                    {
                        attempt++;
                        response?.Dispose();
                        response = null;
                        Status = "The download URL expired; getting a fresh one";
                        await RefreshUrlAsync(_urlGeneration, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && TransferErrors.IsTransient(ex) && ++attempt < options.MaxAttempts)
                    {
                        response?.Dispose();
                        response = null;
                        Status = $"Connection lost at byte {position}; resuming";
                        await TransferErrors.DelayAsync(attempt, options.RetryBaseDelay, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException))
                    {
                        response?.Dispose();
                        throw TransferErrors.Describe(ex, $"Receiving '{_file.Path}'");
                    }
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                failFast.Cancel();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private async Task<DownloadResponse> OpenAsync(long offset, long? end, TransferOptions options, CancellationToken cancellationToken)
        {
            if (_urlPerRequest)
            {
                // One-time download URLs: every request needs its own.
                var single = await Transfers.GetDownloadUrlAsync(_file, cancellationToken).ConfigureAwait(false);
                return await Transfers.OpenDownloadAsync(single, offset, end, cancellationToken).ConfigureAwait(false);
            }

            var (url, generation) = (await CurrentUrlAsync(cancellationToken).ConfigureAwait(false), _urlGeneration);
            try
            {
                return await Transfers.OpenDownloadAsync(url, offset, end, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.DownloadUrlExpired)
            {
                if (ex.ServerCode == 404)
                {
                    // "Download session not exist" for a URL that was fine a moment ago: the group downloads once per URL.
                    _urlPerRequest = true;
                    var single = await Transfers.GetDownloadUrlAsync(_file, cancellationToken).ConfigureAwait(false);
                    return await Transfers.OpenDownloadAsync(single, offset, end, cancellationToken).ConfigureAwait(false);
                }

                (url, _) = await RefreshUrlAsync(generation, cancellationToken).ConfigureAwait(false);
                return await Transfers.OpenDownloadAsync(url, offset, end, cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task SkipAsync(Stream body, long count, byte[] buffer, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                var read = await body.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The connection closed while skipping bytes already received.");
                }

                count -= read;
            }
        }
    }
}

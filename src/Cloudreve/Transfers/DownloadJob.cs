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
        private readonly DownloadUrls _urls;

        /// <param name="urlPool">Shared by the jobs of one command and session: first URLs fetched for many files per request.</param>
        public DownloadJob(CloudreveSession session, CloudreveFile file, string localPath, bool force, DownloadUrlPool? urlPool = null)
            : base(file.Name, localPath, file.Size)
        {
            _session = session;
            _file = file;
            _target = localPath;
            _force = force;
            if (file.Size > 0)
            {
                // Empty files need no URL (nothing is fetched).
                urlPool?.Register(file);
            }

            _urls = new DownloadUrls((ICloudreveDownloadBackend)session.Backend, file, file.Size > 0 ? urlPool : null);
        }

        public string LocalPath => _target;

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
                    await _urls.PrepareAsync(cancellationToken).ConfigureAwait(false);
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

        private async Task ReceiveAsync(string temp, long size, TransferOptions options, CancellationToken cancellationToken)
        {
            // The first request asks for everything; when the server honours ranges and the file is large,
            // it is cut down to the first segment and the others are fetched at the same time.
            var first = await OpenFirstAsync(options, cancellationToken).ConfigureAwait(false);
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

        /// <summary>The first request (the whole file), with the same attempts as every later one.</summary>
        private async Task<DownloadResponse> OpenFirstAsync(TransferOptions options, CancellationToken cancellationToken)
        {
            var budget = new RetryBudget(options);
            while (true)
            {
                try
                {
                    return await _urls.OpenAsync(0, null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    if (!budget.TryAgain(ex, cancellationToken))
                    {
                        throw TransferErrors.Describe(ex, $"Receiving '{_file.Path}'");
                    }

                    Status = $"Retrying ({TransferErrors.Reason(ex)})";
                    await budget.WaitAsync(ex, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task ReceiveSegmentAsync(string temp, long start, long end, DownloadResponse? initial, bool ranged, TransferOptions options, CancellationTokenSource failFast)
        {
            var cancellationToken = failFast.Token;
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkContent.BufferSize);
            var position = start;
            var budget = new RetryBudget(options);
            try
            {
                using var output = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
                var response = initial;
                while (position <= end)
                {
                    var reached = position;
                    try
                    {
                        if (response == null)
                        {
                            response = await _urls.OpenAsync(position, ranged || position > 0 ? end : (long?)null, cancellationToken).ConfigureAwait(false);
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
                            }
                        }

                        response.Dispose();
                        response = null;
                        if (position <= end)
                        {
                            // The stream ended early: resume from here.
                            throw new IOException($"The connection closed after {position} of {end + 1} bytes.");
                        }
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException))
                    {
                        response?.Dispose();
                        response = null;
                        if (position > reached)
                        {
                            // The next attempt resumes from the bytes already written: the budget starts again.
                            budget.Progressed();
                        }

                        if (!budget.TryAgain(ex, cancellationToken))
                        {
                            throw TransferErrors.Describe(ex, $"Receiving '{_file.Path}'");
                        }

                        Status = $"Resuming at byte {position} ({TransferErrors.Reason(ex)})";
                        await budget.WaitAsync(ex, cancellationToken).ConfigureAwait(false);
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

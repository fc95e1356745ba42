using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Text;
using Cloudreve.Commands;
using Cloudreve.Transfers;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    /// <remarks>
    /// Content goes through the transfer code and streams: Get-Content reads a <see cref="DownloadStream"/>
    /// (resumes with Range, fresh URLs on expiry) and decodes as it goes; Set-Content and Add-Content write
    /// to a temporary local file and store it on close (<see cref="Store"/>), so memory does not grow with the
    /// file size.
    /// </remarks>
    public sealed partial class CloudreveProvider
    {
        /// <summary>
        /// Largest content written in place through PUT /file/update/{id} (existing files of the local policy).
        /// </summary>
        /// <remarks>
        /// The update route keeps the file's id, and with it its shares, source links and the id other clients
        /// hold, which is what editing a small text file (a config, a log) should do. It is kept for small files
        /// only: Cloudreve 3.8.3 checks policy, extension and quota before it reads the body (a refusal leaves the
        /// old content), but it then overwrites the stored file in place, so a connection lost halfway through
        /// the body can leave it cut short; one small request makes that window small. It is also a single
        /// request with no chunks and no retries, and only the local policy stores it itself. Everything larger,
        /// every new file and every other policy goes through the transfer engine (<see cref="UploadJob"/>):
        /// chunks with retries, and an existing file is replaced only after the new content arrived whole
        /// under a temporary name, at the cost of a new id.
        /// </remarks>
        internal const long InPlaceLimit = 4L * 1024 * 1024;

        public IContentReader? GetContentReader(string path)
        {
            try
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                if (!(item is CloudreveFile file))
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is a folder; only files have content.");
                }

                var options = DynamicParameters as ContentReaderParameters ?? new ContentReaderParameters();
                var download = new DownloadStream(Downloads(target.Drive.Session), file, new TransferOptions());
                try
                {
                    Run(ct => download.OpenAsync(ct));
                }
                catch
                {
                    download.Dispose();
                    throw;
                }

                return new ContentReader(this, download, options, Display(target));
            }
            catch (CloudreveException ex)
            {
                WriteError(Record(ex, path));
                return null;
            }
        }

        public object GetContentReaderDynamicParameters(string path) => new ContentReaderParameters();

        public IContentWriter? GetContentWriter(string path)
        {
            try
            {
                var target = Resolve(path);
                var item = Find(target);
                if (item is CloudreveFolder)
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is a folder; only files have content.");
                }

                if (item == null)
                {
                    RemotePath.ValidateName(RemotePath.GetName(target.Remote));
                    if (!(Find(new Target(target.Drive, RemotePath.GetParent(target.Remote))) is CloudreveFolder))
                    {
                        throw new CloudreveException(CloudreveErrorKind.NotFound, $"Cannot write '{target.Remote}': the folder '{RemotePath.GetParent(target.Remote)}' does not exist.");
                    }
                }

                var options = DynamicParameters as ContentWriterParameters ?? new ContentWriterParameters();
                return new ContentWriter(this, target, options);
            }
            catch (CloudreveException ex)
            {
                WriteError(Record(ex, path));
                return null;
            }
            catch (IOException ex)
            {
                WriteError(TransferHost.ToErrorRecord(ex, path));
                return null;
            }
        }

        public object GetContentWriterDynamicParameters(string path) => new ContentWriterParameters();

        public void ClearContent(string path)
        {
            if (DynamicParameters is ContentWriterParameters)
            {
                // Set-Content clears the item before it opens the writer. The writer replaces the whole content
                // when it closes, so clearing first would only lose the old content if that upload then failed.
                return;
            }

            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target);
                if (item == null)
                {
                    throw new ItemNotFoundException($"Cannot find '{target.Remote}' because it does not exist.");
                }

                if (!(item is CloudreveFile file))
                {
                    throw new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is a folder; only files have content.");
                }

                if (file.Size == 0)
                {
                    return; // nothing to clear: no request
                }

                if (!ShouldProcess(Display(target), "Clear content"))
                {
                    return;
                }

                StoreBytes(target, Array.Empty<byte>());
            });
        }

        public object? ClearContentDynamicParameters(string path) => null;

        private static ICloudreveTransferBackend Transfers(CloudreveSession session) =>
            session.Backend as ICloudreveTransferBackend ?? throw FeatureSupport.NotSupported(session, "Writing file content on the drive");

        private static ICloudreveDownloadBackend Downloads(CloudreveSession session) =>
            session.Backend as ICloudreveDownloadBackend ?? throw FeatureSupport.NotSupported(session, "Reading file content on the drive");

        /// <summary>Stores bytes already in memory (New-Item -Value, Clear-Content) through a temporary file, like the writer.</summary>
        private void StoreBytes(Target target, byte[] content)
        {
            var temp = NewTemporaryFile();
            try
            {
                File.WriteAllBytes(temp, content);
                Store(target, temp, null);
            }
            finally
            {
                TryDeleteLocal(temp);
            }
        }

        private static string NewTemporaryFile() =>
            Path.Combine(Path.GetTempPath(), "cloudreve-content-" + Guid.NewGuid().ToString("N").Substring(0, 16) + ".tmp");

        private static void TryDeleteLocal(string path)
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

        /// <summary>
        /// Makes the local file <paramref name="local"/> the whole content of the remote file: in place for small
        /// files of the local policy (see <see cref="InPlaceLimit"/>), otherwise through the transfer engine,
        /// which replaces an existing file only after the new content arrived whole. <paramref name="appendedTo"/>
        /// is the file whose content Add-Content copied first: if it changed meanwhile, nothing is stored.
        /// </summary>
        private void Store(Target target, string local, CloudreveFile? appendedTo)
        {
            var session = target.Drive.Session;
            var folder = RemotePath.GetParent(target.Remote);
            var name = RemotePath.GetName(target.Remote);
            try
            {
                var listing = List(target.Drive, folder, fresh: true);
                var same = listing.Children.Where(c => string.Equals(c.Name, name, StringComparison.Ordinal)).ToArray();
                if (same.OfType<CloudreveFolder>().Any())
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict, $"'{target.Remote}' is a folder.");
                }

                var file = same.OfType<CloudreveFile>().FirstOrDefault();
                if (appendedTo != null && (file == null || file.Id != appendedTo.Id || file.Size != appendedTo.Size))
                {
                    throw new CloudreveException(CloudreveErrorKind.Conflict,
                        $"'{target.Remote}' changed on the server while content was being added to it; nothing was written. Run the command again.");
                }

                var length = new FileInfo(local).Length;
                if (file == null && length == 0)
                {
                    Run(ct => session.Backend.CreateFileAsync(target.Remote, ct));
                    return;
                }

                if (file != null && file.Size == 0 && length == 0)
                {
                    return;
                }

                if (file != null && length <= InPlaceLimit && string.Equals(listing.Policy?.Type, "local", StringComparison.OrdinalIgnoreCase) && session.Backend is IContentBackend)
                {
                    var content = Content(session);
                    Run(ct => content.ReplaceContentAsync(file, () => new ChunkContent(local, 0, length, null, ct), ct));
                    return;
                }

                Transfers(session); // a backend without uploads fails here with one clear error
                var job = new UploadJob(session, new ItemLocator(session), new ListingCoalescer(session.Backend), new FileInfo(local), folder, force: true, passThru: false, remoteName: name);
                RunTransfer(job, "Writing " + Display(target));
            }
            finally
            {
                ItemChanges.Changed(session, target.Remote);
            }
        }

        /// <summary>Runs one transfer job on the pipeline thread's behalf: progress, verbose lines, warnings, Ctrl+C.</summary>
        private void RunTransfer(TransferJob job, string activity)
        {
            var options = new TransferOptions();
            var id = Math.Abs(activity.GetHashCode() % 100000) + 100;
            var lastProgress = DateTime.UtcNow;
            var shown = false;
            try
            {
                Run(async ct =>
                    {
                        var sent = await job.RunAsync(options, ct).ConfigureAwait(false);
                        return await job.FinishAsync(sent, options, ct).ConfigureAwait(false);
                    },
                    () =>
                    {
                        if (DateTime.UtcNow - lastProgress < TimeSpan.FromMilliseconds(500))
                        {
                            return;
                        }

                        lastProgress = DateTime.UtcNow;
                        shown = true;
                        var done = Math.Min(job.DoneBytes, job.TotalBytes);
                        WriteProgress(new ProgressRecord(id, activity, $"{job.Status}: {SizeFormatter.Format(done)} of {SizeFormatter.Format(job.TotalBytes)}")
                        {
                            PercentComplete = job.TotalBytes > 0 ? (int)(done * 100 / job.TotalBytes) : 0,
                        });
                    });
            }
            finally
            {
                while (job.Warnings.TryDequeue(out var warning))
                {
                    WriteWarning(warning);
                }

                if (shown)
                {
                    try
                    {
                        WriteProgress(new ProgressRecord(id, activity, "Done") { RecordType = ProgressRecordType.Completed });
                    }
                    catch (PipelineStoppedException)
                    {
                    }
                }
            }
        }

        /// <summary>Reads a download stream as lines, as one string (-Raw) or as bytes (-AsByteStream), decoding as it goes.</summary>
        private sealed class ContentReader : IContentReader
        {
            /// <summary>Bytes per block for -AsByteStream -ReadCount 0 (and the read buffer of byte mode).</summary>
            private const int ByteBlock = 1024 * 1024;

            private readonly CloudreveProvider _provider;
            private readonly DownloadStream _download;
            private readonly Stream _stream;
            private readonly ContentReaderParameters _options;
            private readonly string _display;
            private readonly StreamReader? _text;
            private bool _rawDone;
            private bool _closed;
            private Queue<string>? _tail;

            public ContentReader(CloudreveProvider provider, DownloadStream download, ContentReaderParameters options, string display)
            {
                _provider = provider;
                _download = download;
                _options = options;
                _display = display;
                var stoppable = new StoppableStream(provider, download);
                if (options.UsesBytes)
                {
                    // Get-Content reads one byte per call by default: serve those from a buffer, not one request each.
                    _stream = new BufferedStream(stoppable, 81920);
                }
                else
                {
                    _stream = stoppable;
                    _text = new StreamReader(stoppable, options.GetEncoding(), detectEncodingFromByteOrderMarks: true, bufferSize: 65536);
                }
            }

            public IList Read(long readCount)
            {
                if (_provider.Stopping)
                {
                    return Array.Empty<object>();
                }

                var limit = readCount <= 0 ? long.MaxValue : readCount;
                if (_text == null)
                {
                    return ReadBytes(readCount);
                }

                var result = new List<object>();
                if (_options.LastLines > 0 && !_options.Raw)
                {
                    if (_tail == null)
                    {
                        // -LastLines: Get-Content's own -Tail works for the FileSystem provider only. The whole
                        // file streams past; only the last lines are kept.
                        _tail = new Queue<string>();
                        string? next;
                        while ((next = _text.ReadLine()) != null)
                        {
                            if (_provider.Stopping)
                            {
                                return result;
                            }

                            _tail.Enqueue(next);
                            if (_tail.Count > _options.LastLines)
                            {
                                _tail.Dequeue();
                            }
                        }
                    }

                    while (result.Count < limit && _tail.Count > 0)
                    {
                        result.Add(_tail.Dequeue());
                    }

                    return result;
                }

                if (_options.Raw)
                {
                    if (!_rawDone)
                    {
                        _rawDone = true;
                        result.Add(_text.ReadToEnd());
                    }

                    return result;
                }

                while (result.Count < limit)
                {
                    var line = _text.ReadLine();
                    if (line == null)
                    {
                        break;
                    }

                    result.Add(line);
                    if ((result.Count & 1023) == 0 && _provider.Stopping)
                    {
                        break;
                    }
                }

                return result;
            }

            /// <summary>
            /// Bytes as byte arrays (an IList that Get-Content counts and writes like any other): -ReadCount n gives
            /// arrays of n bytes; -ReadCount 0 gives blocks of 1 MiB, so the whole file is never in memory at once;
            /// -Raw gives the whole content as one array, as the FileSystem provider does.
            /// </summary>
            private IList ReadBytes(long readCount)
            {
                if (_options.Raw)
                {
                    if (_rawDone)
                    {
                        return Array.Empty<object>();
                    }

                    // One item, the array (Get-Content writes the first item of each read when -ReadCount is 1).
                    _rawDone = true;
                    using var all = new MemoryStream();
                    _stream.CopyTo(all, ByteBlock);
                    return new object[] { all.ToArray() };
                }

                var want = readCount <= 0 ? ByteBlock : readCount;
                if (want <= ByteBlock)
                {
                    var buffer = new byte[want];
                    var read = 0;
                    while (read < buffer.Length)
                    {
                        var n = _stream.Read(buffer, read, buffer.Length - read);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }

                    if (read == buffer.Length)
                    {
                        return buffer;
                    }

                    var exact = new byte[read];
                    Buffer.BlockCopy(buffer, 0, exact, 0, read);
                    return exact;
                }

                using var gathered = new MemoryStream();
                var block = new byte[ByteBlock];
                while (gathered.Length < want && !_provider.Stopping)
                {
                    var n = _stream.Read(block, 0, (int)Math.Min(block.Length, want - gathered.Length));
                    if (n == 0)
                    {
                        break;
                    }

                    gathered.Write(block, 0, n);
                }

                return gathered.ToArray();
            }

            public void Seek(long offset, SeekOrigin origin) =>
                throw new PSNotSupportedException("Cloudreve content is read from the start.");

            public void Close() => Dispose();

            public void Dispose()
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                var total = _download.TotalLength;
                var read = _download.BytesRead;
                _text?.Dispose();
                _stream.Dispose();
                _download.Dispose();
                try
                {
                    var early = total.HasValue && read < total.Value ? "; the rest was not downloaded" : string.Empty;
                    _provider.WriteVerbose($"Read {read} of {(total.HasValue ? total.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} bytes of '{_display}' over {_download.Connections} connection(s){early}.");
                }
                catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException)
                {
                }
            }
        }

        /// <summary>
        /// A download read block by block through Run: Ctrl+C (Stopping) interrupts a read that waits
        /// on a slow or stalled server instead of blocking the pipeline thread.
        /// </summary>
        private sealed class StoppableStream : Stream
        {
            private readonly CloudreveProvider _provider;
            private readonly Stream _inner;

            public StoppableStream(CloudreveProvider provider, Stream inner)
            {
                _provider = provider;
                _inner = inner;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                try
                {
                    return _provider.Run(ct => _inner.ReadAsync(buffer, offset, count, ct));
                }
                catch (IOException ex)
                {
                    throw new CloudreveException(CloudreveErrorKind.ServerUnreachable, $"The download broke off: {ex.Message}", ex);
                }
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }

        /// <summary>
        /// Writes what Set-Content/Add-Content send to a temporary local file (Add-Content copies the existing
        /// content in first, through the download stream) and stores that file on Close.
        /// </summary>
        private sealed class ContentWriter : IContentWriter
        {
            private readonly CloudreveProvider _provider;
            private readonly Target _target;
            private readonly ContentWriterParameters _options;
            private readonly Encoding _encoding;
            private readonly string _tempPath;
            private readonly FileStream _temp;
            private CloudreveFile? _appendedTo;
            private long _existingBytes;
            private bool _started;
            private bool _failed;
            private bool _closed;

            public ContentWriter(CloudreveProvider provider, Target target, ContentWriterParameters options)
            {
                _provider = provider;
                _target = target;
                _options = options;
                _encoding = options.GetEncoding();
                _tempPath = NewTemporaryFile();
                _temp = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 65536);
            }

            public IList Write(IList content)
            {
                if (_failed)
                {
                    return content;
                }

                Start();
                foreach (var entry in content)
                {
                    var value = entry is PSObject ps ? ps.BaseObject : entry;
                    if (_options.UsesBytes)
                    {
                        if (value is byte b)
                        {
                            _temp.WriteByte(b);
                        }
                        else if (value is byte[] bytes)
                        {
                            _temp.Write(bytes, 0, bytes.Length);
                        }
                        else
                        {
                            _temp.WriteByte(LanguagePrimitives.ConvertTo<byte>(value));
                        }

                        continue;
                    }

                    var text = value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value);
                    if (!_options.NoNewline)
                    {
                        text += Environment.NewLine;
                    }

                    var encoded = _encoding.GetBytes(text);
                    _temp.Write(encoded, 0, encoded.Length);
                }

                return content;
            }

            /// <summary>Add-Content seeks to the end: the existing content is copied into the temporary file first.</summary>
            public void Seek(long offset, SeekOrigin origin)
            {
                if (offset != 0 || origin != SeekOrigin.End)
                {
                    throw new PSNotSupportedException("Cloudreve content is written as a whole; it can only be appended to.");
                }

                if (_started || _appendedTo != null)
                {
                    return;
                }

                try
                {
                    var file = _provider.Find(_target, fresh: true) as CloudreveFile;
                    if (file == null)
                    {
                        return;
                    }

                    _appendedTo = file;
                    if (file.Size == 0)
                    {
                        return;
                    }

                    using var download = new DownloadStream(Downloads(_target.Drive.Session), file, new TransferOptions());
                    using var source = new StoppableStream(_provider, download);
                    source.CopyTo(_temp, 1024 * 1024);
                    _existingBytes = download.BytesRead;
                    if (_existingBytes != file.Size)
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict,
                            $"'{file.Path}' changed on the server while its content was being read ({_existingBytes} bytes read, {file.Size} listed); nothing was written. Run the command again.");
                    }
                }
                catch (CloudreveException ex)
                {
                    // Nothing must be stored now: it would replace the old content with the new lines alone.
                    _failed = true;
                    _provider.WriteError(Record(ex, DrivePath(_target.Drive, _target.Remote)));
                }
                catch (IOException ex)
                {
                    _failed = true;
                    _provider.WriteError(TransferHost.ToErrorRecord(ex, DrivePath(_target.Drive, _target.Remote)));
                }
                catch
                {
                    _failed = true;
                    throw;
                }
            }

            /// <summary>The byte order mark goes first, unless Add-Content appends to content that is already there.</summary>
            private void Start()
            {
                if (_started)
                {
                    return;
                }

                _started = true;
                if (!_options.UsesBytes && _existingBytes == 0)
                {
                    var preamble = _encoding.GetPreamble();
                    _temp.Write(preamble, 0, preamble.Length);
                }
            }

            public void Close()
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                try
                {
                    if (_failed || _provider.Stopping)
                    {
                        // Stopped (Ctrl+C) or the existing content could not be copied: store nothing.
                        return;
                    }

                    Start();
                    _temp.Flush();
                    _temp.Dispose();
                    _provider.Store(_target, _tempPath, _appendedTo);
                }
                catch (CloudreveException ex)
                {
                    // The engine does not report what Close throws: write the error here.
                    _provider.WriteError(Record(ex, DrivePath(_target.Drive, _target.Remote)));
                }
                catch (IOException ex)
                {
                    _provider.WriteError(TransferHost.ToErrorRecord(ex, DrivePath(_target.Drive, _target.Remote)));
                }
                finally
                {
                    _temp.Dispose();
                    TryDeleteLocal(_tempPath);
                }
            }

            public void Dispose()
            {
                // Without Close (the command failed or was stopped) nothing is stored.
                _closed = true;
                _temp.Dispose();
                TryDeleteLocal(_tempPath);
            }
        }
    }

    /// <summary>Shared -Encoding and -AsByteStream of Get-Content and Set-Content on the Cloudreve drive.</summary>
    public abstract class ContentParametersBase
    {
        /// <summary>Text encoding; utf8 (no byte order mark) by default. "Byte" reads and writes bytes.</summary>
        [Parameter]
        [ValidateSet("utf8", "utf8NoBOM", "utf8BOM", "ascii", "unicode", "bigendianunicode", "utf32", "latin1", "byte", IgnoreCase = true)]
        public string Encoding { get; set; } = "utf8";

        /// <summary>Reads or writes bytes instead of text.</summary>
        [Parameter]
        public SwitchParameter AsByteStream { get; set; }

        internal bool UsesBytes => AsByteStream || string.Equals(Encoding, "byte", StringComparison.OrdinalIgnoreCase);

        internal System.Text.Encoding GetEncoding()
        {
            switch ((Encoding ?? "utf8").ToLowerInvariant())
            {
                case "utf8bom": return new UTF8Encoding(true);
                case "ascii": return new ASCIIEncoding();
                case "unicode": return new UnicodeEncoding(false, true);
                case "bigendianunicode": return new UnicodeEncoding(true, true);
                case "utf32": return new UTF32Encoding(false, true);
                case "latin1": return System.Text.Encoding.GetEncoding(28591);
                default: return new UTF8Encoding(false);
            }
        }
    }

    /// <summary>Get-Content parameters of the Cloudreve provider.</summary>
    public sealed class ContentReaderParameters : ContentParametersBase
    {
        /// <summary>Returns the whole content as one string.</summary>
        [Parameter]
        public SwitchParameter Raw { get; set; }

        /// <summary>Returns only the last N lines (Get-Content -Tail works on the FileSystem provider only).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int LastLines { get; set; }
    }

    /// <summary>Set-Content and Add-Content parameters of the Cloudreve provider.</summary>
    public sealed class ContentWriterParameters : ContentParametersBase
    {
        /// <summary>Writes no newline after each value.</summary>
        [Parameter]
        public SwitchParameter NoNewline { get; set; }
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Text;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
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
                var session = target.Drive.Session;
                var stream = Run(ct => Content(session).OpenReadAsync(file, ct));
                return new ContentReader(this, new StoppableStream(this, stream), options);
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
        }

        public object GetContentWriterDynamicParameters(string path) => new ContentWriterParameters();

        public void ClearContent(string path)
        {
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

                var session = target.Drive.Session;
                try
                {
                    Run(ct => Content(session).ReplaceContentAsync(file, Array.Empty<byte>(), ct));
                }
                finally
                {
                    ItemChanges.Changed(session, file.Path);
                }
            });
        }

        public object? ClearContentDynamicParameters(string path) => null;

        /// <summary>Writes the buffered content of a writer: appends to what the file holds (Set-Content cleared it first).</summary>
        private void Commit(Target target, MemoryStream buffer, ContentWriterParameters options)
        {
            var session = target.Drive.Session;
            var file = Find(target, fresh: true) as CloudreveFile;
            var created = false;
            try
            {
                if (file == null)
                {
                    created = true;
                    if (Find(target) is CloudreveFolder)
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict, $"'{target.Remote}' is a folder.");
                    }

                    Run(ct => session.Backend.CreateFileAsync(target.Remote, ct));
                    ItemChanges.Changed(session, target.Remote);
                    file = Find(target, fresh: true) as CloudreveFile ??
                        throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"The server reported '{target.Remote}' as created, but it cannot be found.");
                }

                byte[] content;
                var added = buffer.ToArray();
                if (file.Size > 0)
                {
                    using var existing = new MemoryStream();
                    using (var stream = new StoppableStream(this, Run(ct => Content(session).OpenReadAsync(file, ct))))
                    {
                        stream.CopyTo(existing, 65536);
                    }

                    existing.Write(added, 0, added.Length);
                    content = existing.ToArray();
                }
                else
                {
                    var preamble = options.UsesBytes ? Array.Empty<byte>() : options.GetEncoding().GetPreamble();
                    content = new byte[preamble.Length + added.Length];
                    Buffer.BlockCopy(preamble, 0, content, 0, preamble.Length);
                    Buffer.BlockCopy(added, 0, content, preamble.Length, added.Length);
                }

                if (content.Length == 0 && file.Size == 0)
                {
                    return;
                }

                Run(ct => Content(session).ReplaceContentAsync(file, content, ct));
            }
            catch (CloudreveException) when (created && file != null)
            {
                // Do not leave an empty file behind that the command made and could not fill.
                try
                {
                    var made = file;
                    Run(ct => session.Backend.DeleteAsync(new CloudreveItem[] { made }, false, false, ct));
                }
                catch (CloudreveException)
                {
                }

                throw;
            }
            finally
            {
                ItemChanges.Changed(session, target.Remote);
            }
        }

        /// <summary>Reads a downloaded file as lines, as one string (-Raw) or as bytes (-AsByteStream).</summary>
        private sealed class ContentReader : IContentReader
        {
            private readonly CloudreveProvider _provider;
            private readonly Stream _stream;
            private readonly ContentReaderParameters _options;
            private readonly StreamReader? _text;
            private bool _rawDone;
            private Queue<string>? _tail;

            public ContentReader(CloudreveProvider provider, Stream stream, ContentReaderParameters options)
            {
                _provider = provider;
                _stream = stream;
                _options = options;
                if (!options.UsesBytes)
                {
                    _text = new StreamReader(stream, options.GetEncoding(), detectEncodingFromByteOrderMarks: true, bufferSize: 65536);
                }
            }

            public IList Read(long readCount)
            {
                var result = new List<object>();
                if (_provider.Stopping)
                {
                    return result;
                }

                var limit = readCount <= 0 ? long.MaxValue : readCount;
                try
                {
                    if (_text == null)
                    {
                        var want = (int)Math.Min(limit, 65536);
                        var buffer = new byte[want];
                        var read = 0;
                        while (read < want)
                        {
                            var n = _stream.Read(buffer, read, want - read);
                            if (n == 0)
                            {
                                break;
                            }

                            read += n;
                        }

                        for (var i = 0; i < read; i++)
                        {
                            result.Add(buffer[i]);
                        }

                        return result;
                    }

                    if (_options.LastLines > 0 && !_options.Raw)
                    {
                        if (_tail == null)
                        {
                            // -LastLines: Get-Content's own -Tail works for the FileSystem provider only.
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
                    }

                    return result;
                }
                catch (IOException ex)
                {
                    throw new CloudreveException(CloudreveErrorKind.ServerUnreachable, $"The download broke off: {ex.Message}", ex);
                }
            }

            public void Seek(long offset, SeekOrigin origin) =>
                throw new PSNotSupportedException("Cloudreve content is read from the start.");

            public void Close() => Dispose();

            public void Dispose()
            {
                _text?.Dispose();
                _stream.Dispose();
            }
        }

        /// <summary>
        /// A download body read block by block through Run: Ctrl+C (Stopping) interrupts a read that waits
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

        /// <summary>Buffers what Set-Content/Add-Content write and uploads it once, on Close.</summary>
        private sealed class ContentWriter : IContentWriter
        {
            private readonly CloudreveProvider _provider;
            private readonly Target _target;
            private readonly ContentWriterParameters _options;
            private readonly MemoryStream _buffer = new MemoryStream();
            private readonly Encoding _encoding;
            private bool _closed;

            public ContentWriter(CloudreveProvider provider, Target target, ContentWriterParameters options)
            {
                _provider = provider;
                _target = target;
                _options = options;
                _encoding = options.GetEncoding();
            }

            public IList Write(IList content)
            {
                foreach (var entry in content)
                {
                    var value = entry is PSObject ps ? ps.BaseObject : entry;
                    if (_options.UsesBytes)
                    {
                        if (value is byte b)
                        {
                            _buffer.WriteByte(b);
                        }
                        else if (value is byte[] bytes)
                        {
                            _buffer.Write(bytes, 0, bytes.Length);
                        }
                        else
                        {
                            var converted = LanguagePrimitives.ConvertTo<byte>(value);
                            _buffer.WriteByte(converted);
                        }

                        continue;
                    }

                    var text = value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value);
                    if (!_options.NoNewline)
                    {
                        text += Environment.NewLine;
                    }

                    var encoded = _encoding.GetBytes(text);
                    _buffer.Write(encoded, 0, encoded.Length);
                }

                return content;
            }

            /// <summary>Add-Content seeks to the end: new content is always appended to what the file holds.</summary>
            public void Seek(long offset, SeekOrigin origin)
            {
                if (offset != 0 || origin != SeekOrigin.End)
                {
                    throw new PSNotSupportedException("Cloudreve content is written as a whole; it can only be appended to.");
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
                    _provider.Commit(_target, _buffer, _options);
                }
                catch (CloudreveException ex)
                {
                    // The engine does not report what Close throws: write the error here.
                    _provider.WriteError(Record(ex, DrivePath(_target.Drive, _target.Remote)));
                }
            }

            public void Dispose()
            {
                _buffer.Dispose();
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

// The Get-Content reader of the Cloudreve provider: lines, -Raw, -LastLines and -AsByteStream, decoded as the
// download streams in.

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Provider;
using Cloudreve.Transfers;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
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
    }
}

// The Set-Content/Add-Content writer of the Cloudreve provider: content goes to a temporary local file and is
// stored when the writer closes.

using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Text;
using Cloudreve.Commands;
using Cloudreve.Transfers;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
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
}

// File content on a Cloudreve drive: the Get-Content, Set-Content/Add-Content and Clear-Content entry points.
// How content is stored is in CloudreveProvider.ContentStore.cs; the reader and writer have files of their own.

using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Provider;
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
    }
}

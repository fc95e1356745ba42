// Storing file content on a Cloudreve drive: a local file becomes a remote file's whole content, in place for
// small files of the local policy, otherwise through the transfer engine (with progress, warnings and Ctrl+C).

using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transfers;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
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

        private static ICloudreveTransferBackend Transfers(CloudreveSession session) =>
            session.Backend as ICloudreveTransferBackend ?? throw FeatureSupport.NotSupported(session, "Writing file content on the drive");

        private static ICloudreveDownloadBackend Downloads(CloudreveSession session) =>
            session.Backend as ICloudreveDownloadBackend ?? throw FeatureSupport.NotSupported(session, "Reading file content on the drive");

        private static IContentBackend Content(CloudreveSession session) =>
            session.Backend as IContentBackend ?? throw FeatureSupport.NotSupported(session, "Writing file content on the drive");

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
    }
}

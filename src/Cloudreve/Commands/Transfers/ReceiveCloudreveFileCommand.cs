using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Cloudreve.Transfers;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Downloads remote files (and, with -Recurse, folder trees) to a local folder or file.</summary>
    [Cmdlet(VerbsCommunications.Receive, "CloudreveFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ReceiveCloudreveFileCommand : CloudreveItemInputCmdlet
    {
        private const int ListingConcurrency = 4;
        private readonly List<TransferJob> _jobs = new List<TransferJob>();
        private readonly Dictionary<Guid, DownloadUrlPool?> _urlPools = new Dictionary<Guid, DownloadUrlPool?>();
        private readonly HashSet<string> _targets = new HashSet<string>(LocalNames.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        /// <summary>A local folder (files go inside it) or, for a single file, a local file path. Default: the current location.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Destination { get; set; }

        [Parameter]
        public SwitchParameter Recurse { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(Destination) ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : Destination);
            var destinationIsFolder = Directory.Exists(destination) || (Destination != null && (Destination.EndsWith("/", StringComparison.Ordinal) || Destination.EndsWith("\\", StringComparison.Ordinal)));
            foreach (var item in InputItems())
            {
                var session = SessionFor(item);
                if (!(session.Backend is ICloudreveDownloadBackend))
                {
                    WriteError(TransferHost.ToErrorRecord(FeatureSupport.NotSupported(session, "Downloading files (Receive-CloudreveFile)"), item.Path));
                    continue;
                }

                if (item is CloudreveFile file)
                {
                    string target;
                    try
                    {
                        target = destinationIsFolder || !Directory.Exists(System.IO.Path.GetDirectoryName(destination) ?? string.Empty)
                            ? LocalNames.CombineInside(destination, destination, LocalNames.ToLocalName(file.Name, file.Path), file.Path)
                            : destination;
                    }
                    catch (CloudreveException ex)
                    {
                        WriteError(TransferHost.ToErrorRecord(ex, file.Path));
                        continue;
                    }

                    if (ShouldProcess(file.Path, $"Receive to '{target}'"))
                    {
                        Add(new DownloadJob(session, file, target, Force, UrlPool(session)));
                    }

                    continue;
                }

                if (!Recurse)
                {
                    WriteError(TransferHost.ToErrorRecord(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                        $"'{item.Path}' is a folder. Use -Recurse to receive it with everything inside."), item.Path));
                    continue;
                }

                string localRoot;
                try
                {
                    localRoot = item.Path == RemotePath.Root ? destination : LocalNames.CombineInside(destination, destination, LocalNames.ToLocalName(item.Name, item.Path), item.Path);
                }
                catch (CloudreveException ex)
                {
                    WriteError(TransferHost.ToErrorRecord(ex, item.Path));
                    continue;
                }

                if (ShouldProcess(item.Path, $"Receive folder to '{localRoot}'"))
                {
                    AddTree(session, item, localRoot);
                }
            }
        }

        /// <summary>One URL pool per session: on 4.x the first URLs of many files come from one request.</summary>
        private DownloadUrlPool? UrlPool(CloudreveSession session)
        {
            if (!_urlPools.TryGetValue(session.Id, out var pool))
            {
                pool = DownloadUrlPool.For(session);
                _urlPools[session.Id] = pool;
            }

            return pool;
        }

        private void Add(DownloadJob job)
        {
            if (!_targets.Add(job.LocalPath))
            {
                WriteError(TransferHost.ToErrorRecord(new CloudreveException(CloudreveErrorKind.Conflict,
                    $"Two remote files would be written to '{job.LocalPath}'; only the first is received."), job.LocalPath));
                return;
            }

            _jobs.Add(job);
        }

        private void AddTree(CloudreveSession session, CloudreveItem folder, string localRoot)
        {
            var locator = Locator(session);
            var listings = new ConcurrentDictionary<string, FolderListing>(StringComparer.Ordinal);
            var failures = new ConcurrentQueue<(string, Exception)>();
            Run(ct => locator.WalkAsync(folder.Path, int.MaxValue, ListingConcurrency, l => listings[l.Folder.Path] = l, (p, e) => failures.Enqueue((p, e)), ct));
            foreach (var (path, error) in failures)
            {
                WriteError(TransferHost.ToErrorRecord(error, path));
            }

            // Local folders for every remote folder reached (empty ones included), then the files, in listing order.
            var localFolders = new Dictionary<string, string>(StringComparer.Ordinal) { [folder.Path] = localRoot };
            var order = new Queue<string>();
            order.Enqueue(folder.Path);
            while (order.Count > 0)
            {
                var remote = order.Dequeue();
                if (!listings.TryGetValue(remote, out var listing))
                {
                    continue;
                }

                var local = localFolders[remote];
                try
                {
                    Directory.CreateDirectory(local);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(TransferHost.ToErrorRecord(ex, local));
                    continue;
                }

                foreach (var child in listing.Children)
                {
                    string childLocal;
                    try
                    {
                        childLocal = LocalNames.CombineInside(localRoot, local, LocalNames.ToLocalName(child.Name, child.Path), child.Path);
                    }
                    catch (CloudreveException ex)
                    {
                        WriteError(TransferHost.ToErrorRecord(ex, child.Path));
                        continue;
                    }

                    if (child is CloudreveFile file)
                    {
                        Add(new DownloadJob(session, file, childLocal, Force, UrlPool(session)));
                    }
                    else
                    {
                        localFolders[child.Path] = childLocal;
                        order.Enqueue(child.Path);
                    }
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_jobs.Count == 0)
            {
                return;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
            new TransferHost(this, "Receiving files").Run(_jobs, ThrottleLimit, new TransferOptions(), stop, PassThru ? (Action<object>)WriteObject : _ => { });
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transfers;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Uploads local files (and, with -Recurse, folder trees) into a remote folder.</summary>
    [Cmdlet(VerbsCommunications.Send, "CloudreveFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveFile))]
    public sealed class SendCloudreveFileCommand : CloudreveItemCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private readonly List<(FileSystemInfo Item, string RemoteFolder)> _files = new List<(FileSystemInfo, string)>();
        private readonly List<string> _folders = new List<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Local files or folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Local files or folders taken exactly as typed; binds FileInfo/DirectoryInfo from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The remote folder that receives the files; created when missing.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteFolderCompleter))]
        public string Destination { get; set; } = RemotePath.Root;

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
            var destination = ToRemotePath(Destination);
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var raw in literal ? LiteralPath : Path)
            {
                foreach (var local in ResolveLocal(raw, literal))
                {
                    if (!_seen.Add(local))
                    {
                        continue;
                    }

                    if (Directory.Exists(local))
                    {
                        var dir = new DirectoryInfo(local);
                        if (!Recurse)
                        {
                            WriteError(TransferHost.ToErrorRecord(new CloudreveException(CloudreveErrorKind.InvalidArgument,
                                $"'{local}' is a folder. Use -Recurse to send it with everything inside."), local));
                            continue;
                        }

                        var remoteBase = dir.Parent == null ? destination : RemotePath.Combine(destination, dir.Name);
                        if (!ShouldProcess(local, $"Send folder to '{remoteBase}'"))
                        {
                            continue;
                        }

                        AddTree(dir, remoteBase);
                    }
                    else
                    {
                        if (ShouldProcess(local, $"Send to '{RemotePath.Combine(destination, System.IO.Path.GetFileName(local))}'"))
                        {
                            _files.Add((new FileInfo(local), destination));
                        }
                    }
                }
            }
        }

        private void AddTree(DirectoryInfo root, string remoteBase)
        {
            var pending = new Stack<(DirectoryInfo Dir, string Remote)>();
            pending.Push((root, remoteBase));
            while (pending.Count > 0)
            {
                var (dir, remote) = pending.Pop();
                FileSystemInfo[] entries;
                try
                {
                    entries = dir.GetFileSystemInfos();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(TransferHost.ToErrorRecord(ex, dir.FullName));
                    continue;
                }

                var subfolders = entries.OfType<DirectoryInfo>().OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
                if (subfolders.Length == 0)
                {
                    // A leaf: creating it creates its parents too, so empty folders arrive as well.
                    _folders.Add(remote);
                }

                foreach (var file in entries.OfType<FileInfo>().OrderBy(f => f.Name, StringComparer.Ordinal))
                {
                    _files.Add((file, remote));
                }

                foreach (var sub in Enumerable.Reverse(subfolders))
                {
                    pending.Push((sub, RemotePath.Combine(remote, sub.Name)));
                }
            }
        }

        private IEnumerable<string> ResolveLocal(string raw, bool literal)
        {
            var found = new List<string>();
            try
            {
                if (literal)
                {
                    var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(raw);
                    if (!File.Exists(path) && !Directory.Exists(path))
                    {
                        throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
                    }

                    found.Add(path);
                }
                else
                {
                    var paths = SessionState.Path.GetResolvedProviderPathFromPSPath(raw, out var provider);
                    if (provider.Name != "FileSystem")
                    {
                        throw new ArgumentException($"'{raw}' is not a file-system path.");
                    }

                    found.AddRange(paths);
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException || ex is NotSupportedException || ex is PSInvalidOperationException)
            {
                var category = ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument;
                WriteError(new ErrorRecord(ex, ex is ItemNotFoundException ? "CloudreveLocalPathNotFound" : "CloudreveLocalPathInvalid", category, raw));
            }

            return found;
        }

        protected override void EndProcessing()
        {
            if (_files.Count == 0 && _folders.Count == 0)
            {
                return;
            }

            // A Cloudreve drive path as -Destination ("Work:\\backup") carries the drive's session.
            string destination;
            CloudreveSession session;
            try
            {
                destination = ToRemoteTarget(Destination, out session);
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(ex, Destination);
                return;
            }

            if (!(session.Backend is ICloudreveTransferBackend))
            {
                ThrowFailure(FeatureSupport.NotSupported(session, "Uploading files (Send-CloudreveFile)"), session);
            }

            var locator = Locator(session);
            var folders = new List<string> { destination };
            folders.AddRange(_folders.Where(f => f != destination));
            try
            {
                Run(async ct =>
                {
                    // The destination first (it may be missing), then the leaves of every mirrored tree.
                    var existing = await locator.FindFolderAsync(destination, ct).ConfigureAwait(false);
                    if (existing == null)
                    {
                        await session.Backend.CreateFolderAsync(destination, ct).ConfigureAwait(false);
                    }

                    using var gate = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
                    await Task.WhenAll(folders.Skip(1).Select(async folder =>
                    {
                        await gate.WaitAsync(ct).ConfigureAwait(false);
                        try
                        {
                            await session.Backend.CreateFolderAsync(folder, ct).ConfigureAwait(false);
                        }
                        finally
                        {
                            gate.Release();
                        }
                    })).ConfigureAwait(false);
                });
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(ex, Destination);
            }

            foreach (var folder in folders)
            {
                locator.Forget(folder);
            }

            var listings = new ListingCoalescer(session.Backend);
            var jobs = _files.Select(f => (TransferJob)new UploadJob(session, locator, listings, (FileInfo)f.Item, f.RemoteFolder, Force, PassThru)).ToList();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
            try
            {
                new TransferHost(this, $"Sending files to {session.Uri}").Run(jobs, ThrottleLimit, new TransferOptions(), stop);
            }
            finally
            {
                // Folders were created and files added: drop what the drives' listing cache knows of them.
                ItemChanges.Changed(session, folders.Concat(_files.Select(f => RemotePath.Combine(f.RemoteFolder, f.Item.Name))).Distinct().ToArray());
            }
        }
    }
}

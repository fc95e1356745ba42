using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>
    /// Gets a temporary download URL for files (absolute; valid for the server's download timeout). On servers that
    /// make URLs for many files per request (4.x) the files are collected and asked for together in windows that
    /// start at <see cref="FirstWindow"/> files and double up to the server's limit per request, so the first URLs of
    /// a long input come out early and a long input still takes few requests; 3.x asks for each file as it comes.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveDownloadUrl", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(string))]
    public sealed class GetCloudreveDownloadUrlCommand : CloudreveItemInputCmdlet
    {
        /// <summary>How many files the first request of a run asks for.</summary>
        internal const int FirstWindow = 50;

        private readonly List<(CloudreveSession Session, CloudreveFile File)> _waiting = new List<(CloudreveSession, CloudreveFile)>();
        private int _window = FirstWindow;

        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                if (!(item is CloudreveFile file))
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is a folder; only files have download URLs."), item.Path);
                    continue;
                }

                var session = SessionFor(item);
                if (!(session.Backend is ICloudreveDownloadBackend transfers))
                {
                    WriteFailure(FeatureSupport.NotSupported(session, "Download URLs (Get-CloudreveDownloadUrl)"), item.Path);
                    continue;
                }

                if (session.Backend is ICloudreveDownloadUrlBatches batches)
                {
                    _waiting.Add((session, file));
                    var limit = Math.Max(1, batches.MaxFilesPerUrlRequest);
                    if (_waiting.Count >= Math.Min(_window, limit))
                    {
                        Flush();
                        _window = (int)Math.Min((long)_window * 2, limit);
                    }

                    continue;
                }

                Single(transfers, file);
            }
        }

        protected override void EndProcessing() => Flush();

        /// <summary>Writes the URLs of the collected files in input order, one request per session and server limit.</summary>
        private void Flush()
        {
            var waiting = _waiting.ToList();
            _waiting.Clear();
            var i = 0;
            while (i < waiting.Count)
            {
                var session = waiting[i].Session;
                var batches = (ICloudreveDownloadUrlBatches)session.Backend;
                var run = waiting.Skip(i).TakeWhile(w => w.Session == session).Take(Math.Max(1, batches.MaxFilesPerUrlRequest)).Select(w => w.File).ToList();
                i += run.Count;
                DownloadUrlBatch batch;
                try
                {
                    batch = Run(ct => batches.GetDownloadUrlBatchAsync(run, ct));
                }
                catch (CloudreveException)
                {
                    // The request failed as a whole: each file asks alone and gets its own answer.
                    batch = new DownloadUrlBatch(new Uri?[run.Count], null);
                }

                for (var k = 0; k < run.Count; k++)
                {
                    if (batch.Urls[k] != null)
                    {
                        WriteObject(batch.Urls[k]!.AbsoluteUri);
                    }
                    else
                    {
                        // No URL in the batch (missing, a folder, not allowed): the file's own request says why.
                        Single((ICloudreveDownloadBackend)session.Backend, run[k]);
                    }
                }
            }
        }

        private void Single(ICloudreveDownloadBackend transfers, CloudreveFile file)
        {
            try
            {
                var url = Run(ct => transfers.GetDownloadUrlAsync(file, ct));
                WriteObject(url.AbsoluteUri);
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, file.Path);
            }
        }
    }
}

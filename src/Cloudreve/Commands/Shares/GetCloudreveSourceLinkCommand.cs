using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Direct (source) links of files, each paired with its file.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveSourceLink", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CloudreveSourceLink))]
    public sealed class GetCloudreveSourceLinkCommand : CloudreveItemInputCmdlet
    {
        private readonly List<CloudreveFile> _files = new List<CloudreveFile>();

        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                if (item is CloudreveFile file)
                {
                    _files.Add(file);
                }
                else
                {
                    WriteFailure(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' is a folder; only files have direct links."), item);
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (var bySession in _files.GroupBy(f => SessionFor(f)))
            {
                var session = bySession.Key;
                var limit = session.User.SourceLinkBatchLimit;
                if (limit <= 0)
                {
                    foreach (var file in bySession)
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.PermissionDenied, $"The group '{session.GroupName}' may not get direct links; none was made for '{file.Path}'."), file);
                    }

                    continue;
                }

                var links = new Dictionary<CloudreveFile, CloudreveSourceLink>();
                foreach (var batch in Batches(bySession.Distinct().ToList(), limit))
                {
                    try
                    {
                        foreach (var link in Run(ct => session.Services().GetSourceLinksAsync(batch, ct)))
                        {
                            links[link.Item!] = link;
                        }
                    }
                    catch (CloudreveException ex)
                    {
                        foreach (var file in batch)
                        {
                            WriteFailure(ex, file);
                        }
                    }
                }

                foreach (var file in bySession)
                {
                    if (!links.TryGetValue(file, out var link))
                    {
                        continue;
                    }

                    if (link.Error != null)
                    {
                        WriteFailure(new CloudreveException(link.Missing ? CloudreveErrorKind.NotFound : CloudreveErrorKind.ServerError, link.Error), file);
                    }
                    else
                    {
                        WriteObject(link);
                    }
                }
            }
        }

        /// <summary>
        /// Splits files into requests of at most <paramref name="limit"/> files whose names are unique
        /// within the request, because the server answers without ids and in its own order.
        /// </summary>
        internal static List<List<CloudreveFile>> Batches(IReadOnlyList<CloudreveFile> files, int limit)
        {
            var batches = new List<List<CloudreveFile>>();
            foreach (var file in files)
            {
                var batch = batches.FirstOrDefault(b => b.Count < limit && b.All(f => !string.Equals(f.Name, file.Name, StringComparison.Ordinal)));
                if (batch == null)
                {
                    batch = new List<CloudreveFile>();
                    batches.Add(batch);
                }

                batch.Add(file);
            }

            return batches;
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Creates folders (and any missing parents) and returns them.</summary>
    [Cmdlet(VerbsCommon.New, "CloudreveFolder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveFolder))]
    public sealed class NewCloudreveFolderCommand : CloudreveItemCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteLiteralPathCompleter))]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var raw in Path)
            {
                try
                {
                    var path = ToRemoteTarget(raw, out var session);
                    var locator = Locator(session);
                    RemotePath.ValidatePath(path);

                    var existing = Run(ct => locator.FindAsync(path, ct));
                    var folder = existing.OfType<CloudreveFolder>().FirstOrDefault();
                    if (folder != null)
                    {
                        if (Force)
                        {
                            WriteObject(folder);
                        }
                        else
                        {
                            WriteFailure(new CloudreveException(CloudreveErrorKind.Conflict, $"The folder '{path}' already exists. Use -Force to get it instead."), raw);
                        }

                        continue;
                    }

                    if (existing.Length > 0)
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.Conflict, $"A file named '{path}' already exists."), raw);
                        continue;
                    }

                    if (!ShouldProcess(path, "Create folder"))
                    {
                        continue;
                    }

                    Run(ct => session.Backend.CreateFolderAsync(path, ct));
                    ItemChanges.Changed(session, path);
                    locator.Forget(RemotePath.GetParent(path));
                    var created = Run(ct => locator.FindFolderAsync(path, ct)) ??
                        throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"The server reported '{path}' as created, but it cannot be found.");
                    WriteObject(created);
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, raw);
                }
            }
        }
    }
}

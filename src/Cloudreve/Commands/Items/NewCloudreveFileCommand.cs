using System;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Commands.Completion;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Creates empty files (missing parent folders are created) and returns them.</summary>
    [Cmdlet(VerbsCommon.New, "CloudreveFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CloudreveFile))]
    public sealed class NewCloudreveFileCommand : CloudreveItemCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RemoteLiteralPathCompleter))]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var raw in Path)
            {
                try
                {
                    var path = ToRemoteTarget(raw, out var session);
                    var locator = Locator(session);
                    if (path == RemotePath.Root)
                    {
                        throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "A file path needs a name.");
                    }

                    RemotePath.ValidatePath(path);

                    if (!ShouldProcess(path, "Create empty file"))
                    {
                        continue;
                    }

                    try
                    {
                        Run(ct => session.Backend.CreateFileAsync(path, ct));
                    }
                    catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.Conflict)
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict, $"A file named '{path}' already exists.", ex) { ServerCode = ex.ServerCode };
                    }

                    ItemChanges.Changed(session, path);
                    locator.Forget(RemotePath.GetParent(path));
                    var created = Run(ct => locator.FindAsync(path, ct)).OfType<CloudreveFile>().FirstOrDefault() ??
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

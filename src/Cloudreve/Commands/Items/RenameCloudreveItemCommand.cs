using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Renames a file or folder in place.</summary>
    [Cmdlet(VerbsCommon.Rename, "CloudreveItem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class RenameCloudreveItemCommand : CloudreveItemInputCmdlet
    {
        /// <summary>The new name (a name, not a path).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string NewName { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var item in InputItems())
            {
                try
                {
                    RemotePath.ValidateName(NewName);
                    if (item.Path == RemotePath.Root)
                    {
                        throw new CloudreveException(CloudreveErrorKind.InvalidArgument, "The root folder cannot be renamed.");
                    }

                    var target = RemotePath.Combine(item.ParentPath, NewName);
                    if (!ShouldProcess(item.Path, $"Rename to '{NewName}'"))
                    {
                        continue;
                    }

                    var session = SessionFor(item);
                    try
                    {
                        Run(ct => session.Backend.RenameAsync(item, NewName, ct));
                    }
                    catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.Conflict)
                    {
                        throw new CloudreveException(CloudreveErrorKind.Conflict, $"Cannot rename '{item.Path}': '{target}' already exists.", ex) { ServerCode = ex.ServerCode };
                    }
                    catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.InvalidName)
                    {
                        throw new CloudreveException(CloudreveErrorKind.InvalidName, $"The server refused the name '{NewName}' for '{item.Path}' (forbidden characters, or an extension the storage policy does not allow).", ex) { ServerCode = ex.ServerCode };
                    }

                    ItemChanges.Changed(session, item.Path, target);
                    var locator = Locator(session);
                    locator.Forget(item.ParentPath);
                    if (PassThru)
                    {
                        var renamed = Run(ct => locator.FindAsync(target, ct)).FirstOrDefault(c => c.IsFolder == item.IsFolder);
                        if (renamed != null)
                        {
                            WriteObject(renamed);
                        }
                    }
                }
                catch (CloudreveException ex)
                {
                    WriteFailure(ex, item);
                }
            }
        }
    }
}

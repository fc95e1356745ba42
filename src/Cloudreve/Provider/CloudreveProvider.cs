// The Cloudreve provider's declaration: its capabilities, its name and the small helpers every part uses
// (writing an item, error records, the Target a provider path resolves to). The provider's concerns live
// in the partial files next to it: Paths, Drives, Navigation, Listing, Walk, Items, Move, Copy, Properties,
// Runner, and Content with ContentStore, ContentReader, ContentWriter and StoppableStream.

using System;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Reflection;
using Cloudreve.Commands;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    /// <summary>
    /// The Cloudreve provider: a server's files and folders as a PowerShell drive (Cloudreve:\ by default).
    /// The engine creates a new instance for nearly every call, so nothing is kept here: the session and
    /// the listing cache live on <see cref="CloudreveDriveInfo"/>.
    /// </summary>
    [CmdletProvider(ProviderName, ProviderCapabilities.ShouldProcess | ProviderCapabilities.Filter)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder), ProviderCmdlet = ProviderCmdlet.GetChildItem)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder), ProviderCmdlet = ProviderCmdlet.GetItem)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder), ProviderCmdlet = ProviderCmdlet.NewItem)]
    public sealed partial class CloudreveProvider : NavigationCmdletProvider, IContentCmdletProvider, IPropertyCmdletProvider
    {
        public const string ProviderName = "Cloudreve";

        private static readonly Func<object, object> CloneObject = CreateCloner();

        /// <summary>Writes a copy of the item (cached objects are shared) with its provider path.</summary>
        /// <remarks>
        /// The written object also gets a Path note with the item's escaped drive path (Cloudreve:\docs\a.txt):
        /// piped into Remove-Item, Get-Content or Copy-Item, the item's remote Path ("/docs/a.txt") would
        /// otherwise bind to their -Path and name a local path. The remote path stays in FullName.
        /// </remarks>
        private void WriteItem(CloudreveDriveInfo drive, CloudreveItem item)
        {
            var copy = (CloudreveItem)CloneObject(item);
            var output = PSObject.AsPSObject(copy);
            output.Properties.Add(new PSNoteProperty("Path", WildcardPattern.Escape(DrivePath(drive, item.Path))));
            WriteItemObject(output, ProviderPaths.Build(drive.Name, item.Path), item.IsFolder);
        }

        private static Func<object, object> CreateCloner()
        {
            var method = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;
            return o => method.Invoke(o, null)!;
        }

        /// <summary>Runs one provider operation; a Cloudreve failure becomes a non-terminating error with the module's error id.</summary>
        private void Guard(string path, Action action)
        {
            try
            {
                action();
            }
            catch (CloudreveException ex)
            {
                WriteError(Record(ex, path));
            }
        }

        private static ErrorRecord Record(CloudreveException exception, object? target) =>
            new ErrorRecord(exception, ErrorIds.For(exception.Kind), ErrorIds.Category(exception.Kind), target);

        private static CloudreveException Missing(Target target) =>
            new CloudreveException(CloudreveErrorKind.NotFound, $"Cannot find '{target.Remote}' on {target.Drive.Session.Uri} because it does not exist.");

        private sealed class Target
        {
            public Target(CloudreveDriveInfo drive, string remote)
            {
                Drive = drive;
                Remote = remote;
            }

            public CloudreveDriveInfo Drive { get; }

            public string Remote { get; }
        }
    }
}

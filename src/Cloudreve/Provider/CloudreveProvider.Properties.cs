// Item properties on a Cloudreve drive: Get-ItemProperty reads the server's details; setting and clearing are not supported.

using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        public void GetProperty(string path, Collection<string> providerSpecificPickList)
        {
            Guard(path, () =>
            {
                var target = Resolve(path);
                var item = Find(target) ?? throw Missing(target);
                var details = Run(ct => target.Drive.Session.Backend.GetPropertyAsync(item, ct));
                var all = PSObject.AsPSObject(details);
                var result = new PSObject();
                var names = providerSpecificPickList == null || providerSpecificPickList.Count == 0
                    ? all.Properties.Where(p => p.Name != nameof(CloudreveItemProperty.Item)).Select(p => p.Name).ToList()
                    : providerSpecificPickList.ToList();
                foreach (var name in names)
                {
                    var matches = all.Properties.Where(p => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(p.Name)).ToList();
                    if (matches.Count == 0)
                    {
                        WriteError(Record(new CloudreveException(CloudreveErrorKind.InvalidArgument, $"'{item.Path}' has no property '{name}'."), path));
                        continue;
                    }

                    foreach (var property in matches)
                    {
                        if (result.Properties[property.Name] == null)
                        {
                            result.Properties.Add(new PSNoteProperty(property.Name, property.Value));
                        }
                    }
                }

                if (result.Properties.Any())
                {
                    WritePropertyObject(result, path);
                }
            });
        }

        public object? GetPropertyDynamicParameters(string path, Collection<string> providerSpecificPickList) => null;

        public void SetProperty(string path, PSObject propertyValue) =>
            throw new PSNotSupportedException("Cloudreve items have no properties that can be set. Use Rename-Item or Move-Item.");

        public object? SetPropertyDynamicParameters(string path, PSObject propertyValue) => null;

        public void ClearProperty(string path, Collection<string> propertyToClear) =>
            throw new PSNotSupportedException("Cloudreve items have no properties that can be cleared.");

        public object? ClearPropertyDynamicParameters(string path, Collection<string> propertyToClear) => null;
    }
}

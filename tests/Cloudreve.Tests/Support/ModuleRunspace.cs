using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cloudreve.Commands;
using Cloudreve.Provider;

namespace Cloudreve.Tests.Support;

/// <summary>A runspace with every cmdlet and the provider of the module assembly, as Import-Module gives them.</summary>
internal static class ModuleRunspace
{
    public static Runspace Open()
    {
        var state = InitialSessionState.CreateDefault2();
        foreach (var type in typeof(CloudreveCmdlet).Assembly.GetTypes())
        {
            var attribute = (CmdletAttribute?)Attribute.GetCustomAttribute(type, typeof(CmdletAttribute));
            if (attribute != null)
            {
                state.Commands.Add(new SessionStateCmdletEntry($"{attribute.VerbName}-{attribute.NounName}", type, null));
            }
        }

        state.Providers.Add(new SessionStateProviderEntry(CloudreveProvider.ProviderName, typeof(CloudreveProvider), null));
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return runspace;
    }
}

using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Cloudreve.Internal
{
    /// <summary>
    /// Loads the module's dependencies from the "dependencies" folder beside the module assembly.
    /// PowerShell 7 resolves the assemblies it ships itself (System.Text.Json and friends) before this
    /// handler is asked; Windows PowerShell 5.1 has no binding redirects for modules, so the handler
    /// answers any version request with the copy shipped here.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        public void OnImport()
        {
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public void OnRemove(PSModuleInfo module)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            if (requested.Name == null)
            {
                return null;
            }

            var path = Path.Combine(DependencyFolder, requested.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            var loaded = AppDomain.CurrentDomain.GetAssemblies()
                .FirstOrDefault(a => !a.IsDynamic && string.Equals(a.GetName().Name, requested.Name, StringComparison.OrdinalIgnoreCase));
            return loaded ?? Assembly.LoadFrom(path);
        }
    }
}

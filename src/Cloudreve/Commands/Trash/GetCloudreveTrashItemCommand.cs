using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Lists what is in the trash of a Cloudreve 4.x server (every page), optionally filtered by name.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveTrashItem")]
    [OutputType(typeof(CloudreveTrashItem))]
    public sealed class GetCloudreveTrashItemCommand : CloudreveSessionCmdlet
    {
        /// <summary>Only items whose name matches one of these wildcard patterns (case-insensitive).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        protected override void EndProcessing()
        {
            var session = ResolveSession();
            ICloudreveTrashBackend trash;
            try
            {
                trash = session.Trash("The trash");
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(ex, session);
                return;
            }

            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
            try
            {
                Pump<CloudreveTrashItem>(
                    (ct, yield) => trash.ListTrashAsync(page =>
                    {
                        foreach (var item in page)
                        {
                            yield(item);
                        }
                    }, ct),
                    item =>
                    {
                        if (patterns.Any(p => p.IsMatch(item.Name)))
                        {
                            item.Session = session;
                            WriteObject(item);
                        }
                    });
            }
            catch (CloudreveException ex)
            {
                ThrowFailure(ex, session);
            }
        }
    }
}

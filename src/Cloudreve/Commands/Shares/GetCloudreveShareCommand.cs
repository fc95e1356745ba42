using System;
using System.Linq;
using System.Management.Automation;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>Lists the user's shares (every page), optionally filtered.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveShare")]
    [OutputType(typeof(CloudreveShare))]
    public sealed class GetCloudreveShareCommand : CloudreveSessionCmdlet
    {
        /// <summary>Only shares whose shared item's name contains this text (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string? Keyword { get; set; }

        /// <summary>Only the shares with these keys.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Key { get; set; }

        /// <summary>Only shares that no longer work (expired or out of downloads).</summary>
        [Parameter]
        public SwitchParameter Expired { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var shares = Run(ct => session.Services().GetSharesAsync(ct));
                var pattern = string.IsNullOrEmpty(Keyword) ? null :
                    new WildcardPattern(WildcardPattern.ContainsWildcardCharacters(Keyword) ? Keyword : "*" + Keyword + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                foreach (var share in shares)
                {
                    if (pattern != null && !pattern.IsMatch(share.Name))
                    {
                        continue;
                    }

                    if (Key != null && !Key.Contains(share.Key, StringComparer.Ordinal))
                    {
                        continue;
                    }

                    if (Expired && !share.IsExpired)
                    {
                        continue;
                    }

                    share.Session = session;
                    WriteObject(share);
                }

                if (Key != null)
                {
                    foreach (var missing in Key.Where(k => !shares.Any(s => s.Key == k)))
                    {
                        WriteFailure(new CloudreveException(CloudreveErrorKind.NotFound, $"There is no share with the key '{missing}'."), missing);
                    }
                }
            }
            catch (CloudreveException ex)
            {
                WriteFailure(ex, session);
            }
        }
    }
}

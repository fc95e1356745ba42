using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Cmdlets that act on shares given by -Key or piped share objects.</summary>
    public abstract class CloudreveShareTargetCmdlet : CloudreveSessionCmdlet
    {
        protected const string KeySet = "Key";
        protected const string InputObjectSet = "InputObject";

        /// <summary>Share keys (the last segment of a share URL).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeySet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; } = Array.Empty<string>();

        /// <summary>Shares from Get-CloudreveShare or New-CloudreveShare.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveShare[] InputObject { get; set; } = Array.Empty<CloudreveShare>();

        /// <summary>(session, key, target object) for each share of this pipeline input.</summary>
        protected IEnumerable<(CloudreveSession Session, string Key, object Target)> Targets()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var share in InputObject)
                {
                    yield return (share.Session ?? Session ?? ResolveSession(), share.Key, share);
                }

                yield break;
            }

            var session = ResolveSession();
            foreach (var key in Key)
            {
                yield return (session, key, key);
            }
        }
    }

    /// <summary>Cmdlets that act on WebDAV accounts given by -Id or piped account objects.</summary>
    public abstract class CloudreveWebDavTargetCmdlet : CloudreveSessionCmdlet
    {
        protected const string IdSet = "Id";
        protected const string InputObjectSet = "InputObject";

        /// <summary>Account ids (the Id column of Get-CloudreveWebDavAccount).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Accounts from Get-CloudreveWebDavAccount or New-CloudreveWebDavAccount.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveWebDavAccount[] InputObject { get; set; } = Array.Empty<CloudreveWebDavAccount>();

        /// <summary>(session, id, display name) for each account of this pipeline input.</summary>
        protected IEnumerable<(CloudreveSession Session, string Id, string Display)> Targets()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var account in InputObject)
                {
                    yield return (account.Session ?? Session ?? ResolveSession(), account.Id, $"WebDAV account {account.Id} ({account.Name})");
                }

                yield break;
            }

            var session = ResolveSession();
            foreach (var id in Id)
            {
                yield return (session, id, $"WebDAV account {id}");
            }
        }
    }
}

using System;
using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Gets the file or folder at each path.</summary>
    [Cmdlet(VerbsCommon.Get, "CloudreveItem", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CloudreveFile), typeof(CloudreveFolder))]
    public sealed class GetCloudreveItemCommand : CloudreveItemCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var item in ResolvePaths(literal ? LiteralPath : Path, literal))
            {
                WriteObject(item);
            }
        }
    }
}

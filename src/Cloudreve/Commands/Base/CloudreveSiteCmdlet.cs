using System;
using System.Management.Automation;

namespace Cloudreve.Commands
{
    /// <summary>Cmdlets that talk to a site either anonymously (-Uri) or through a session.</summary>
    public abstract class CloudreveSiteCmdlet : CloudreveCmdlet
    {
        protected const string SessionSet = "Session";
        protected const string UriSet = "Uri";

        /// <summary>The site address, for anonymous use without a session.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "Server")]
        [ValidateNotNull]
        public Uri Uri { get; set; } = null!;

        /// <summary>Accept any TLS certificate (test servers with self-signed certificates only).</summary>
        [Parameter(ParameterSetName = UriSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>The session to use; the default session when neither -Uri nor -Session is given.</summary>
        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CloudreveSession? Session { get; set; }

        /// <summary>
        /// Runs <paramref name="action"/> with an anonymous backend for -Uri (disposed afterwards) or
        /// with the session's backend.
        /// </summary>
        internal T WithBackend<T>(Func<ICloudreveBackend, CloudreveSession?, T> action)
        {
            if (ParameterSetName != UriSet)
            {
                var session = SessionResolver.Resolve(this, Session);
                return action(session.Backend, session);
            }

            var backend = Run(ct => CloudreveConnector.CreateBackendAsync(Uri, SkipCertificateCheck, ct));
            try
            {
                return action(backend, null);
            }
            finally
            {
                backend.Dispose();
            }
        }
    }
}

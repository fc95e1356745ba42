using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Internal;
using Cloudreve.Transport;

namespace Cloudreve.Commands
{
    /// <summary>
    /// Base of every Cloudreve cmdlet: Ctrl+C cancels the running operation, async work is waited for
    /// on the pipeline thread, transport diagnostics become verbose output, and failures become error
    /// records with stable ids.
    /// </summary>
    public abstract class CloudreveCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        protected CancellationToken StopToken => _stop.Token;

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Runs an async operation, writing its diagnostics as verbose lines while it runs.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> operation) => PipelineWait.Run(operation, _stop, WriteVerbose);

        protected void Run(Func<CancellationToken, Task> operation) =>
            Run<bool>(async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            });

        /// <summary>
        /// Runs a producer on the thread pool and consumes what it yields on the pipeline thread as it
        /// arrives (so output streams); verbose lines are written in between.
        /// </summary>
        protected void Pump<T>(Func<CancellationToken, Action<T>, Task> producer, Action<T> consume) =>
            PipelineWait.Pump(producer, consume, _stop, WriteVerbose);

        /// <summary>Builds the error record for a failure; the error id is stable per kind.</summary>
        protected static ErrorRecord ToErrorRecord(Exception exception, object? target)
        {
            if (exception is CloudreveException cloudreve)
            {
                return new ErrorRecord(cloudreve, ErrorIds.For(cloudreve.Kind), ErrorIds.Category(cloudreve.Kind), target);
            }

            return new ErrorRecord(exception, "CloudreveUnexpectedError", ErrorCategory.NotSpecified, target);
        }

        /// <summary>Writes a non-terminating error for one input and lets the pipeline go on.</summary>
        protected void WriteFailure(Exception exception, object? target) => WriteError(ToErrorRecord(exception, target));

        /// <summary>Stops the command: nothing more can be done.</summary>
        protected void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ToErrorRecord(exception, target));

        protected void ThrowFailure(CloudreveErrorKind kind, string message, object? target) =>
            ThrowTerminatingError(ToErrorRecord(new CloudreveException(kind, message), target));

        public void Dispose()
        {
            _stop.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Cmdlets that work within a session: -Session, or the runspace's default session.</summary>
    public abstract class CloudreveSessionCmdlet : CloudreveCmdlet
    {
        /// <summary>The session to use; the default session (the newest Connect-Cloudreve) when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public CloudreveSession? Session { get; set; }

        protected CloudreveSession ResolveSession() => SessionResolver.Resolve(this, Session);
    }

    internal static class SessionResolver
    {
        public static CloudreveSession Resolve(PSCmdlet cmdlet, CloudreveSession? explicitSession)
        {
            var session = explicitSession ?? SessionRegistry.Current.Default;
            if (session == null)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new CloudreveException(CloudreveErrorKind.NotLoggedIn, "There is no Cloudreve session. Run Connect-Cloudreve first, or pass -Session."),
                    ErrorIds.For(CloudreveErrorKind.NotLoggedIn), ErrorCategory.AuthenticationError, null));
            }

            if (!session!.IsConnected)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new CloudreveException(CloudreveErrorKind.NotLoggedIn, $"The session {session} was disconnected. Run Connect-Cloudreve again."),
                    ErrorIds.For(CloudreveErrorKind.NotLoggedIn), ErrorCategory.AuthenticationError, session));
            }

            return session;
        }
    }

    /// <summary>Stable error ids and categories, one per error kind.</summary>
    public static class ErrorIds
    {
        public static string For(CloudreveErrorKind kind) => kind == CloudreveErrorKind.Unknown ? "CloudreveError" : "Cloudreve" + kind;

        public static ErrorCategory Category(CloudreveErrorKind kind)
        {
            switch (kind)
            {
                case CloudreveErrorKind.ServerUnreachable: return ErrorCategory.ConnectionError;
                case CloudreveErrorKind.NotACloudreveServer:
                case CloudreveErrorKind.UnsupportedServerVersion:
                case CloudreveErrorKind.ProtocolError: return ErrorCategory.ProtocolError;
                case CloudreveErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case CloudreveErrorKind.InvalidCredential:
                case CloudreveErrorKind.InvalidOtpCode:
                case CloudreveErrorKind.OtpRequired:
                case CloudreveErrorKind.LoginCaptchaRequired:
                case CloudreveErrorKind.NotLoggedIn:
                case CloudreveErrorKind.SessionExpired: return ErrorCategory.AuthenticationError;
                case CloudreveErrorKind.AccountBlocked:
                case CloudreveErrorKind.AccountNotActivated:
                case CloudreveErrorKind.PermissionDenied:
                case CloudreveErrorKind.FileTypeNotAllowed: return ErrorCategory.PermissionDenied;
                case CloudreveErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case CloudreveErrorKind.Conflict: return ErrorCategory.ResourceExists;
                case CloudreveErrorKind.UploadInProgress: return ErrorCategory.ResourceBusy;
                case CloudreveErrorKind.InvalidName:
                case CloudreveErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case CloudreveErrorKind.FileTooLarge: return ErrorCategory.LimitsExceeded;
                case CloudreveErrorKind.QuotaExceeded: return ErrorCategory.QuotaExceeded;
                case CloudreveErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case CloudreveErrorKind.UploadSessionExpired:
                case CloudreveErrorKind.DownloadUrlExpired: return ErrorCategory.ResourceUnavailable;
                case CloudreveErrorKind.TransferFailed: return ErrorCategory.InvalidResult;
                case CloudreveErrorKind.UnsafeName: return ErrorCategory.SecurityError;
                case CloudreveErrorKind.NotSupportedByServer: return ErrorCategory.NotImplemented;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}

using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;
using Envelope = Cloudreve.Api.ApiEnvelope;

namespace Cloudreve.Api.V3
{
    /// <summary>In-place content replacement for the drive: PUT /file/update/{id}, the body streamed from a local file.</summary>
    internal sealed partial class V3Backend : IContentBackend
    {
        public async Task ReplaceContentAsync(CloudreveFile file, Func<HttpContent> makeContent, CancellationToken cancellationToken)
        {
            var operation = $"Writing '{file.Path}'";
            var route = "file/update/" + Uri.EscapeDataString(file.Id);
            var envelope = await SendBytesOnceAsync(route, makeContent(), operation, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V3Errors.LoginRequired && Reauthenticate != null)
            {
                // Let the ordinary path log in again (once, shared), then repeat the upload.
                await SendAsync(HttpMethod.Get, "user/storage", null, operation, true, cancellationToken).ConfigureAwait(false);
                envelope = await SendBytesOnceAsync(route, makeContent(), operation, cancellationToken).ConfigureAwait(false);
            }

            if (envelope.Code == V3Errors.LoginRequired)
            {
                throw NotLoggedIn(operation);
            }

            ThrowIfError(envelope, operation);
        }

        private async Task<Envelope> SendBytesOnceAsync(string route, HttpContent content, string operation, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(SiteUri, "api/v3/" + route)) { Content = content };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return await ReadEnvelopeAsync(response).ConfigureAwait(false) ??
                throw new CloudreveException(response.StatusCode == HttpStatusCode.InternalServerError ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError,
                    $"{operation} failed: PUT /api/v3/{route} answered HTTP {(int)response.StatusCode} instead of a Cloudreve response.");
        }
    }
}

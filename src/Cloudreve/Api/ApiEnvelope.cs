using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api
{
    /// <summary>The Cloudreve reply envelope, the same in every API generation: {code, msg, data} (v4 adds aggregated_error).</summary>
    internal sealed class ApiEnvelope
    {
        public int Code { get; set; }

        public string Message { get; set; } = string.Empty;

        public JsonElement? Data { get; set; }

        /// <summary>v4 batch failures (code 40081): URI or id to the inner {code, msg}. Empty otherwise.</summary>
        public IReadOnlyDictionary<string, ApiEnvelope> AggregatedErrors { get; set; } = EmptyErrors;

        private static readonly IReadOnlyDictionary<string, ApiEnvelope> EmptyErrors = new Dictionary<string, ApiEnvelope>();

        /// <summary>The envelope in a response body, or null when the body is not a Cloudreve envelope.</summary>
        public static ApiEnvelope? Parse(byte[] bytes)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                return FromElement(document.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>Reads the envelope of an HTTP 200 (or 401) JSON reply; null for anything else (plain-text 404s, HTML).</summary>
        public static async Task<ApiEnvelope?> ReadAsync(HttpResponseMessage response)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (response.StatusCode != HttpStatusCode.OK && response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return null;
            }

            if (mediaType == null || mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return Parse(bytes);
        }

        /// <summary>The data of a successful reply as <typeparamref name="T"/>; a missing or odd payload is a protocol error.</summary>
        public T Deserialize<T>(string operation, JsonSerializerOptions options)
        {
            if (!Data.HasValue)
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer carried no data.");
            }

            try
            {
                return Data.Value.Deserialize<T>(options) ??
                    throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer carried no data.");
            }
            catch (JsonException ex)
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server's answer has an unexpected shape ({ex.Message}).", ex);
            }
        }

        private static ApiEnvelope? FromElement(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out var value))
            {
                return null;
            }

            var envelope = new ApiEnvelope { Code = value };
            if (root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String)
            {
                envelope.Message = msg.GetString() ?? string.Empty;
            }

            if (root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null)
            {
                envelope.Data = data.Clone();
            }

            if (root.TryGetProperty("aggregated_error", out var aggregated) && aggregated.ValueKind == JsonValueKind.Object)
            {
                var errors = new Dictionary<string, ApiEnvelope>(StringComparer.Ordinal);
                foreach (var property in aggregated.EnumerateObject())
                {
                    var inner = FromElement(property.Value);
                    if (inner != null)
                    {
                        errors[property.Name] = inner;
                    }
                }

                envelope.AggregatedErrors = errors;
            }

            return envelope;
        }
    }
}

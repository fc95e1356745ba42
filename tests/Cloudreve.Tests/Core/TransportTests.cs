using System.Net;
using System.Net.Sockets;
using System.Text;
using Cloudreve.Api.V3;
using Cloudreve.Internal;
using Cloudreve.Transport;
using Xunit;

namespace Cloudreve.Tests.Core;

public class TransportOptionsTests
{
    [Theory]
    [InlineData("https://pan.example.com", "https://pan.example.com/")]
    [InlineData("https://pan.example.com/", "https://pan.example.com/")]
    [InlineData("https://pan.example.com/api/v3", "https://pan.example.com/")]
    [InlineData("https://pan.example.com/api/v3/", "https://pan.example.com/")]
    [InlineData("http://host:8080/cloud/", "http://host:8080/cloud/")]
    [InlineData("http://host:8080/cloud/api/v4", "http://host:8080/cloud/")]
    public void NormalizesSiteAddresses(string given, string expected)
    {
        Assert.Equal(new Uri(expected), TransportOptions.NormalizeSiteUri(new Uri(given)));
    }

    [Theory]
    [InlineData("ftp://host/")]
    [InlineData("file:///tmp/x")]
    public void RefusesNonHttpAddresses(string given)
    {
        var ex = Assert.Throws<CloudreveException>(() => TransportOptions.NormalizeSiteUri(new Uri(given)));
        Assert.Equal(CloudreveErrorKind.InvalidArgument, ex.Kind);
    }
}

public class SessionCookieJarTests
{
    [Fact]
    public void MatchesOnlyTheSameOrigin()
    {
        var jar = new SessionCookieJar(new Uri("https://pan.example.com/sub/"));
        Assert.True(jar.Matches(new Uri("https://pan.example.com/api/v3/user/me")));
        Assert.True(jar.Matches(new Uri("https://PAN.example.com:443/x")));
        Assert.False(jar.Matches(new Uri("http://pan.example.com/x")));
        Assert.False(jar.Matches(new Uri("https://pan.example.com:8443/x")));
        Assert.False(jar.Matches(new Uri("https://bucket.s3.amazonaws.com/key?X-Amz-Signature=1")));
        Assert.False(jar.Matches(new Uri("https://evilpan.example.com/")));
    }

    [Fact]
    public void KeepsReplacesAndDeletesCookies()
    {
        var jar = new SessionCookieJar(new Uri("http://127.0.0.1:5212/"));
        using var first = new HttpResponseMessage();
        first.Headers.TryAddWithoutValidation("Set-Cookie", "cloudreve-session=abc; Path=/; Max-Age=5184000; HttpOnly");
        jar.Apply(first);
        Assert.Equal("cloudreve-session=abc", jar.GetHeaderValue());

        using var second = new HttpResponseMessage();
        second.Headers.TryAddWithoutValidation("Set-Cookie", "cloudreve-session=def; Path=/");
        jar.Apply(second);
        Assert.Equal("cloudreve-session=def", jar.GetHeaderValue());

        using var third = new HttpResponseMessage();
        third.Headers.TryAddWithoutValidation("Set-Cookie", "cloudreve-session=; Path=/; Max-Age=0");
        jar.Apply(third);
        Assert.Null(jar.GetHeaderValue());
        Assert.True(jar.IsEmpty);
    }
}

public class TransportLogTests
{
    [Fact]
    public void RedactsSignaturesButKeepsThePath()
    {
        var text = TransportLog.Describe(new Uri("http://127.0.0.1:5212/api/v3/file/download/abc?sign=SECRETSIG:123&x=1"));
        Assert.DoesNotContain("SECRETSIG", text);
        Assert.Contains("/api/v3/file/download/abc", text);
        Assert.Contains("x=1", text);
    }

    [Fact]
    public void CapturesLinesOnlyWithinTheScope()
    {
        var lines = new List<string>();
        using (TransportLog.Capture(lines.Add))
        {
            TransportLog.Write("inside");
        }

        TransportLog.Write("outside");
        Assert.Equal(new[] { "inside" }, lines);
    }
}

public class TotpAndErrorTests
{
    [Fact]
    public void ComputesRfc6238Codes()
    {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", T = 59 s and 1111111109 s, last 6 digits.
        var secret = Secrets.Protect("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        Assert.Equal("287082", TotpCode.Compute(secret, DateTimeOffset.FromUnixTimeSeconds(59).UtcDateTime));
        Assert.Equal("081804", TotpCode.Compute(secret, DateTimeOffset.FromUnixTimeSeconds(1111111109).UtcDateTime));
        var spaced = Secrets.Protect("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");
        Assert.Equal("287082", TotpCode.Compute(spaced, DateTimeOffset.FromUnixTimeSeconds(59).UtcDateTime));
    }

    [Fact]
    public void RefusesSecretsThatAreNotBase32()
    {
        var ex = Assert.Throws<CloudreveException>(() => TotpCode.Compute(Secrets.Protect("not base32 !!"), DateTime.UtcNow));
        Assert.Equal(CloudreveErrorKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("not base32", ex.Message);
    }

    [Theory]
    [InlineData(40020, CloudreveErrorKind.InvalidCredential)]
    [InlineData(40022, CloudreveErrorKind.InvalidOtpCode)]
    [InlineData(40026, CloudreveErrorKind.LoginCaptchaRequired)]
    [InlineData(40016, CloudreveErrorKind.NotFound)]
    [InlineData(40004, CloudreveErrorKind.Conflict)]
    [InlineData(40054, CloudreveErrorKind.UploadInProgress)]
    [InlineData(40051, CloudreveErrorKind.QuotaExceeded)]
    [InlineData(40052, CloudreveErrorKind.InvalidName)]
    [InlineData(50001, CloudreveErrorKind.ServerError)]
    [InlineData(12345, CloudreveErrorKind.Unknown)]
    public void ClassifiesV3Codes(int code, CloudreveErrorKind kind)
    {
        var ex = V3Errors.ToException(code, "msg", "Doing it");
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(code, ex.ServerCode);
        Assert.Contains(code.ToString(), ex.Message);
    }
}

/// <summary>Real HTTP on loopback against a raw listener that records what arrives.</summary>
public class CookieScopeOverHttpTests
{
    [Fact]
    public async Task SendsTheSessionCookieOnlyToTheServersOwnOrigin()
    {
        using var own = new RecordingServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: cloudreve-session=s3cr3t; Path=/; HttpOnly\r\n");
        using var foreign = new RecordingServer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");
        using var transport = new CloudreveTransport(new TransportOptions(own.Uri));

        using (var first = new HttpRequestMessage(HttpMethod.Get, new Uri(own.Uri, "api/v3/site/config")))
        using (await transport.SendAsync(first, HttpCompletionOption.ResponseContentRead, TimeSpan.FromSeconds(10), CancellationToken.None))
        {
        }

        Assert.True(transport.HasSessionCookie);
        using (var second = new HttpRequestMessage(HttpMethod.Get, new Uri(own.Uri, "api/v3/user/me")))
        using (await transport.SendAsync(second, HttpCompletionOption.ResponseContentRead, TimeSpan.FromSeconds(10), CancellationToken.None))
        {
        }

        using (var third = new HttpRequestMessage(HttpMethod.Put, new Uri(foreign.Uri, "bucket/part1?X-Amz-Signature=abc")) { Content = new StringContent("x") })
        using (await transport.SendAsync(third, HttpCompletionOption.ResponseContentRead, TimeSpan.FromSeconds(10), CancellationToken.None))
        {
        }

        Assert.Equal(2, own.Requests.Count);
        Assert.DoesNotContain("cloudreve-session", own.Requests[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Cookie: cloudreve-session=s3cr3t", own.Requests[1]);
        Assert.Single(foreign.Requests);
        Assert.DoesNotContain("s3cr3t", foreign.Requests[0]);
    }

    [Fact]
    public async Task ReportsARefusedConnectionAsServerUnreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var transport = new CloudreveTransport(new TransportOptions(new Uri($"http://127.0.0.1:{port}/")) { MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/api/v3/site/ping"));
        var ex = await Assert.ThrowsAsync<CloudreveException>(() => transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(CloudreveErrorKind.ServerUnreachable, ex.Kind);
    }

    private sealed class RecordingServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly string _responseHead;
        private readonly CancellationTokenSource _stop = new();

        public RecordingServer(string responseHead)
        {
            _responseHead = responseHead;
            _listener.Start();
            Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = Task.Run(AcceptLoop);
        }

        public Uri Uri { get; }

        public List<string> Requests { get; } = new();

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[65536];
                    var text = new StringBuilder();
                    while (!text.ToString().Contains("\r\n\r\n"))
                    {
                        var n = await stream.ReadAsync(buffer);
                        if (n == 0)
                        {
                            break;
                        }

                        text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }

                    var head = text.ToString();
                    var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    var bodyLength = lengthLine == null ? 0 : int.Parse(lengthLine.Split(':')[1].Trim());
                    var received = head.Length - head.IndexOf("\r\n\r\n", StringComparison.Ordinal) - 4;
                    while (received < bodyLength)
                    {
                        received += await stream.ReadAsync(buffer);
                    }

                    lock (Requests)
                    {
                        Requests.Add(head);
                    }

                    var body = "{\"code\":0,\"msg\":\"\"}";
                    var response = Encoding.ASCII.GetBytes(_responseHead + $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
                    await stream.WriteAsync(response);
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}

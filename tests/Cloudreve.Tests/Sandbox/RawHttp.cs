using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Cloudreve.Tests.Sandbox;

/// <summary>Sends a request line exactly as written (HttpClient would re-escape it).</summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(Uri baseUri, string requestLine, string extraHeaders = "", byte[]? body = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUri.Host, baseUri.Port);
        using var stream = tcp.GetStream();
        var head = $"{requestLine}\r\nHost: {baseUri.Authority}\r\nConnection: close\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (body != null) await stream.WriteAsync(body);
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}

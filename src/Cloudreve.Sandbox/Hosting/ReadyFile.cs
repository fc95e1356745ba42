using System.Text.Json.Nodes;

namespace Cloudreve.Sandbox.Hosting;

/// <summary>Writes the ready file atomically (temp file + rename).</summary>
internal static class ReadyFile
{
    public static void Write(string path, Uri uri, string adminEmail, string adminPassword, int pid, Uri? providerUri = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var json = new JsonObject
        {
            ["uri"] = uri.GetLeftPart(UriPartial.Authority),
            ["adminEmail"] = adminEmail,
            ["adminPassword"] = adminPassword,
            ["pid"] = pid,
            ["providerUri"] = providerUri?.GetLeftPart(UriPartial.Authority),
        };
        var tmp = full + ".tmp-" + pid;
        File.WriteAllBytes(tmp, GoJson.Serialize(json));
        File.Move(tmp, full, overwrite: true);
    }
}

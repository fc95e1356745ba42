using System.Management.Automation;
using Cloudreve.Sandbox.Hosting;
using Xunit;

namespace Cloudreve.Tests.Cmdlets;

/// <summary>
/// Find-CloudreveItem in-process against a 3.8.3 and a 4.18.0 sandbox: the same tree gives the same hits,
/// with real paths, on both generations; a missing folder and a malformed pattern are error records.
/// </summary>
public sealed class GenerationFindTests
{
    public static TheoryData<string> Generations => new() { ServerVersions.V3, ServerVersions.V4 };

    private static async Task<GenerationSandbox> StartWithTreeAsync(string version)
    {
        var env = await GenerationSandbox.StartAsync(version);
        env.Connect();
        env.Run("New-CloudreveFile '/f/Report 2024.pdf', '/f/notes.txt', '/f/sub/report-draft.docx', '/f/sub/holiday.jpg', '/f/sub/deep/clip.mp4', '/other/report-out.pdf' | Out-Null; " +
                "New-CloudreveFolder '/f/sub/deep/reports' | Out-Null");
        return env;
    }

    private static string[] Paths(IEnumerable<object> items) =>
        items.Select(o => Assert.IsAssignableFrom<CloudreveItem>(o).Path).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task NameWildcardMatchesBelowPathWithRealPaths(string version)
    {
        await using var env = await StartWithTreeAsync(version);

        Assert.Equal(new[] { "/f/Report 2024.pdf", "/f/sub/deep/reports", "/f/sub/report-draft.docx" }, Paths(env.Run("Find-CloudreveItem /f -Name 'report*'")));
        // Only below -Path: /other/report-out.pdf is not a hit; a whole-name match, not a substring one.
        Assert.Equal(new[] { "/f/notes.txt" }, Paths(env.Run("Find-CloudreveItem /f -Name 'NOTES.TXT'")));
        Assert.Empty(env.Run("Find-CloudreveItem /f -Name 'note'"));
        Assert.Equal(new[] { "/f/Report 2024.pdf", "/other/report-out.pdf" }, Paths(env.Run("Find-CloudreveItem -Name '*.pdf'")));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task TypeFolderAndCategorySelectItems(string version)
    {
        await using var env = await StartWithTreeAsync(version);

        var folders = env.Run("Find-CloudreveItem /f -Type Folder");
        Assert.All(folders, o => Assert.IsType<CloudreveFolder>(o));
        Assert.Equal(new[] { "/f/sub", "/f/sub/deep", "/f/sub/deep/reports" }, Paths(folders));

        var files = env.Run("Find-CloudreveItem /f -Type File -Name 'report*'");
        Assert.All(files, o => Assert.IsType<CloudreveFile>(o));
        Assert.Equal(new[] { "/f/Report 2024.pdf", "/f/sub/report-draft.docx" }, Paths(files));

        Assert.Equal(new[] { "/f/sub/holiday.jpg" }, Paths(env.Run("Find-CloudreveItem /f -Category Image")));
        Assert.Equal(new[] { "/f/sub/deep/clip.mp4" }, Paths(env.Run("Find-CloudreveItem /f -Category Video")));
        Assert.Equal(new[] { "/f/Report 2024.pdf" }, Paths(env.Run("Find-CloudreveItem /f -Category Document -Name '*.pdf'")));
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task MissingPathIsObjectNotFoundAndMalformedPatternIsInvalidArgument(string version)
    {
        await using var env = await StartWithTreeAsync(version);

        var (output, errors) = env.Invoke("Find-CloudreveItem /no/such/folder -Name '*'");
        Assert.Empty(output);
        var missing = Assert.Single(errors);
        Assert.StartsWith("CloudreveNotFound,", missing.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.IsNotType<NullReferenceException>(missing.Exception);

        var (badOutput, badErrors) = env.Invoke("Find-CloudreveItem /f -Name 'br[1.txt'");
        Assert.Empty(badOutput);
        var bad = Assert.Single(badErrors);
        Assert.StartsWith("CloudreveInvalidArgument,", bad.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, bad.CategoryInfo.Category);

        var (_, fileErrors) = env.Invoke("Find-CloudreveItem /f/notes.txt");
        Assert.StartsWith("CloudreveInvalidArgument,", Assert.Single(fileErrors).FullyQualifiedErrorId, StringComparison.Ordinal);
    }
}

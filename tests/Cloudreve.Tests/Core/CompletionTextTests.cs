using System.Management.Automation;
using System.Management.Automation.Language;
using Cloudreve.Commands.Completion;
using Xunit;

namespace Cloudreve.Tests.Core;

public class CompletionTextTests
{
    [Theory]
    [InlineData("", '\0', "")]
    [InlineData("/docs/a", '\0', "/docs/a")]
    [InlineData("'/my docs/", '\'', "/my docs/")]
    [InlineData("'/my docs/'", '\'', "/my docs/")]
    [InlineData("'it''", '\'', "it'")]
    [InlineData("'it''s'", '\'', "it's")]
    [InlineData("'br`[1", '\'', "br`[1")]
    [InlineData("\"/a b", '"', "/a b")]
    [InlineData("\"/a``[1``]\"", '"', "/a`[1`]")]
    [InlineData("\"/d`$x\"", '"', "/d$x")]
    public void ReadsTheWordAsTheCommandWouldReceiveIt(string word, char quote, string value)
    {
        var text = CompletionText.Parse(word);
        Assert.Equal(quote, text.Quote);
        Assert.Equal(value, text.Value);
    }

    [Theory]
    [InlineData("/docs/a.txt", false)]
    [InlineData("/docs/x#y.txt", false)]
    [InlineData("/docs/da-sh.txt", false)]
    [InlineData("/docs/br[1].txt", false)]
    [InlineData("/docs/a b.txt", true)]
    [InlineData("/docs/#top.txt", true)]
    [InlineData("Cloudreve:\\#top", true)]
    [InlineData("/docs/it's.txt", true)]
    [InlineData("/docs/d$x.txt", true)]
    [InlineData("/docs/semi;c.txt", true)]
    [InlineData("/docs/a,b", true)]
    [InlineData("/docs/br`[1`].txt", true)]
    [InlineData("-dash", true)]
    [InlineData("5", true)]
    [InlineData("1e5", true)]
    [InlineData("/docs/5", false)]
    [InlineData("ünï/文.txt", false)]
    [InlineData("sub/", false)]
    public void QuotesWhatWouldNotReadBackAsTheSameBareWord(string value, bool quoted)
    {
        Assert.Equal(quoted, CompletionText.NeedsQuotes(value));
    }

    [Theory]
    [InlineData("", "/my docs/", "'/my docs/'")]
    [InlineData("", "/it's", "'/it''s'")]
    [InlineData("", "/plain/", "/plain/")]
    [InlineData("'/pl", "/plain/", "'/plain/'")]
    [InlineData("\"/a", "/a`[1`] $x", "\"/a``[1``] `$x\"")]
    public void RendersEveryCompletionSoPowerShellReadsBackTheSameValue(string word, string value, string expected)
    {
        var rendered = CompletionText.Parse(word).Render(value);
        Assert.Equal(expected, rendered);
        var ast = Parser.ParseInput("x " + rendered, out _, out var errors);
        Assert.Empty(errors);
        var argument = ((CommandAst)((PipelineAst)ast.EndBlock.Statements[0]).PipelineElements[0]).CommandElements[1];
        var constant = Assert.IsAssignableFrom<StringConstantExpressionAst>(argument);
        Assert.Equal(value, constant.Value);
    }

    [Theory]
    [InlineData("br`[1`].txt", "br[1].txt")]
    [InlineData("plain", "plain")]
    [InlineData("a``b", "a`b")]
    public void UnescapesWildcardEscapes(string pattern, string literal)
    {
        Assert.Equal(literal, ItemLocator.UnescapeWildcards(pattern));
        Assert.Equal(literal, CompletionText.UnescapeWildcard(WildcardPattern.Escape(literal)));
    }
}

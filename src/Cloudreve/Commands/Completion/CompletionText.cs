using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace Cloudreve.Commands.Completion
{
    /// <summary>
    /// The word being completed and the text that replaces it, with PowerShell's own quoting rules: a
    /// completion that would not read back as the same bare word is put in single quotes (a quote inside
    /// doubled), or in double quotes when the user opened one; names in a -Path (wildcard) argument have
    /// <c>[</c>, <c>]</c>, <c>*</c>, <c>?</c> and backticks escaped as <see cref="WildcardPattern.Escape"/> does.
    /// </summary>
    internal sealed class CompletionText
    {
        /// <summary>Characters that never need quotes inside a bare word (besides letters and digits); the first one is stricter.</summary>
        private const string SafeInBareWord = "._-/\\:=~";

        /// <summary>Characters that end a bare word or change its value wherever they are (besides spaces and quotes).</summary>
        private const string AlwaysQuoted = "`$;,|&";

        private CompletionText(char quote, string value)
        {
            Quote = quote;
            Value = value;
        }

        /// <summary>'\0' (bare word), '\'' or '"': how the user opened the word.</summary>
        public char Quote { get; }

        /// <summary>The word as the command would receive it (quotes removed, escapes resolved).</summary>
        public string Value { get; }

        /// <summary>
        /// Reads the word PowerShell hands to a completer: a bare word arrives with its escapes already
        /// resolved, a quoted one as typed (with its quotes, the closing one possibly missing).
        /// </summary>
        public static CompletionText Parse(string? word)
        {
            var text = word ?? string.Empty;
            if (text.Length == 0)
            {
                return new CompletionText('\0', string.Empty);
            }

            var first = text[0];
            if (IsSingleQuote(first))
            {
                var inner = text.Substring(1);
                if (inner.Length > 0 && IsSingleQuote(inner[inner.Length - 1]) && !EndsWithDoubledQuote(inner))
                {
                    inner = inner.Substring(0, inner.Length - 1);
                }

                return new CompletionText('\'', UndoubleSingleQuotes(inner));
            }

            if (IsDoubleQuote(first))
            {
                var inner = text.Substring(1);
                if (inner.Length > 0 && IsDoubleQuote(inner[inner.Length - 1]) && (inner.Length < 2 || inner[inner.Length - 2] != '`'))
                {
                    inner = inner.Substring(0, inner.Length - 1);
                }

                return new CompletionText('"', UnescapeDoubleQuoted(inner));
            }

            return new CompletionText('\0', text);
        }

        /// <summary>The replacement text for <paramref name="value"/>, quoted the way this word was (or as needed).</summary>
        public string Render(string value)
        {
            if (Quote == '"')
            {
                return "\"" + EscapeDoubleQuoted(value) + "\"";
            }

            if (Quote == '\'' || NeedsQuotes(value))
            {
                return "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
            }

            return value;
        }

        /// <summary>True unless PowerShell reads <paramref name="value"/>, typed bare, as exactly that one string.</summary>
        public static bool NeedsQuotes(string value)
        {
            if (value.Length == 0)
            {
                return false;
            }

            if ((char.IsLetter(value[0]) || value[0] == '/' || value[0] == '\\' || value[0] == '_') && value.All(c => char.IsLetterOrDigit(c) || SafeInBareWord.IndexOf(c) >= 0))
            {
                return false; // the common case, without asking the parser
            }

            if (value.Any(c => char.IsWhiteSpace(c) || IsSingleQuote(c) || IsDoubleQuote(c) || AlwaysQuoted.IndexOf(c) >= 0))
            {
                return true; // these never stay inside one bare word as they are
            }

            if (value.Split('/', '\\').Any(segment => segment.StartsWith("#", System.StringComparison.Ordinal)))
            {
                return true; // as PowerShell's own path completion: a name starting with '#' is quoted
            }

            var ast = Parser.ParseInput("x " + value, out _, out var errors);
            if (errors.Length > 0 || ast.EndBlock == null || ast.EndBlock.Statements.Count != 1)
            {
                return true;
            }

            if (!(ast.EndBlock.Statements[0] is PipelineAst pipeline) || pipeline.PipelineElements.Count != 1 ||
                !(pipeline.PipelineElements[0] is CommandAst command) || command.CommandElements.Count != 2)
            {
                return true;
            }

            return !(command.CommandElements[1] is StringConstantExpressionAst constant) ||
                constant.StringConstantType != StringConstantType.BareWord || constant.Value != value;
        }

        /// <summary>Removes wildcard escapes: a backtick takes the next character literally.</summary>
        public static string UnescapeWildcard(string pattern) => ItemLocator.UnescapeWildcards(pattern);

        internal static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';

        internal static bool IsDoubleQuote(char c) => c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';

        private static bool EndsWithDoubledQuote(string inner)
        {
            // "it''" inside single quotes is an escaped quote, not the closing one: count the run.
            var run = inner.Reverse().TakeWhile(IsSingleQuote).Count();
            return run % 2 == 0;
        }

        private static string UndoubleSingleQuotes(string inner)
        {
            var text = new StringBuilder(inner.Length);
            for (var i = 0; i < inner.Length; i++)
            {
                text.Append(inner[i]);
                if (IsSingleQuote(inner[i]) && i + 1 < inner.Length && IsSingleQuote(inner[i + 1]))
                {
                    i++;
                }
            }

            return text.ToString();
        }

        private static string UnescapeDoubleQuoted(string inner)
        {
            var text = new StringBuilder(inner.Length);
            for (var i = 0; i < inner.Length; i++)
            {
                var c = inner[i];
                if (c == '`' && i + 1 < inner.Length)
                {
                    text.Append(inner[++i]);
                    continue;
                }

                text.Append(c);
                if (IsDoubleQuote(c) && i + 1 < inner.Length && IsDoubleQuote(inner[i + 1]))
                {
                    i++;
                }
            }

            return text.ToString();
        }

        private static string EscapeDoubleQuoted(string value)
        {
            var text = new StringBuilder(value.Length + 8);
            foreach (var c in value)
            {
                if (c == '`' || c == '$' || IsDoubleQuote(c))
                {
                    text.Append('`');
                }

                text.Append(c);
            }

            return text.ToString();
        }
    }
}

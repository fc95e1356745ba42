using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;

namespace Cloudreve.Commands.Completion
{
    /// <summary>
    /// Tab completion of remote paths in the cmdlets' parameters: names from the folder being typed, on the
    /// session given with -Session on the line (else the drive the path names, else the default session),
    /// folders first with a trailing separator. A listing the session has cached (a drive or an earlier
    /// completion fetched it) within the drive's cache lifetime (default 5 s) costs no request; otherwise the completion waits about a second for the
    /// server and then gives up quietly (the fetch goes on, so the next Tab finds it cached). A completion
    /// never writes an error: any failure completes nothing.
    /// </summary>
    public abstract class RemotePathCompleterBase : IArgumentCompleter
    {
        /// <summary>How long a completion waits for a listing that is not cached.</summary>
        internal static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(1);

        /// <summary>How long a listing fetched for a completion may take before it is abandoned.</summary>
        internal static readonly TimeSpan FetchLimit = TimeSpan.FromSeconds(15);

        /// <summary>True for -Path parameters: the word is a wildcard pattern, and names are escaped.</summary>
        protected abstract bool Wildcards { get; }

        /// <summary>True where only a folder makes sense (destinations, roots).</summary>
        protected abstract bool FoldersOnly { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // A non-null (possibly empty) answer also keeps PowerShell from offering local file names instead.
            try
            {
                return Complete(wordToComplete, commandAst, fakeBoundParameters);
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        private List<CompletionResult> Complete(string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var clock = Stopwatch.StartNew();
            var none = new List<CompletionResult>();
            var word = CompletionText.Parse(wordToComplete);
            var value = word.Value;

            // Split the word into the folder part (kept as typed, up to its last separator) and the name part.
            var cut = value.LastIndexOfAny(new[] { '/', '\\' });
            var colon = value.IndexOf(':');
            if (cut < 0 && colon > 0)
            {
                cut = colon; // "Drive:na": the drive part, then the name
            }

            var folderText = cut < 0 ? string.Empty : value.Substring(0, cut + 1);
            var leaf = cut < 0 ? value : value.Substring(cut + 1);
            var separator = LastSeparator(value) ?? '/';
            if (Wildcards)
            {
                // The folder part names one folder: wildcard escapes are read as the literal characters.
                folderText = CompletionText.UnescapeWildcard(folderText);
            }

            if (!TryExplicitSession(commandAst, fakeBoundParameters, out var explicitSession))
            {
                return none;
            }

            var target = RemoteTarget.Resolve(folderText, explicitSession);
            if (target == null || !target.Session.IsConnected)
            {
                return none;
            }

            var listing = SharedListings.TryGetCached(target.Session, target.Folder, target.CacheLifetime);
            if (listing == null)
            {
                var fetch = SharedListings.FetchAsync(target.Session, target.Folder, FetchLimit);
                var left = WaitLimit - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return none;
                }

                using (var wait = new CancellationTokenSource(left))
                {
                    try
                    {
                        fetch.Wait(wait.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return none; // the fetch goes on and fills the cache for the next Tab
                    }
                }

                listing = fetch.Result;
            }

            var matches = Matcher(leaf);
            var prefix = Wildcards ? WildcardPattern.Escape(folderText) : folderText;
            return listing.Children
                .Where(c => (c.IsFolder || !FoldersOnly) && matches(c.Name))
                .OrderBy(c => c.IsFolder ? 0 : 1)
                .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new CompletionResult(
                    word.Render(prefix + (Wildcards ? WildcardPattern.Escape(c.Name) : c.Name) + (c.IsFolder ? separator.ToString() : string.Empty)),
                    c.Name,
                    c.IsFolder ? CompletionResultType.ProviderContainer : CompletionResultType.ProviderItem,
                    c.Path))
                .ToList();
        }

        /// <summary>Which names the typed part of the name selects (case-insensitively, as PowerShell's own completion).</summary>
        private Func<string, bool> Matcher(string leaf)
        {
            if (Wildcards && WildcardPattern.ContainsWildcardCharacters(leaf))
            {
                try
                {
                    var pattern = new WildcardPattern(leaf + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                    pattern.IsMatch(string.Empty);
                    return pattern.IsMatch;
                }
                catch (WildcardPatternException)
                {
                    // Not a valid pattern ("a[" from a bare word whose escapes PowerShell already resolved): literal.
                }
            }

            var literal = Wildcards ? CompletionText.UnescapeWildcard(leaf) : leaf;
            return name => name.StartsWith(literal, StringComparison.OrdinalIgnoreCase);
        }

        private static char? LastSeparator(string value)
        {
            var at = value.LastIndexOfAny(new[] { '/', '\\' });
            return at < 0 ? (char?)null : value[at];
        }

        /// <summary>
        /// The session -Session names on the line (null when it is not there). False when the line has a
        /// -Session whose value cannot be known without running something: then nothing is completed rather
        /// than names from another session.
        /// </summary>
        private static bool TryExplicitSession(CommandAst commandAst, IDictionary fakeBoundParameters, out CloudreveSession? session)
        {
            session = null;
            var bound = fakeBoundParameters?.Contains("Session") == true ? fakeBoundParameters["Session"] : null;
            if (bound is PSObject wrapped)
            {
                bound = wrapped.BaseObject;
            }

            if (bound is CloudreveSession given)
            {
                session = given;
                return true;
            }

            var named = commandAst?.CommandElements.OfType<CommandParameterAst>()
                .Any(p => p.ParameterName.Length >= 2 && "Session".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase)) == true;
            return !named && bound == null;
        }
    }

    /// <summary>Completes remote -Path arguments (wildcards: names are escaped).</summary>
    public sealed class RemotePathCompleter : RemotePathCompleterBase
    {
        protected override bool Wildcards => true;

        protected override bool FoldersOnly => false;
    }

    /// <summary>Completes remote -LiteralPath arguments and other literal remote paths.</summary>
    public sealed class RemoteLiteralPathCompleter : RemotePathCompleterBase
    {
        protected override bool Wildcards => false;

        protected override bool FoldersOnly => false;
    }

    /// <summary>Completes remote folders (destinations, WebDAV roots): literal paths, folders only.</summary>
    public sealed class RemoteFolderCompleter : RemotePathCompleterBase
    {
        protected override bool Wildcards => false;

        protected override bool FoldersOnly => true;
    }
}

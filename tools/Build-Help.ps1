<#
.SYNOPSIS
    Builds the module's external help (MAML) and about topics from the markdown pages in docs/.
.DESCRIPTION
    Imports the built module, reads <DocsPath>/<Verb-Noun>.md (PlatyPS markdown, schema 2.0.0) for every
    exported cmdlet and writes <OutputPath>/<AssemblyFileName>-Help.xml. Prose comes from markdown;
    syntax, types, mandatory, position, pipeline input, aliases, accepted values and wildcard support come
    from Get-Command. Every <DocsPath>/about_*.md becomes <OutputPath>/about_*.help.txt.
    Throws (non-zero exit code in a child pwsh) when a page is missing or incomplete. Run it in a child
    process after the build, because it imports the module:
        pwsh -NoProfile -File tools/Build-Help.ps1 -ModulePath out/Cloudreve -DocsPath docs -OutputPath out/Cloudreve/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [string] $AssemblyFileName = 'Cloudreve.PowerShell.dll'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
         dev = 'http://schemas.microsoft.com/maml/dev/2004/10'; MSHelp = 'http://msdn.microsoft.com/mshelp' }
$commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
$defaultDescriptions = @{   # optional common parameters; a page may describe them, otherwise this text is used
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown reading
# Splits a page into level-2 sections, each with its own text lines and level-3 subsections.
# Headings inside fenced code blocks (PowerShell comments) are not headings.
function Read-MarkdownPage([string] $Path) {
    $page = [ordered]@{ Front = @{}; Title = $null; Sections = [ordered]@{} }
    $lines = @((Get-Content -LiteralPath $Path -Encoding utf8) -replace '\s+$', '')
    $i = 0
    if ($lines.Count -and $lines[0] -eq '---') {
        for ($i = 1; $i -lt $lines.Count -and $lines[$i] -ne '---'; $i++) {
            if ($lines[$i] -match '^([^:]+):\s*(.*)$') { $page.Front[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        $i++
    }
    $section = $null; $sub = $null; $inFence = $false
    for (; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        elseif (-not $inFence -and $line -match '^# (.+)$') { $page.Title = $Matches[1].Trim(); continue }
        elseif (-not $inFence -and $line -match '^## (.+)$') {
            $section = [ordered]@{ Lines = [System.Collections.Generic.List[string]]::new(); Subs = [System.Collections.Generic.List[object]]::new() }
            $page.Sections[$Matches[1].Trim().ToUpperInvariant()] = $section; $sub = $null; continue
        }
        elseif (-not $inFence -and $line -match '^### (.+)$' -and $section) {
            $sub = [pscustomobject]@{ Title = $Matches[1].Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $section.Subs.Add($sub); continue
        }
        if ($sub) { $sub.Lines.Add($line) } elseif ($section) { $section.Lines.Add($line) }
    }
    $page
}

# Turns lines into blocks: @{ Kind = 'para'|'code'; Lang; Text }. Paragraph lines are joined with spaces;
# each list item ('- ', '* ', '1. ') starts a new line.
function Split-Blocks([string[]] $Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new(); $buffer = [System.Collections.Generic.List[string]]::new()
    $fence = $null
    $flush = {
        if ($buffer.Count) {
            $items = [System.Collections.Generic.List[string]]::new()   # list items keep their own lines
            foreach ($l in $buffer) {
                if ($items.Count -and $l -notmatch '^\s*([-*]|\d+\.)\s') { $items[$items.Count - 1] += ' ' + $l.Trim() } else { $items.Add($l.Trim()) }
            }
            $text = $items -join "`n"
            $blocks.Add([pscustomobject]@{ Kind = 'para'; Lang = ''; Text = $text }); $buffer.Clear()
        }
    }
    foreach ($line in $Lines) {
        if ($null -ne $fence) {
            if ($line -match '^\s*```\s*$') { $blocks.Add([pscustomobject]@{ Kind = 'code'; Lang = $fence; Text = ($buffer -join "`n") }); $buffer.Clear(); $fence = $null }
            else { $buffer.Add($line) }
        }
        elseif ($line -match '^\s*```\s*(\S*)') { & $flush; $fence = $Matches[1].ToLowerInvariant() }
        elseif ($line -match '^\s*$') { & $flush }
        else { $buffer.Add($line) }
    }
    & $flush
    @($blocks)
}

function Get-Paragraphs([string[]] $Lines) { @(Split-Blocks $Lines | Where-Object Kind -eq 'para' | ForEach-Object Text) }

function Read-Yaml([string] $Text) {
    $map = @{}
    foreach ($l in $Text -split "`n") { if ($l -match '^([^:]+):\s*(.*)$') { $map[$Matches[1].Trim()] = $Matches[2].Trim() } }
    $map
}
#endregion

#region MAML writing
function Write-Paras($w, [string[]] $Paragraphs) {
    $w.WriteStartElement('maml', 'description', $ns.maml)
    if (-not $Paragraphs) { $Paragraphs = @('') }
    foreach ($p in $Paragraphs) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
    $w.WriteEndElement()
}

function Write-Parameter($w, $p, [bool] $InSyntax) {
    $w.WriteStartElement('command', 'parameter', $ns.command)
    foreach ($a in 'required', 'variableLength', 'globbing', 'pipelineInput', 'position', 'aliases') { $w.WriteAttributeString($a, $p[$a]) }
    $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
    Write-Paras $w $p.Description
    if ($p.Values) {
        $w.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($v in $p.Values) {
            $w.WriteStartElement('command', 'parameterValue', $ns.command)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $w.WriteString($v); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($InSyntax -and $p.IsSwitch)) {   # switches show as [-Name] in syntax, without a value
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', $(if ($p.IsSwitch) { 'false' } else { 'true' })); $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($p.TypeName); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, $p.TypeFullName); $w.WriteElementString('maml', 'uri', $ns.maml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $ns.dev, $p.DefaultValue)
    $w.WriteEndElement()
}

function Write-TypeList($w, [string] $ListName, [string] $ItemName, $Subs) {
    $w.WriteStartElement('command', $ListName, $ns.command)
    foreach ($s in $Subs) {
        $w.WriteStartElement('command', $ItemName, $ns.command)
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $s.Title); $w.WriteEndElement()
        Write-Paras $w (Get-Paragraphs $s.Lines)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}
#endregion

#region Metadata
function Get-ParameterData($cmd, [string] $Name, $Doc) {
    $meta = $cmd.Parameters[$Name]
    $sets = @($cmd.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $Name })
    $byValue = @($sets | Where-Object ValueFromPipeline).Count -gt 0
    $byName = @($sets | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
    $pipeline = if ($byValue -and $byName) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    $positions = @($sets | Where-Object Position -ge 0 | ForEach-Object Position | Sort-Object -Unique)
    $validateSet = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    $type = $meta.ParameterType
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { $type = $underlying }   # show Nullable<T> parameters as T
    $default = if ($Doc -and $Doc.Yaml['Default value']) { $Doc.Yaml['Default value'] } elseif ($meta.SwitchParameter) { 'False' } else { 'None' }
    @{
        Name = $Name; IsSwitch = $meta.SwitchParameter; TypeName = $type.Name; TypeFullName = $type.FullName; DefaultValue = $default
        required = "$(@($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0)".ToLowerInvariant()
        variableLength = "$($type.IsArray)".ToLowerInvariant()
        globbing = "$(@($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0)".ToLowerInvariant()
        pipelineInput = $pipeline
        position = $(if ($positions.Count) { "$($positions[0])" } else { 'named' })
        aliases = $(if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' })
        Values = $(if ($validateSet) { @($validateSet.ValidValues) } else { @() })
        Description = $(if ($Doc -and $Doc.Description) { $Doc.Description } else { @($defaultDescriptions[$Name]) })
    }
}

# Reports yaml values that contradict the cmdlet, so pages do not drift from the code.
function Test-YamlAgainstCmdlet($cmd, $data, $yaml, [string] $Where) {
    $expected = @{ 'Type' = $data.TypeName; 'Accept pipeline input' = $data.pipelineInput; 'Aliases' = ($data.aliases -replace '^none$', '')
                   'Accept wildcard characters' = $data.globbing; 'Accepted values' = ($data.Values -join ', ') }
    $listed = @("$($yaml['Parameter Sets'])" -split ',\s*' | Sort-Object)
    $actual = @($cmd.ParameterSets | Where-Object { $_.Parameters.Name -contains $data.Name } | ForEach-Object Name | Sort-Object)
    if ($listed -contains '(All)' -or ($listed -join ',') -eq ($actual -join ',')) {
        $expected['Required'] = $data.required; $expected['Position'] = $(if ($data.position -eq 'named') { 'Named' } else { $data.position })
    }
    foreach ($key in $expected.Keys) {
        if ($yaml.ContainsKey($key) -and "$($yaml[$key])" -ne "$($expected[$key])") {
            Write-Warning "$Where '$key' is '$($yaml[$key])' in markdown but '$($expected[$key])' in the cmdlet (the cmdlet wins)."
        }
    }
}
#endregion

#region About topics
function Convert-AboutTopic([string] $Path, [string] $Destination) {
    $page = Read-MarkdownPage $Path
    $sb = [System.Text.StringBuilder]::new()
    [void] $sb.AppendLine('TOPIC').AppendLine("    $($page.Title)").AppendLine()
    foreach ($name in $page.Sections.Keys) {
        $section = $page.Sections[$name]
        $parts = @(@{ Title = $null; Lines = $section.Lines }) + @($section.Subs | ForEach-Object { @{ Title = $_.Title; Lines = $_.Lines } })
        [void] $sb.AppendLine($name)
        foreach ($part in $parts) {
            if ($part.Title) { [void] $sb.AppendLine("  $($part.Title.ToUpperInvariant())").AppendLine() }
            foreach ($block in (Split-Blocks $part.Lines)) {
                if ($block.Kind -eq 'code') { foreach ($l in $block.Text -split "`n") { [void] $sb.AppendLine(("        $l").TrimEnd()) } }
                else { foreach ($item in $block.Text -split "`n") { foreach ($l in (Format-Wrapped $item 76)) { [void] $sb.AppendLine("    $l") } } }
                [void] $sb.AppendLine()
            }
        }
    }
    [System.IO.File]::WriteAllText($Destination, $sb.ToString().TrimEnd() + "`n", [System.Text.UTF8Encoding]::new($false))
}

function Format-Wrapped([string] $Text, [int] $Width) {
    $indent = if ($Text -match '^([-*]|\d+\.)\s') { ' ' * $Matches[0].Length } else { '' }   # hanging indent for list items
    $line = ''
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line -and ($line.Length + 1 + $word.Length) -gt $Width) { $line; $line = $indent + $word }
        else { $line = if ($line) { "$line $word" } else { $word } }
    }
    if ($line) { $line }
}
#endregion

#region Per command
# Reads one page and the cmdlet's metadata into what the MAML needs; adds every gap to $problems.
function Read-CommandDoc($cmd, [string] $PagePath) {
    $page = Read-MarkdownPage $PagePath
    $section = { param($n) if ($page.Sections.Contains($n)) { $page.Sections[$n] } else { [ordered]@{ Lines = @(); Subs = @() } } }
    $doc = [ordered]@{
        Synopsis = Get-Paragraphs (& $section 'SYNOPSIS').Lines; Description = Get-Paragraphs (& $section 'DESCRIPTION').Lines
        Inputs = (& $section 'INPUTS').Subs; Outputs = (& $section 'OUTPUTS').Subs; Notes = Get-Paragraphs (& $section 'NOTES').Lines
        Examples = @(); ParamNames = @(); Params = @{}
        Links = @(if ($page.Front['online version']) { , @('Online Version:', $page.Front['online version']) })
    }
    if (-not $doc.Synopsis) { $problems.Add("$($cmd.Name): no SYNOPSIS.") }
    if (-not $doc.Description) { $problems.Add("$($cmd.Name): no DESCRIPTION.") }

    $isCode = { $_.Kind -eq 'code' -and $_.Lang -in '', 'powershell', 'ps', 'pwsh', 'ps1' }   # other fences (output) are remarks
    $doc.Examples = @(foreach ($sub in (& $section 'EXAMPLES').Subs) {
        $blocks = @(Split-Blocks $sub.Lines)
        $code = @($blocks | Where-Object $isCode | ForEach-Object Text) -join "`n`n"
        if (-not $code.Trim()) { $problems.Add("$($cmd.Name): example '$($sub.Title)' has no powershell code block.") }
        [pscustomobject]@{ Title = $sub.Title; Code = $code; Remarks = @($blocks | Where-Object { -not (& $isCode) } | ForEach-Object Text) }
    })
    if ($doc.Examples.Count -lt 2) { $problems.Add("$($cmd.Name): $($doc.Examples.Count) example(s); at least two are required.") }

    $documented = [ordered]@{}
    foreach ($sub in (& $section 'PARAMETERS').Subs | Where-Object Title -ne 'CommonParameters') {
        $name = $sub.Title.TrimStart('-')
        $blocks = @(Split-Blocks $sub.Lines)
        $yamls = @($blocks | Where-Object { $_.Kind -eq 'code' -and $_.Lang -eq 'yaml' } | ForEach-Object { Read-Yaml $_.Text })
        $documented[$name] = @{ Description = @($blocks | Where-Object Kind -eq 'para' | ForEach-Object Text); Yaml = $(if ($yamls) { $yamls[0] } else { @{} }); AllYaml = $yamls }
        if (-not $cmd.Parameters.ContainsKey($name) -or $name -in $commonParameters) { $problems.Add("$($cmd.Name): page documents -$name, which the cmdlet does not have.") }
    }
    $real = @($cmd.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
    $doc.ParamNames = @($documented.Keys | Where-Object { $_ -in $real }) + @($real | Where-Object { $_ -notin $documented.Keys })   # page order first
    foreach ($name in $doc.ParamNames) {
        $d = $documented[$name]
        if (-not ($d -and $d.Description) -and -not $defaultDescriptions.ContainsKey($name)) { $problems.Add("$($cmd.Name): parameter -$name has no description."); continue }
        $doc.Params[$name] = Get-ParameterData $cmd $name $d
        if ($d) { foreach ($y in $d.AllYaml) { Test-YamlAgainstCmdlet $cmd $doc.Params[$name] $y "$($cmd.Name) -$name" } }
    }
    $doc.Links += @(foreach ($l in (& $section 'RELATED LINKS').Lines) { if ($l -match '\[([^\]]+)\]\(([^)]*)\)') { , @($Matches[1], $Matches[2]) } })
    $doc
}

function Write-CommandHelp($w, $cmd, $doc) {
    $w.WriteStartElement('command', 'command', $ns.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
    $w.WriteStartElement('command', 'details', $ns.command)
    foreach ($part in 'Name', 'Verb', 'Noun') { $w.WriteElementString('command', $part.ToLowerInvariant(), $ns.command, $cmd.$part) }
    Write-Paras $w $doc.Synopsis
    $w.WriteEndElement()
    Write-Paras $w $doc.Description

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in @($cmd.ParameterSets | Sort-Object -Stable { -not $_.IsDefault })) {   # default set first
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        $inSet = @($set.Parameters | Where-Object { $doc.Params.ContainsKey($_.Name) })
        foreach ($p in @($inSet | Where-Object Position -ge 0 | Sort-Object Position) + @($inSet | Where-Object Position -lt 0 | Sort-Object -Stable { -not $_.IsMandatory })) {
            $data = $doc.Params[$p.Name].Clone()   # mandatory and position are per parameter set
            $data.required = "$($p.IsMandatory)".ToLowerInvariant(); $data.position = $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' })
            Write-Parameter $w $data $true
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($name in $doc.ParamNames) { if ($doc.Params.ContainsKey($name)) { Write-Parameter $w $doc.Params[$name] $false } }
    $w.WriteEndElement()
    Write-TypeList $w 'inputTypes' 'inputType' $doc.Inputs
    Write-TypeList $w 'returnValues' 'returnValue' $doc.Outputs

    $w.WriteStartElement('maml', 'alertSet', $ns.maml); $w.WriteStartElement('maml', 'alert', $ns.maml)
    foreach ($p in $doc.Notes) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
    $w.WriteEndElement(); $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $ns.command)
    foreach ($ex in $doc.Examples) {
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------- $($ex.Title) --------")
        $w.WriteElementString('dev', 'code', $ns.dev, $ex.Code)
        $w.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($r in @($ex.Remarks) + '') { $w.WriteElementString('maml', 'para', $ns.maml, $r) }   # '' = blank line before the next example
        $w.WriteEndElement(); $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $doc.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $w.WriteElementString('maml', 'linkText', $ns.maml, $link[0])
        $w.WriteElementString('maml', 'uri', $ns.maml, $(if ($link[1] -match '^https?://') { $link[1] } else { '' }))   # .md links are for the web only
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
#endregion

$manifest = if (Test-Path -LiteralPath $ModulePath -PathType Leaf) { $ModulePath } else { @(Get-ChildItem -LiteralPath $ModulePath -Filter *.psd1)[0].FullName }
$module = Import-Module $manifest -Force -PassThru -ErrorAction Stop -Verbose:$false
$cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
if (-not $cmdlets) { throw "Module '$($module.Name)' exports no cmdlets." }
$null = New-Item -ItemType Directory -Path $OutputPath -Force
$problems = [System.Collections.Generic.List[string]]::new()
$helpFile = Join-Path $OutputPath "$AssemblyFileName-Help.xml"

$w = [System.Xml.XmlWriter]::Create("$helpFile.tmp", [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) })
try {
    $w.WriteStartDocument(); $w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
    foreach ($cmd in $cmdlets) {
        if ("$($cmd.HelpFile)" -and (Split-Path $cmd.HelpFile -Leaf) -ne "$AssemblyFileName-Help.xml") { Write-Warning "$($cmd.Name): PowerShell looks for help in '$($cmd.HelpFile)', not '$AssemblyFileName-Help.xml'." }
        $pagePath = Join-Path $DocsPath "$($cmd.Name).md"
        if (-not (Test-Path -LiteralPath $pagePath)) { $problems.Add("$($cmd.Name): no help page '$pagePath'."); continue }
        Write-CommandHelp $w $cmd (Read-CommandDoc $cmd $pagePath)
    }
    $w.WriteEndElement(); $w.WriteEndDocument()
}
catch { $w.Dispose(); Remove-Item -LiteralPath "$helpFile.tmp" -ErrorAction Ignore; throw }
finally { $w.Dispose() }
# The file is moved into place only when complete: never ship a half-documented module.
if ($problems.Count) { Remove-Item -LiteralPath "$helpFile.tmp", $helpFile -ErrorAction Ignore } else { Move-Item -LiteralPath "$helpFile.tmp" -Destination $helpFile -Force }

foreach ($orphan in (Get-ChildItem -LiteralPath $DocsPath -Filter '*-*.md' | Where-Object BaseName -notin $cmdlets.Name)) {
    Write-Warning "$($orphan.Name) documents no exported cmdlet of '$($module.Name)'."
}
foreach ($about in (Get-ChildItem -LiteralPath $DocsPath -Filter 'about_*.md')) {
    Convert-AboutTopic $about.FullName (Join-Path $OutputPath "$($about.BaseName).help.txt")
}
if ($problems.Count) { throw "Help is incomplete ($($problems.Count) problem(s)):`n  " + ($problems -join "`n  ") }
Write-Verbose "Wrote help for $($cmdlets.Count) cmdlet(s) to '$helpFile'."

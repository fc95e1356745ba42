#Requires -Version 7.2
<#
.SYNOPSIS
    Latency of remote path tab completion in the cmdlets (TabExpansion2), uncached and cached, against the sandbox.
.DESCRIPTION
    Creates a folder of -Count files, then completes "Get-CloudreveChildItem /bench/" -Repeat times with the
    session's listing cache cleared before each try (one listing request each), and -Repeat times with the
    listing cached (no request), and prints the median and the slowest try of each, in milliseconds, next to
    TabExpansion2's own cost for a parameter name on the same command.
    -ServerVersion All (default) measures against a sandbox playing Cloudreve 3.8.3, then one playing 4.18.0, and
    prints one labelled table per generation; -PassThru also returns the rows (with a Server column).
    Not part of the tests. Run it after a build:
    dotnet pwsh -NoProfile -File bench/Completion.ps1 -ModulePath out/Cloudreve -SandboxPath out/sandbox
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
    [ValidateSet('3.8.3', '4.18.0', 'All')] [string] $ServerVersion = 'All',
    [int] $Count = 200,
    [int] $Repeat = 20,
    [switch] $PassThru
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'Cloudreve.psd1')
Import-Module (Join-Path $PSScriptRoot '../tools/Sandbox.psm1')
$versions = if ($ServerVersion -eq 'All') { @('3.8.3', '4.18.0') } else { @($ServerVersion) }
$line = 'Get-CloudreveChildItem /bench/'

function Measure-Try([switch] $Uncached) {
    if ($Uncached) { $drive.ClearCache() }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $n = (TabExpansion2 $line $line.Length).CompletionMatches.Count
    $watch.Stop()
    if ($n -ne $Count) { throw "expected $Count completions, got $n" }
    $watch.Elapsed.TotalMilliseconds
}

$rows = foreach ($generation in $versions) {
    $password = 'Bench-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $sandbox = Start-CloudreveSandbox -SandboxPath (Resolve-Path $SandboxPath).Path -ExtraArgument @('--server-version', $generation, '--user', "bench@example.com:$password")
    try {
        $null = Connect-Cloudreve -Uri $sandbox.Uri -Credential (New-TestCredential -UserName 'bench@example.com' -Password $password)
        $expectedApi = if ($generation -eq '3.8.3') { 'v3' } else { 'v4' }
        if ((Get-CloudreveSession).ApiVersion -ne $expectedApi) { throw "The module did not detect Cloudreve $generation." }
        New-CloudreveFolder /bench | Out-Null
        1..$Count | ForEach-Object { New-CloudreveFile -Path ('/bench/file {0:d4}.txt' -f $_) } | Out-Null
        $drive = Get-PSDrive Cloudreve
        $null = TabExpansion2 $line $line.Length   # warm up the code paths (JIT), not measured
        $uncached = @(1..$Repeat | ForEach-Object { Measure-Try -Uncached })
        $cached = @(1..$Repeat | ForEach-Object { Measure-Try })
        # TabExpansion2's own cost on the same command line, for comparison: a parameter name (no listing).
        $baseline = @(1..$Repeat | ForEach-Object {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $null = TabExpansion2 'Get-CloudreveChildItem -Rec' 27
                $watch.Elapsed.TotalMilliseconds
            })
        $table = foreach ($row in @(@{ Case = 'uncached'; Times = $uncached }, @{ Case = 'cached'; Times = $cached }, @{ Case = 'parameter name (baseline)'; Times = $baseline })) {
            $sorted = $row.Times | Sort-Object
            [pscustomobject][ordered]@{
                Server   = $generation
                Case     = $row.Case
                Entries  = $Count
                Tries    = $Repeat
                MedianMs = [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1)
                MaxMs    = [math]::Round($sorted[-1], 1)
            }
        }
        Write-Host "`nTab completion against Cloudreve $generation" -ForegroundColor Green
        $table | Select-Object Case, Entries, Tries, MedianMs, MaxMs | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
        $table
    }
    finally {
        Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
        Stop-CloudreveSandbox $sandbox
    }
}
if ($PassThru) { $rows }

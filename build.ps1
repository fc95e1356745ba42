#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates the Cloudreve module.
.DESCRIPTION
    Tasks:
      Build        Compile and lay out the complete module in out/Cloudreve (with MAML help) and the sandbox in out/sandbox.
      Docs         Regenerate out/Cloudreve/en-US help from docs/ (needs a built module).
      Test         Build, then run the xunit suite, the conformance suite (v3 checks against a 3.8.3 sandbox and v4 checks
                   against a 4.18.0 sandbox, both in process) and the Pester suite; fails on any failure.
      Demo         Build, start the sandbox on a free loopback port, run a short real session, stop it.
                   -ServerVersion 3.8.3 (default) or 4.18.0 chooses the Cloudreve generation the sandbox plays.
      Package      Build, then pack out/Cloudreve into out/Cloudreve.<version>.nupkg with Publish-PSResource (tools/Build-Package.ps1).
      Bench        Build, then run the transfer benchmarks in bench/Bench.ps1 (upload, download, many small files against
                   curl doing the same HTTP calls; peak memory) against the sandbox. -ServerVersion 3.8.3, 4.18.0 or All
                   (the default for Bench: a 3.8.3 sandbox, then a 4.18.0 one, one table of ratios each); -Quick is a
                   smoke run (64 MiB, 50 small files, 256 MiB peak, one repetition). Not part of CI or Test.
      Conformance  HTTP-level conformance suite (tests/Cloudreve.Conformance). Starts a 3.8.3 and a 4.18.0 sandbox in
                   process (v3 and v4 checks), or runs against a real Cloudreve when CLOUDREVE_TEST_URI,
                   CLOUDREVE_TEST_USER, CLOUDREVE_TEST_PASSWORD (and CLOUDREVE_TEST_TOTP, the base32 secret of a 2FA
                   account; for 4.x also CLOUDREVE_TEST_USER2/CLOUDREVE_TEST_PASSWORD2, an ordinary user) are set: the
                   generation is detected by the ping and only the matching checks run. Not part of Test.
    Run it as: dotnet tool restore; dotnet pwsh -NoProfile -File build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Demo', 'Bench', 'Conformance', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The Cloudreve generation the sandbox plays: Demo 3.8.3 (default) or 4.18.0; Bench also All (its default).
    [ValidateSet('3.8.3', '4.18.0', 'All')]
    [string] $ServerVersion,

    # Bench only: the quick smoke sizes instead of the full ones.
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'Cloudreve'
$sandboxOut = Join-Path $out 'sandbox'
$resultsOut = Join-Path $out 'test-results'
$moduleVersion = (Import-PowerShellDataFile (Join-Path $root 'Cloudreve.psd1')).ModuleVersion   # the one place the version lives

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    Write-Host "==> $What" -ForegroundColor Cyan
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

# A fresh PowerShell process of the same version as this one (help generation and Pester must not
# load the module into the build's own process).
function Invoke-ChildPwsh {
    param([string[]] $Arguments)
    $host_ = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') {
        & $host_ (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive @Arguments
    }
    else {
        & $host_ -NoProfile -NonInteractive @Arguments
    }
}

function Invoke-Build {
    Invoke-Native 'dotnet build module' { dotnet build (Join-Path $root 'src/Cloudreve/Cloudreve.csproj') -c $Configuration --nologo -v quiet "-p:Version=$moduleVersion" }
    Invoke-Native 'dotnet build sandbox' { dotnet build (Join-Path $root 'src/Cloudreve.Sandbox/Cloudreve.Sandbox.csproj') -c $Configuration --nologo -v quiet -o $sandboxOut }

    $bin = Join-Path $root "src/Cloudreve/bin/$Configuration/netstandard2.0"
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $deps = New-Item -ItemType Directory -Path (Join-Path $moduleOut 'dependencies') -Force
    Copy-Item (Join-Path $root 'Cloudreve.psd1') $moduleOut
    Copy-Item (Join-Path $root 'src/Cloudreve/Formats/*.ps1xml') $moduleOut
    Copy-Item (Join-Path $bin 'Cloudreve.PowerShell.dll'), (Join-Path $bin 'Cloudreve.PowerShell.pdb') $moduleOut
    Get-ChildItem $bin -Filter *.dll | Where-Object Name -NE 'Cloudreve.PowerShell.dll' | Copy-Item -Destination $deps
    Invoke-Docs
    Write-Host "Module laid out in $moduleOut" -ForegroundColor Green
}

function Invoke-Docs {
    Write-Host '==> help from docs/' -ForegroundColor Cyan
    Invoke-ChildPwsh -Arguments @('-File', (Join-Path $root 'tools/Build-Help.ps1'), '-ModulePath', $moduleOut, '-DocsPath', (Join-Path $root 'docs'), '-OutputPath', (Join-Path $moduleOut 'en-US'))
    if ($LASTEXITCODE -ne 0) { throw "Help generation failed (exit code $LASTEXITCODE)." }
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int] $counters.passed; Failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout }
}

function Invoke-Test {
    Invoke-Build
    if (Test-Path $resultsOut) { Remove-Item $resultsOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $resultsOut

    Write-Host '==> xunit' -ForegroundColor Cyan
    dotnet test (Join-Path $root 'tests/Cloudreve.Tests/Cloudreve.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $resultsOut
    $xunitExit = $LASTEXITCODE
    $trxPath = Join-Path $resultsOut 'xunit.trx'
    $xunit = if (Test-Path $trxPath) { Get-TrxCounts $trxPath } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }   # build or host failure

    Write-Host '==> conformance suite (v3 checks against a 3.8.3 sandbox, v4 checks against a 4.18.0 sandbox, in process)' -ForegroundColor Cyan
    $saved = @{}
    foreach ($name in 'CLOUDREVE_TEST_URI', 'CLOUDREVE_TEST_USER', 'CLOUDREVE_TEST_PASSWORD', 'CLOUDREVE_TEST_TOTP', 'CLOUDREVE_TEST_USER2', 'CLOUDREVE_TEST_PASSWORD2') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)   # the Test task never talks to a real server
    }
    try {
        dotnet test (Join-Path $root 'tests/Cloudreve.Conformance/Cloudreve.Conformance.csproj') -c $Configuration --nologo `
            --logger 'trx;LogFileName=conformance.trx' --logger 'console;verbosity=minimal' --results-directory $resultsOut
        $conformanceExit = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    $conformanceTrx = Join-Path $resultsOut 'conformance.trx'
    $conformance = if (Test-Path $conformanceTrx) { Get-TrxCounts $conformanceTrx } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($conformanceExit -ne 0 -and $conformance.Failed -eq 0) { $conformance.Failed = 1 }

    Invoke-Native 'restore Pester' { dotnet restore (Join-Path $root 'tests/tools/TestTools.csproj') --nologo -v quiet }
    Write-Host '==> Pester' -ForegroundColor Cyan
    $pesterSummary = Join-Path $resultsOut 'pester-summary.json'
    Invoke-ChildPwsh -Arguments @('-File', (Join-Path $root 'tests/Invoke-PesterSuite.ps1'), '-ModulePath', $moduleOut, '-SandboxPath', $sandboxOut, '-ResultDirectory', $resultsOut)
    $pester = if (Test-Path $pesterSummary) { Get-Content $pesterSummary -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }

    Write-Host ("xunit: {0} passed, {1} failed; conformance: {2} passed, {3} failed; Pester: {4} passed, {5} failed" -f $xunit.Passed, $xunit.Failed, $conformance.Passed, $conformance.Failed, $pester.Passed, $pester.Failed)
    $passed = $xunit.Passed + $conformance.Passed + $pester.Passed
    $failed = $xunit.Failed + $conformance.Failed + $pester.Failed
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    if (-not $ServerVersion) { $ServerVersion = '3.8.3' }
    if ($ServerVersion -eq 'All') { throw "The demo runs against one generation: -ServerVersion 3.8.3 or 4.18.0." }
    Invoke-Build
    Write-Host "==> demo against the sandbox playing Cloudreve $ServerVersion" -ForegroundColor Cyan
    Invoke-ChildPwsh -Arguments @('-File', (Join-Path $root 'tools/Demo.ps1'), '-ModulePath', $moduleOut, '-SandboxPath', $sandboxOut, '-ServerVersion', $ServerVersion)
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    Invoke-Build
    $versions = if ($ServerVersion) { $ServerVersion } else { 'All' }
    Write-Host "==> transfer benchmarks against the sandbox (Cloudreve $($versions -replace '^All$', '3.8.3, then 4.18.0'))" -ForegroundColor Cyan
    $benchArgs = @('-File', (Join-Path $root 'bench/Bench.ps1'), '-ModulePath', $moduleOut, '-SandboxPath', $sandboxOut, '-ServerVersion', $versions)
    if ($Quick) { $benchArgs += '-Quick' }
    Invoke-ChildPwsh -Arguments $benchArgs
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed (exit code $LASTEXITCODE)." }
}

function Invoke-Package {
    Invoke-Build
    Write-Host '==> package' -ForegroundColor Cyan
    Invoke-ChildPwsh -Arguments @('-File', (Join-Path $root 'tools/Build-Package.ps1'), '-ModulePath', $moduleOut, '-OutputPath', $out)
    if ($LASTEXITCODE -ne 0) { throw "Packaging failed (exit code $LASTEXITCODE)." }
}

function Invoke-Conformance {
    $target = if ($env:CLOUDREVE_TEST_URI) { "the server at $($env:CLOUDREVE_TEST_URI) (generation detected by its ping)" } else { 'in-process 3.8.3 and 4.18.0 sandboxes' }
    Write-Host "==> conformance suite against $target" -ForegroundColor Cyan
    $results = Join-Path $out 'conformance-results'
    dotnet test (Join-Path $root 'tests/Cloudreve.Conformance/Cloudreve.Conformance.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=conformance.trx' --logger 'console;verbosity=normal' --results-directory $results
    if ($LASTEXITCODE -ne 0) { throw "The conformance suite failed (exit code $LASTEXITCODE); see $results/conformance.trx." }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Docs' { Invoke-Docs }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Conformance' { Invoke-Conformance }
    'Package' { Invoke-Package }
}

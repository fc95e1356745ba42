# Runs every Pester suite under tests/Pester in this (fresh) process against the built module, once per server generation.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
    [Parameter(Mandatory)] [string] $ResultDirectory
)
$ErrorActionPreference = 'Stop'
$packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
$pester = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
Import-Module $pester -Force

$env:CLOUDREVE_MODULE_PATH = Join-Path $ModulePath 'Cloudreve.psd1'
$env:CLOUDREVE_SANDBOX_PATH = $SandboxPath

# One test body per generation: every suite runs against a 3.8.3 sandbox, then against a 4.18.0 sandbox
# (Start-CloudreveSandbox reads CLOUDREVE_SERVER_VERSION). Help and Package do not talk to a server and run once.
$once = 'Help.Tests.ps1', 'Package.Tests.ps1'
$all = Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Pester') -Filter '*.Tests.ps1' | Sort-Object Name
$passed = 0
$failed = 0
$saved = $env:CLOUDREVE_SERVER_VERSION
try {
    foreach ($generation in '3.8.3', '4.18.0') {
        $env:CLOUDREVE_SERVER_VERSION = $generation
        $files = if ($generation -eq '3.8.3') { $all } else { $all | Where-Object { $_.Name -notin $once } }
        Write-Host "==> Pester against a Cloudreve $generation sandbox ($($files.Count) files)" -ForegroundColor Cyan
        $config = New-PesterConfiguration
        $config.Run.Path = [string[]] $files.FullName
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Normal'
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputFormat = 'NUnitXml'
        $config.TestResult.OutputPath = Join-Path $ResultDirectory "pester-$generation.xml"
        $result = Invoke-Pester -Configuration $config
        $genFailed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        Write-Host ("Pester against {0}: {1} passed, {2} failed" -f $generation, $result.PassedCount, $genFailed)
        $passed += $result.PassedCount
        $failed += $genFailed
    }
}
finally {
    $env:CLOUDREVE_SERVER_VERSION = $saved
}

[pscustomobject]@{ Passed = $passed; Failed = $failed } |
    ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-summary.json')
exit ([int]($failed -gt 0))

# Runs every Pester suite under tests/Pester in this (fresh) process against the built module.
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

$config = New-PesterConfiguration
$config.Run.Path = Join-Path $PSScriptRoot 'Pester'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } |
    ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-summary.json')
exit ([int]($failed -gt 0))

# Imports the installed module by name (or from -ModuleRoot on Windows) in this fresh pwsh and reports what a user gets.
param([string] $ModuleRoot)
$ErrorActionPreference = 'Stop'
if ($ModuleRoot) { $env:PSModulePath = $ModuleRoot + [IO.Path]::PathSeparator + $env:PSModulePath }
$module = Import-Module Cloudreve -PassThru
$warnings = $null
$manifest = Test-ModuleManifest -Path (Join-Path $module.ModuleBase 'Cloudreve.psd1') -WarningVariable warnings -ErrorVariable manifestErrors -ErrorAction SilentlyContinue
$help = Get-Help Connect-Cloudreve -Full
$about = Get-Help about_Cloudreve -ErrorAction SilentlyContinue
$quota = [Cloudreve.CloudreveQuota]@{ UserName = 'nobody@example.com'; Used = 1; Free = 1GB - 1; Total = 1GB }
[pscustomobject]@{
    ModuleBase       = $module.ModuleBase
    Version          = "$($module.Version)"
    AssemblyVersion  = [Cloudreve.CloudreveQuota].Assembly.GetName().Version.ToString()
    Cmdlets          = @($module.ExportedCmdlets.Keys | Sort-Object)
    ManifestOk       = $null -ne $manifest -and @($manifestErrors).Count -eq 0
    ManifestWarnings = @($warnings | ForEach-Object { "$_" })
    HelpSynopsis     = "$($help.Synopsis)".Trim()
    HelpExamples     = @($help.examples.example).Count
    HelpFile         = (Get-Command Connect-Cloudreve).HelpFile
    AboutTopic       = [bool]("$about" -match 'SHORT DESCRIPTION')
    FormatTypes      = @(Get-FormatData -TypeName 'Cloudreve.*' | ForEach-Object { $_.TypeNames } | Sort-Object -Unique)
    QuotaTable       = ($quota | Format-Table | Out-String -Width 200)
} | ConvertTo-Json -Compress -Depth 4

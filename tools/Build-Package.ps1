#Requires -Version 7.4
<#
.SYNOPSIS
    Packs a laid-out module folder into <OutputPath>/<Name>.<version>.nupkg with Publish-PSResource.
.DESCRIPTION
    Publishes to a temporary file repository, registered -Trusted under a unique name and unregistered again in any
    case, so nothing goes over the network. Run it in a fresh pwsh: on Linux and macOS it first points the data and
    configuration folders (XDG_DATA_HOME, XDG_CONFIG_HOME) that PSResourceGet and NuGet keep their settings in at a
    temporary folder, so the user's own repository registrations and NuGet settings are never read or written.
    Writes the package file (a FileInfo) to the pipeline.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$name = Split-Path $ModulePath -Leaf
$manifestPath = Join-Path $ModulePath "$name.psd1"
$version = (Import-PowerShellDataFile -LiteralPath $manifestPath).ModuleVersion
$null = Test-ModuleManifest -Path $manifestPath   # throws on a manifest the Gallery would refuse
$OutputPath = (New-Item -ItemType Directory -Path $OutputPath -Force).FullName

$work = Join-Path ([IO.Path]::GetTempPath()) ("cloudreve-package-" + [guid]::NewGuid().ToString('N'))
$repository = New-Item -ItemType Directory -Path (Join-Path $work 'repository')
$saved = @{ XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
$repositoryName = 'CloudreveBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
$registered = $false
Push-Location -LiteralPath $work
try {
    if (-not $IsWindows) {
        # .NET takes the application data folders from these (and only when the folders exist; otherwise settings
        # files would land relative to the current folder, which is $work for that reason).
        $env:XDG_DATA_HOME = (New-Item -ItemType Directory -Path (Join-Path $work 'data')).FullName
        $env:XDG_CONFIG_HOME = (New-Item -ItemType Directory -Path (Join-Path $work 'config')).FullName
    }
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    Register-PSResourceRepository -Name $repositoryName -Uri $repository.FullName -Trusted
    $registered = $true
    Publish-PSResource -Path $ModulePath -Repository $repositoryName

    $package = Get-ChildItem -LiteralPath $repository.FullName -Filter '*.nupkg' | Where-Object Name -EQ "$name.$version.nupkg"
    if (-not $package) { throw "Publish-PSResource left no $name.$version.nupkg in $($repository.FullName)." }
    $target = Join-Path $OutputPath $package.Name
    Copy-Item -LiteralPath $package.FullName -Destination $target -Force
    $result = Get-Item -LiteralPath $target
    Write-Host ("Package {0} ({1:N0} bytes)" -f $result.FullName, $result.Length) -ForegroundColor Green
    $result
}
finally {
    if ($registered) { Unregister-PSResourceRepository -Name $repositoryName -ErrorAction SilentlyContinue }
    foreach ($variable in $saved.Keys) { [Environment]::SetEnvironmentVariable($variable, $saved[$variable]) }
    Pop-Location
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

# Installs a module package from a folder (a temporary file repository) the way a user installs from the Gallery.
# Run in a fresh pwsh whose HOME is a temporary folder (Linux, macOS): PSResourceGet's repository list and the
# CurrentUser install then land under it. On Windows the module is saved to -Destination instead.
param(
    [Parameter(Mandatory)] [string] $Feed,
    [Parameter(Mandatory)] [string] $Name,
    [Parameter(Mandatory)] [string] $Destination
)
$ErrorActionPreference = 'Stop'
$repository = 'CloudreveTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Register-PSResourceRepository -Name $repository -Uri $Feed -Trusted
try {
    if ($IsWindows) { Save-PSResource -Name $Name -Repository $repository -Path $Destination -TrustRepository -Quiet }
    else { Install-PSResource -Name $Name -Repository $repository -Scope CurrentUser -TrustRepository -Quiet }
    $installed = if ($IsWindows) { Get-InstalledPSResource -Name $Name -Path $Destination } else { Get-InstalledPSResource -Name $Name -Scope CurrentUser }
    [pscustomobject]@{ Name = $installed.Name; Version = "$($installed.Version)"; Repository = $installed.Repository; InstalledLocation = $installed.InstalledLocation; RepositoryName = $repository } |
        ConvertTo-Json -Compress
}
finally {
    Unregister-PSResourceRepository -Name $repository
}

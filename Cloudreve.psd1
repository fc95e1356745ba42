@{
    RootModule             = 'Cloudreve.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f2d7c1e-5b8a-4f3e-9d27-3c1a8e4b9f60'
    Author                 = 'Cloudreve for PowerShell contributors'
    CompanyName            = 'Cloudreve for PowerShell'
    Copyright              = '(c) Cloudreve for PowerShell contributors. MIT License.'
    Description            = 'Drive a Cloudreve cloud-drive server from PowerShell: sessions with two-factor login, files and folders, transfers, shares, WebDAV accounts and user administration, plus a Cloudreve:\ drive.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Cloudreve.Format.ps1xml')
    CmdletsToExport        = @(
        'Connect-Cloudreve'
        'Copy-CloudreveItem'
        'Disable-CloudreveUser'
        'Disconnect-Cloudreve'
        'Enable-CloudreveUser'
        'Get-CloudreveChildItem'
        'Get-CloudreveDownloadUrl'
        'Get-CloudreveGroup'
        'Get-CloudreveItem'
        'Get-CloudreveItemProperty'
        'Get-CloudreveQuota'
        'Get-CloudreveSession'
        'Get-CloudreveShare'
        'Get-CloudreveSite'
        'Get-CloudreveSourceLink'
        'Get-CloudreveUser'
        'Get-CloudreveWebDavAccount'
        'Move-CloudreveItem'
        'New-CloudreveFile'
        'New-CloudreveFolder'
        'New-CloudreveShare'
        'New-CloudreveUser'
        'New-CloudreveWebDavAccount'
        'Receive-CloudreveFile'
        'Remove-CloudreveItem'
        'Remove-CloudreveShare'
        'Remove-CloudreveUser'
        'Remove-CloudreveWebDavAccount'
        'Rename-CloudreveItem'
        'Send-CloudreveFile'
        'Set-CloudreveShare'
        'Set-CloudreveUser'
        'Set-CloudreveWebDavAccount'
        'Test-CloudreveConnection'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Cloudreve', 'CloudStorage', 'CloudDrive', 'WebDAV', 'FileTransfer', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/cloudreve-powershell/Cloudreve'
            ReleaseNotes = 'First release: sessions (with two-factor login), site information, quota.'
        }
    }
}

@{
    RootModule             = 'Cloudreve.PowerShell.dll'
    ModuleVersion          = '0.2.0'
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
        'Clear-CloudreveTrash'
        'Connect-Cloudreve'
        'Copy-CloudreveItem'
        'Disable-CloudreveUser'
        'Disconnect-Cloudreve'
        'Enable-CloudreveUser'
        'Find-CloudreveItem'
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
        'Get-CloudreveTrashItem'
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
        'Remove-CloudreveSourceLink'
        'Remove-CloudreveUser'
        'Remove-CloudreveWebDavAccount'
        'Rename-CloudreveItem'
        'Restore-CloudreveItem'
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
            ReleaseNotes = @'
0.2.0
- Files and folders: Get-CloudreveItem, Get-CloudreveChildItem (-Recurse, -Depth, -Filter), New-, Copy-, Move-, Rename- and Remove-CloudreveItem, Get-CloudreveItemProperty.
- Transfers: Send-CloudreveFile and Receive-CloudreveFile (parallel, constant memory, retry and resume; local, OneDrive and S3 policies), Get-CloudreveDownloadUrl.
- Sharing: New-, Get-, Set- and Remove-CloudreveShare, Get- and Remove-CloudreveSourceLink.
- WebDAV accounts: Get-, New-, Set- and Remove-CloudreveWebDavAccount.
- Administration: Get-, New-, Set-, Remove-, Disable- and Enable-CloudreveUser, Get-CloudreveGroup. The user list now shows the group's permissions (CanShare, CanUseWebDav, ...) and leaves out Id (the hashid, which the administrator API does not carry).
- The Cloudreve: drive (PowerShell provider): Get-ChildItem, Get-Content, Set-Content, Remove-Item and friends on the server.
- Get-CloudreveQuota shows used, free and total space in one unit.
- Packaged for the PowerShell Gallery (build.ps1 -Task Package).
0.1.0
- First release: sessions (with two-factor login), site information, quota.
'@
        }
    }
}

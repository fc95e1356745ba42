# A short, real session against a freshly started sandbox: what build.ps1 -Task Demo runs.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
    # The Cloudreve generation the sandbox plays; the demo body is the same for both.
    [ValidateSet('3.8.3', '4.18.0')] [string] $ServerVersion = '3.8.3'
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'Sandbox.psm1')
Import-Module (Join-Path $ModulePath 'Cloudreve.psd1')

# Demo-only secrets for a throwaway server; real scripts read them from a secret store.
$totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
$userPassword = 'Demo-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
$sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
    '--server-version', $ServerVersion,
    '--admin-totp-secret', $totpSecret,
    '--user', "demo@cloudreve.local:$userPassword")
try {
    Write-Host "`nSandbox playing Cloudreve $ServerVersion listening on $($sandbox.Uri)" -ForegroundColor Green

    Write-Host "`n> Test-CloudreveConnection -Uri $($sandbox.Uri)" -ForegroundColor Yellow
    Test-CloudreveConnection -Uri $sandbox.Uri | Out-Host

    Write-Host "`n> Get-CloudreveSite -Uri $($sandbox.Uri)   # anonymous" -ForegroundColor Yellow
    Get-CloudreveSite -Uri $sandbox.Uri | Out-Host

    Write-Host "`n> Connect-Cloudreve -Uri ... -Credential demo@cloudreve.local -PassThru" -ForegroundColor Yellow
    $credential = [pscredential]::new('demo@cloudreve.local', (ConvertTo-SecureString $userPassword -AsPlainText -Force))
    Connect-Cloudreve -Uri $sandbox.Uri -Credential $credential -PassThru | Out-Host

    Write-Host "`n> Get-CloudreveQuota" -ForegroundColor Yellow
    Get-CloudreveQuota | Out-Host

    Write-Host "`n> Send-CloudreveFile report.csv -Destination /demo; Get-ChildItem Cloudreve:\demo" -ForegroundColor Yellow
    $local = Join-Path ([IO.Path]::GetTempPath()) ('cr-demo-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $local
    try {
        $report = Join-Path $local 'report.csv'
        1..2000 | ForEach-Object { "$_,item $_,$([math]::Round($_ * 1.5, 1))" } | Set-Content -LiteralPath $report
        Send-CloudreveFile -LiteralPath $report -Destination /demo -ProgressAction SilentlyContinue
        Get-ChildItem Cloudreve:\demo | Out-Host

        Write-Host "`n> Get-CloudreveItem /demo/report.csv | New-CloudreveShare -ExpireAfter 1.00:00 | Select-Object Name, Url" -ForegroundColor Yellow
        Get-CloudreveItem /demo/report.csv | New-CloudreveShare -ExpireAfter 1.00:00 | Select-Object Name, Url, Expires | Out-Host

        Write-Host "`n> Receive-CloudreveFile /demo/report.csv -Destination <temp>; compare hashes" -ForegroundColor Yellow
        $back = Join-Path $local 'back'
        $null = New-Item -ItemType Directory -Path $back
        $received = Receive-CloudreveFile -Path /demo/report.csv -Destination $back -PassThru -ProgressAction SilentlyContinue
        $same = (Get-FileHash -LiteralPath $report).Hash -eq (Get-FileHash -LiteralPath $received.FullName).Hash
        "Round trip of $($received.Length) bytes identical: $same" | Out-Host
    }
    finally {
        Remove-Item -LiteralPath $local -Recurse -Force -ErrorAction SilentlyContinue
    }

    Write-Host "`n> Connect-Cloudreve -Uri ... -Credential $($sandbox.AdminEmail) -TotpSecret <secret>   # two-factor account" -ForegroundColor Yellow
    $adminCredential = [pscredential]::new($sandbox.AdminEmail, (ConvertTo-SecureString $sandbox.AdminPassword -AsPlainText -Force))
    $admin = Connect-Cloudreve -Uri $sandbox.Uri -Credential $adminCredential -TotpSecret (ConvertTo-SecureString $totpSecret -AsPlainText -Force) -PassThru
    $admin | Out-Host

    Write-Host "`n> Get-CloudreveSite -Session `$admin" -ForegroundColor Yellow
    Get-CloudreveSite -Session $admin | Out-Host

    Write-Host "`n> Get-CloudreveQuota -Session `$admin" -ForegroundColor Yellow
    Get-CloudreveQuota -Session $admin | Out-Host

    Write-Host "`n> Get-CloudreveSession" -ForegroundColor Yellow
    Get-CloudreveSession | Out-Host

    Write-Host "`n> Get-CloudreveSession | Disconnect-Cloudreve" -ForegroundColor Yellow
    Get-CloudreveSession | Disconnect-Cloudreve
    "Sessions left: $(@(Get-CloudreveSession).Count)" | Out-Host
}
finally {
    Stop-CloudreveSandbox $sandbox
    Write-Host "`nSandbox stopped." -ForegroundColor Green
}

# Peak working set benchmark of bench/Bench.ps1 (dot-sourced): a fresh PowerShell process imports the module, logs
# in, then does nothing (baseline), sends a file, or receives it back; each reports its peak working set.

$script:peakChild = @'
param($Manifest, $Uri, $Email, $Password, $Mode, $File, $Folder)
$ProgressPreference = 'SilentlyContinue'
Import-Module $Manifest
$cred = [pscredential]::new($Email, (ConvertTo-SecureString $Password -AsPlainText -Force))
Connect-Cloudreve -Uri $Uri -Credential $cred
[GC]::Collect()
$p = [Diagnostics.Process]::GetCurrentProcess()
$p.Refresh(); $before = $p.PeakWorkingSet64
switch ($Mode) {
    'baseline' { }
    'send' { Send-CloudreveFile -LiteralPath $File -Destination '/bench/huge' -Force -ErrorAction Stop }
    'receive' { Receive-CloudreveFile -LiteralPath '/bench/huge/huge.bin' -Destination $Folder -Force -ErrorAction Stop }
}
$p.Refresh()
"$before $($p.PeakWorkingSet64)"
'@

function Measure-PeakWorkingSet([string] $Manifest, [uri] $Uri, [string] $Email, [string] $Password, [IO.FileInfo] $File, [string] $DownFolder) {
    # Returns @{ baseline; send; receive } in bytes; the received file is left in $DownFolder for the caller to check.
    $childScript = Join-Path $File.DirectoryName 'peak.ps1'; Set-Content -LiteralPath $childScript -Value $script:peakChild
    $null = New-Item -ItemType Directory $DownFolder -Force
    $pwsh = [Environment]::ProcessPath
    [string[]] $pwshArgs = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
    $peak = @{}
    foreach ($mode in 'baseline', 'send', 'receive') {
        $line = & $pwsh @pwshArgs -NoProfile -NonInteractive -File $childScript $Manifest $Uri $Email $Password $mode $File.FullName $DownFolder | Select-Object -Last 1
        if ($LASTEXITCODE) { throw "The $mode child failed: $line" }
        $peak[$mode] = [long]($line -split ' ')[1]
    }
    $peak
}

# Run in a fresh pwsh by Provider.Tests.ps1: writes and reads a large file through a Cloudreve drive and
# prints one JSON line with the peak working set before (baseline, after a small warm-up) and after.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [uri] $Uri,
    [Parameter(Mandatory)] [string] $UserName,
    [Parameter(Mandatory)] [string] $Password,
    [int] $SizeMB = 200,
    [string[]] $Read = @('Lines', 'Bytes')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest
$credential = [pscredential]::new($UserName, (ConvertTo-SecureString $Password -AsPlainText -Force))
Connect-Cloudreve -Uri $Uri -Credential $credential -DriveName Mem | Out-Null

# Lines are read only when asked for: two million strings through the pipeline make the peak depend on
# when the garbage collector runs (the FileSystem provider shows the same), which says little about the reader.
# One 1 MiB block of 100-byte lines; the file is that block $SizeMB times.
$line = ('y' * 99) + "`n"
$block = $line * [math]::Floor(1MB / 100)
function Write-Blocks([int] $Count) { for ($i = 0; $i -lt $Count; $i++) { $block } }

# Warm-up: the same code paths on a small file, so that the baseline includes the loaded code.
Write-Blocks 2 | Set-Content Mem:\warm.txt -NoNewline
$null = Get-Content Mem:\warm.txt -ReadCount 10000 | Measure-Object
$null = Get-Content Mem:\warm.txt -AsByteStream -ReadCount 0 | Measure-Object
[GC]::Collect()
$process = [System.Diagnostics.Process]::GetCurrentProcess()
$process.Refresh()
$baseline = $process.PeakWorkingSet64

Write-Blocks $SizeMB | Set-Content Mem:\big.txt -NoNewline
$length = (Get-Item Mem:\big.txt -Force).Length
$process.Refresh(); $afterWrite = $process.PeakWorkingSet64
$lines = 0
if ($Read -contains 'Lines') { Get-Content Mem:\big.txt -ReadCount 10000 | ForEach-Object { $lines += $_.Count } }
$process.Refresh(); $afterLines = $process.PeakWorkingSet64
$bytes = 0L
if ($Read -contains 'Bytes') { Get-Content Mem:\big.txt -AsByteStream -ReadCount 0 | ForEach-Object { $bytes += $_.Length } }
$process.Refresh(); $afterRead = $process.PeakWorkingSet64
Remove-Item Mem:\big.txt, Mem:\warm.txt

[pscustomobject]@{
    Length     = $length
    Lines      = $lines
    Bytes      = $bytes
    Baseline   = $baseline
    AfterWrite = $afterWrite
    AfterLines = $afterLines
    AfterRead  = $afterRead
} | ConvertTo-Json -Compress

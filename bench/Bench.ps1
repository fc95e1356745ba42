#Requires -Version 7.2
<#
.SYNOPSIS
    Transfer benchmarks of the module against the sandbox, each with a reference measured in the same run,
    for Cloudreve 3.8.3, 4.18.0 or both.
.DESCRIPTION
    1. Upload of a large file (default 1 GiB): Send-CloudreveFile vs curl doing the same HTTP calls
       (PUT /file/upload, then one POST per chunk over one connection).
    2. Download of the same file: Receive-CloudreveFile (several ranged streams) vs curl asking for the
       download URL and fetching it in one stream.
    3. Many small files (default 1,000 x 4 KiB): Send-CloudreveFile vs a sequential curl loop.
    4. Peak working set of a fresh PowerShell process while it sends, then receives, a 2 GiB file,
       against the same process after import and login only.
    -ServerVersion All (default) runs them against a sandbox playing 3.8.3, then against one playing 4.18.0, and
    prints one table per generation and the ratios side by side. The curl references speak the generation's own
    API (3.8.3: cookie login, /api/v3; 4.18.0: bearer token, /api/v4, cloudreve:// URIs; bench/CurlReference.ps1).
    Every run is checked untimed: each uploaded file is fetched back and its SHA-256 compared with the source,
    each downloaded file is hashed, so a broken transfer fails the benchmark instead of timing well.
    -Quick is a smoke run (64 MiB, 50 small files, 256 MiB for the peak, one repetition); explicit sizes win.
    Needs curl, bash and split. The benchmark user is in a sandbox group with a 1 TiB quota.
    Run it as: dotnet pwsh -NoProfile -File build.ps1 -Task Bench [-ServerVersion 3.8.3|4.18.0|All] [-Quick]
    (not part of CI).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
    [ValidateSet('3.8.3', '4.18.0', 'All')] [string] $ServerVersion = 'All',
    [switch] $Quick,
    [int] $LargeMiB = 1024,
    [int] $SmallCount = 1000,
    [int] $SmallKiB = 4,
    [int] $PeakMiB = 2048,
    [int] $Repeat = 2,
    # Comma-separated subset of Upload, Download, Small, Peak.
    [string] $Only = 'Upload,Download,Small,Peak',
    [string] $WorkFolder = (Join-Path ([IO.Path]::GetTempPath()) ('cr-bench-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
)
$ErrorActionPreference = 'Stop'
if ($Quick) {
    $quickSizes = @{ LargeMiB = 64; SmallCount = 50; PeakMiB = 256; Repeat = 1 }
    foreach ($name in $quickSizes.Keys) { if (-not $PSBoundParameters.ContainsKey($name)) { Set-Variable -Name $name -Value $quickSizes[$name] } }
}
$selected = @($Only -split '\s*,\s*' | Where-Object { $_ })
$versions = if ($ServerVersion -eq 'All') { @('3.8.3', '4.18.0') } else { @($ServerVersion) }
$ProgressPreference = 'SilentlyContinue'
$ModulePath = (Resolve-Path $ModulePath).Path
$SandboxPath = (Resolve-Path $SandboxPath).Path
$manifest = Join-Path $ModulePath 'Cloudreve.psd1'
foreach ($tool in 'curl', 'bash', 'split') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "The benchmarks need '$tool' on PATH." }
}
. (Join-Path $PSScriptRoot 'CurlReference.ps1')
. (Join-Path $PSScriptRoot 'Verify.ps1')
. (Join-Path $PSScriptRoot 'Peak.ps1')
Import-Module (Join-Path $PSScriptRoot '../tools/Sandbox.psm1') -Force
$null = New-Item -ItemType Directory -Path $WorkFolder -Force
$results = [System.Collections.Generic.List[object]]::new()
$generation = $null

function Write-Result([string] $Name, [double] $Module, [double] $Reference, [string] $Unit, [string] $ReferenceName) {
    $ratio = if ($Reference -gt 0) { $Module / $Reference } else { [double]::NaN }
    $row = [pscustomobject]@{ Server = $generation; Benchmark = $Name; Module = [math]::Round($Module, 2); Reference = [math]::Round($Reference, 2); Unit = $Unit; Ratio = [math]::Round($ratio, 2); ReferenceIs = $ReferenceName }
    $results.Add($row)
    '[{6}] {0,-44} module {1,10:N2} {3}   reference {2,10:N2} {3}   ratio {4:N2}  ({5})' -f $Name, $Module, $Reference, $Unit, $ratio, $ReferenceName, $generation | Write-Host
}

# Times the module and the reference $Repeat times each, alternating which goes first, and keeps the best
# of each (page-cache write-back from one run otherwise lands on the next). $Prepare runs untimed before each
# reference run, $Verify untimed after every run (with 'module' or 'reference' and the run number).
function Measure-Pair([scriptblock] $Module, [scriptblock] $Reference, [scriptblock] $Verify, [scriptblock] $Prepare = {}) {
    $m = [double]::MaxValue; $c = [double]::MaxValue
    for ($r = 1; $r -le $Repeat; $r++) {
        $order = if ($r % 2) { 'module', 'reference' } else { 'reference', 'module' }
        foreach ($which in $order) {
            if (Get-Command sync -CommandType Application -ErrorAction SilentlyContinue) { & sync }
            if ($which -eq 'module') { $t = (Measure-Command { & $Module $r }).TotalSeconds; $m = [math]::Min($m, $t) }
            else { . $Prepare; $t = (Measure-Command { & $Reference $r }).TotalSeconds; $c = [math]::Min($c, $t) }
            & $Verify $which $r
        }
    }
    [pscustomobject]@{ Module = $m; Reference = $c }
}

function New-BigFile([string] $Path, [long] $MiB) {
    # Random-looking content without spending minutes on a CSPRNG: one random 4 MiB block, stamped per block.
    $block = [byte[]]::new(4MB); [Random]::new(5).NextBytes($block)
    $stream = [IO.File]::Create($Path)
    try {
        for ($i = 0; $i -lt [math]::Ceiling($MiB / 4); $i++) {
            [BitConverter]::GetBytes([long]$i).CopyTo($block, 0)
            $stream.Write($block, 0, [int][math]::Min([long]4MB, ([long]$MiB * 1MB) - $stream.Length))
        }
    }
    finally { $stream.Dispose() }
    Get-Item -LiteralPath $Path
}

# ---- inputs, shared by both generations (made once, untimed) -------------------------------------------
$chunkSize = 26214400   # the sandbox's (and Cloudreve's) default chunk size; the reference checks the server's choice
if ($selected -contains 'Upload' -or $selected -contains 'Download') {
    $big = New-BigFile (Join-Path $WorkFolder 'large.bin') $LargeMiB
    $bigHash = Get-LocalHash $big.FullName
    $parts = Join-Path $WorkFolder 'parts'; $null = New-Item -ItemType Directory $parts
    & split -b $chunkSize -d -a 5 $big.FullName (Join-Path $parts 'p')
    $chunkFiles = @(Get-ChildItem -LiteralPath $parts | Sort-Object Name)
}
if ($selected -contains 'Small') {
    $small = Join-Path $WorkFolder 'small'; $null = New-Item -ItemType Directory $small
    $bytes = [byte[]]::new($SmallKiB * 1KB)
    for ($i = 0; $i -lt $SmallCount; $i++) { [Random]::new($i).NextBytes($bytes); [IO.File]::WriteAllBytes((Join-Path $small ('f{0:D5}.bin' -f $i)), $bytes) }
    $smallHashes = @{}
    Get-ChildItem -LiteralPath $small | ForEach-Object { $smallHashes[$_.Name] = Get-LocalHash $_.FullName }
}
if ($selected -contains 'Peak') {
    $huge = New-BigFile (Join-Path $WorkFolder 'huge.bin') $PeakMiB
    $hugeHash = Get-LocalHash $huge.FullName
}

try {
    Import-Module $manifest -Force
    foreach ($generation in $versions) {
        $password = 'Bench-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        $extra = @('--server-version', $generation, '--download-timeout', '3600',
            '--group', 'Bench:local:1099511627776', '--user', "bench@example.com:$($password):Bench")
        if ($generation -ne '3.8.3') { $extra += @('--access-token-ttl', '86400') }
        Write-Host "`n===== Cloudreve $($generation) sandbox =====" -ForegroundColor Green
        $sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -AdminPassword ('Adm1n-' + [guid]::NewGuid().ToString('N').Substring(0, 12)) -ExtraArgument $extra
        try {
            $credential = [pscredential]::new('bench@example.com', (ConvertTo-SecureString $password -AsPlainText -Force))
            $null = Connect-Cloudreve -Uri $sandbox.Uri -Credential $credential -NoDrive -PassThru
            if ((Get-CloudreveSession).ApiVersion -ne $(if ($generation -eq '3.8.3') { 'v3' } else { 'v4' })) { throw "The module did not detect Cloudreve $($generation)." }
            $refFolder = Join-Path $WorkFolder "curl-$($generation)"; $null = New-Item -ItemType Directory $refFolder -Force
            $ref = Connect-CurlReference $generation $sandbox.Uri 'bench@example.com' $password $refFolder

            # ---- 1. large upload ------------------------------------------------------------------
            if ($selected -contains 'Upload' -or $selected -contains 'Download') {
                Write-Host "==> $LargeMiB MiB upload (best of $Repeat, alternating order)" -ForegroundColor Cyan
                $moduleUp = { param($r) Send-CloudreveFile -LiteralPath $big.FullName -Destination "/bench/module-$r" -ErrorAction Stop }
                $curlUp = { param($r) Send-CurlFile $ref "/bench/curl-$r" 'large.bin' $big.Length $chunkFiles $chunkSize }
                $verifyUp = { param($which, $r)
                    $folder = if ($which -eq 'module') { "module-$r" } else { "curl-$r" }
                    Assert-RemoteHash "/bench/$folder/large.bin" $bigHash "the $which upload, run $r" }
                $best = Measure-Pair $moduleUp $curlUp $verifyUp
                Write-Result "Upload $LargeMiB MiB (seconds)" $best.Module $best.Reference 's' 'curl, same HTTP calls'
                Write-Result "Upload $LargeMiB MiB (MiB/s)" ($LargeMiB / $best.Module) ($LargeMiB / $best.Reference) 'MiB/s' 'curl, same HTTP calls'
            }

            # ---- 2. large download ----------------------------------------------------------------
            if ($selected -contains 'Download') {
                Write-Host "==> $LargeMiB MiB download (best of $Repeat, alternating order)" -ForegroundColor Cyan
                $down = Join-Path $WorkFolder 'down'; $null = New-Item -ItemType Directory $down -Force
                $curlOut = Join-Path $WorkFolder 'curl-down.bin'
                $source = Get-CloudreveItem -LiteralPath '/bench/module-1/large.bin'
                $moduleDown = { param($r) Receive-CloudreveFile -LiteralPath '/bench/module-1/large.bin' -Destination $down -Force -ErrorAction Stop }
                $curlDown = { param($r) Receive-CurlFile $ref $source $curlOut }
                $verifyDown = { param($which, $r)
                    $file = if ($which -eq 'module') { Join-Path $down 'large.bin' } else { $curlOut }
                    Assert-LocalHash $file $bigHash "the $which download, run $r"
                    Remove-Item -LiteralPath $file }
                $best = Measure-Pair $moduleDown $curlDown $verifyDown
                Remove-Item -LiteralPath $down -Recurse -Force
                Write-Result "Download $LargeMiB MiB (seconds)" $best.Module $best.Reference 's' 'curl, URL + one stream'
                Write-Result "Download $LargeMiB MiB (MiB/s)" ($LargeMiB / $best.Module) ($LargeMiB / $best.Reference) 'MiB/s' 'curl, URL + one stream'
            }

            # ---- 3. many small files --------------------------------------------------------------
            if ($selected -contains 'Small') {
                Write-Host "==> $SmallCount x $SmallKiB KiB upload" -ForegroundColor Cyan
                $module = Measure-Command { Send-CloudreveFile -Path (Join-Path $small '*') -Destination '/bench/small-module' -ErrorAction Stop }
                Assert-RemoteFolderHash '/bench/small-module' $smallHashes 'the module small-file upload'
                $loop = Join-Path $refFolder 'loop.sh'; Set-Content -LiteralPath $loop -Value (Get-CurlSmallLoop $ref)
                [string[]] $loopArgs = @($ref.Site, $small, '/bench/small-curl', ($SmallKiB * 1KB)) + (Get-CurlSmallLoopArgument $ref)
                $reference = Measure-Command { & bash $loop @loopArgs }
                if ($LASTEXITCODE) { throw "The curl small-file loop failed (exit code $LASTEXITCODE)." }
                Assert-RemoteFolderHash '/bench/small-curl' $smallHashes 'the curl small-file loop'
                Write-Result "Upload $SmallCount x $SmallKiB KiB (seconds)" $module.TotalSeconds $reference.TotalSeconds 's' 'sequential curl loop'
                Write-Result "Upload $SmallCount x $SmallKiB KiB (files/s)" ($SmallCount / $module.TotalSeconds) ($SmallCount / $reference.TotalSeconds) 'files/s' 'sequential curl loop'
            }

            # ---- 4. peak working set --------------------------------------------------------------
            if ($selected -contains 'Peak') {
                Write-Host "==> peak working set, $PeakMiB MiB file" -ForegroundColor Cyan
                $peak = Measure-PeakWorkingSet $manifest $sandbox.Uri 'bench@example.com' $password $huge (Join-Path $WorkFolder 'peak-down')
                Assert-LocalHash (Join-Path $WorkFolder 'peak-down/huge.bin') $hugeHash "the $PeakMiB MiB file sent, then received, by the peak child"
                Remove-Item -LiteralPath (Join-Path $WorkFolder 'peak-down') -Recurse -Force
                Write-Result "Peak working set, send $PeakMiB MiB (MiB)" ($peak.send / 1MB) ($peak.baseline / 1MB) 'MiB' 'same process, login only'
                Write-Result "Peak working set, receive $PeakMiB MiB (MiB)" ($peak.receive / 1MB) ($peak.baseline / 1MB) 'MiB' 'same process, login only'
            }

            Write-Host "`nCloudreve $($generation): module vs reference (ratio = module / reference)" -ForegroundColor Green
            $results | Where-Object Server -EQ $generation | Select-Object Benchmark, Module, Reference, Unit, Ratio, ReferenceIs |
                Format-Table -AutoSize | Out-String -Width 200 | Write-Host
        }
        finally {
            Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
            Stop-CloudreveSandbox $sandbox
        }
    }

    if ($versions.Count -gt 1) {
        Write-Host 'Ratios (module / reference) per generation' -ForegroundColor Green
        $results.Benchmark | Select-Object -Unique | ForEach-Object {
            $name = $_
            $row = [ordered]@{ Benchmark = $name }
            foreach ($v in $versions) { $row["Ratio $v"] = ($results | Where-Object { $_.Server -eq $v -and $_.Benchmark -eq $name }).Ratio }
            [pscustomobject]$row
        } | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    }
    $results | ConvertTo-Json | Set-Content -LiteralPath (Join-Path ([IO.Path]::GetTempPath()) 'cr-bench-results.json')
}
catch {
    Write-Host "Benchmark failed: $_`n$($_.ScriptStackTrace)" -ForegroundColor Red
    throw
}
finally {
    Remove-Item -LiteralPath $WorkFolder -Recurse -Force -ErrorAction SilentlyContinue
}

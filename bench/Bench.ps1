#Requires -Version 7.2
<#
.SYNOPSIS
    Transfer benchmarks of the module against the sandbox, each with a reference measured in the same run.
.DESCRIPTION
    1. Upload of a large file (default 1 GiB): Send-CloudreveFile vs curl doing the same HTTP calls
       (PUT /file/upload, then one POST per chunk over one connection).
    2. Download of the same file: Receive-CloudreveFile (several ranged streams) vs one curl stream.
    3. Many small files (default 1,000 x 4 KiB): Send-CloudreveFile vs a sequential curl loop.
    4. Peak working set of a fresh PowerShell process while it sends, then receives, a 2 GiB file,
       against the same process after import and login only.
    Needs curl, bash and split. The benchmark user is in a sandbox group with a 1 TiB quota.
    Run it as: dotnet pwsh -NoProfile -File build.ps1 -Task Bench  (not part of CI).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
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
$selected = @($Only -split '\s*,\s*' | Where-Object { $_ })
$ProgressPreference = 'SilentlyContinue'
$ModulePath = (Resolve-Path $ModulePath).Path
$SandboxPath = (Resolve-Path $SandboxPath).Path
$manifest = Join-Path $ModulePath 'Cloudreve.psd1'
foreach ($tool in 'curl', 'bash', 'split') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "The benchmarks need '$tool' on PATH." }
}
$null = New-Item -ItemType Directory -Path $WorkFolder -Force
$results = [System.Collections.Generic.List[object]]::new()

function Write-Result([string] $Name, [double] $Module, [double] $Reference, [string] $Unit, [string] $ReferenceName) {
    $ratio = if ($Reference -gt 0) { $Module / $Reference } else { [double]::NaN }
    $row = [pscustomobject]@{ Benchmark = $Name; Module = [math]::Round($Module, 2); Reference = [math]::Round($Reference, 2); Unit = $Unit; Ratio = [math]::Round($ratio, 2); ReferenceIs = $ReferenceName }
    $results.Add($row)
    '{0,-44} module {1,10:N2} {3}   reference {2,10:N2} {3}   ratio {4:N2}  ({5})' -f $Name, $Module, $Reference, $Unit, $ratio, $ReferenceName | Write-Host
}

# Times the module and the reference $Repeat times each, alternating which goes first, and keeps the best
# of each (page-cache write-back from one run otherwise lands on the next). $Prepare runs untimed before each reference run.
function Measure-Pair([scriptblock] $Module, [scriptblock] $Reference, [scriptblock] $Prepare = {}) {
    $m = [double]::MaxValue; $c = [double]::MaxValue
    for ($r = 1; $r -le $Repeat; $r++) {
        $order = if ($r % 2) { 'module', 'reference' } else { 'reference', 'module' }
        foreach ($which in $order) {
            if (Get-Command sync -CommandType Application -ErrorAction SilentlyContinue) { & sync }
            if ($which -eq 'module') { $t = (Measure-Command { & $Module $r }).TotalSeconds; $m = [math]::Min($m, $t) }
            else { . $Prepare; $t = (Measure-Command { & $Reference $r }).TotalSeconds; $c = [math]::Min($c, $t) }
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

function Start-Sandbox([string] $Data, [string] $Password) {
    $ready = Join-Path $WorkFolder ('ready-' + [guid]::NewGuid().ToString('N') + '.json')
    $dll = Join-Path $SandboxPath 'Cloudreve.Sandbox.dll'
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $p = Start-Process -FilePath $dotnet -ArgumentList @($dll, '--urls', 'http://127.0.0.1:0', '--data', $Data, '--ready-file', $ready, '--admin-password', $Password, '--download-timeout', '3600',
        '--group', 'Bench:local:1099511627776', '--user', "bench@example.com:$($Password):Bench") `
        -PassThru -RedirectStandardOutput (Join-Path $WorkFolder 'sandbox.out') -RedirectStandardError (Join-Path $WorkFolder 'sandbox.err')
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $ready)) {
        if ($p.HasExited -or [datetime]::UtcNow -gt $deadline) { throw 'The sandbox did not start.' }
        Start-Sleep -Milliseconds 100
    }
    $info = Get-Content $ready -Raw | ConvertFrom-Json
    [pscustomobject]@{ Process = $p; Uri = [uri]$info.uri; Email = 'bench@example.com'; Password = $Password }
}

function Stop-Sandbox($Sandbox) {
    if (-not $Sandbox.Process.HasExited) { $Sandbox.Process.Kill($true); $null = $Sandbox.Process.WaitForExit(10000) }
}

$data = Join-Path $WorkFolder 'data'
$password = 'Bench-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
$sandbox = Start-Sandbox $data $password

try {
    Import-Module $manifest -Force
    $credential = [pscredential]::new($sandbox.Email, (ConvertTo-SecureString $password -AsPlainText -Force))
    $session = Connect-Cloudreve -Uri $sandbox.Uri -Credential $credential -PassThru
    $site = $sandbox.Uri.GetLeftPart('Authority')
    $jar = Join-Path $WorkFolder 'cookies.txt'
    $login = @{ userName = $sandbox.Email; Password = $password; captchaCode = '' } | ConvertTo-Json -Compress
    $null = & curl -s -c $jar -H 'Content-Type: application/json' -X POST --data $login "$site/api/v3/user/session"
    $policy = ((& curl -s -b $jar "$site/api/v3/directory/") | ConvertFrom-Json).data.policy.id

    # ---- 1. large upload --------------------------------------------------------------------------
    $big = New-BigFile (Join-Path $WorkFolder 'large.bin') $LargeMiB
    if ($selected -contains 'Upload' -or $selected -contains 'Download') {
    Write-Host "==> $LargeMiB MiB upload (best of $Repeat, alternating order)" -ForegroundColor Cyan
    $parts = Join-Path $WorkFolder 'parts'; $null = New-Item -ItemType Directory $parts
    & split -b 26214400 -d -a 5 $big.FullName (Join-Path $parts 'p')
    $chunkFiles = @(Get-ChildItem -LiteralPath $parts | Sort-Object Name)
    $moduleUp = { param($r) Send-CloudreveFile -LiteralPath $big.FullName -Destination "/bench/module-$r" -ErrorAction Stop }
    $curlUp = {
        param($r)
        $body = @{ path = "/bench/curl-$r"; size = $big.Length; name = 'large.bin'; policy_id = $policy; last_modified = 0 } | ConvertTo-Json -Compress
        $sid = ((& curl -s -b $jar -H 'Content-Type: application/json' -X PUT --data $body "$site/api/v3/file/upload") | ConvertFrom-Json).data.sessionID
        $args_ = [System.Collections.Generic.List[string]]::new()
        for ($i = 0; $i -lt $chunkFiles.Count; $i++) {
            if ($i) { $args_.Add('--next') }
            $args_.AddRange([string[]]@('-s', '-o', '/dev/null', '-b', $jar, '-X', 'POST', '-H', 'Content-Type: application/octet-stream', '-T', $chunkFiles[$i].FullName, "$site/api/v3/file/upload/$sid/$i"))
        }
        & curl @args_
    }
    $best = Measure-Pair $moduleUp $curlUp
    Remove-Item -LiteralPath $parts -Recurse -Force
    for ($r = 1; $r -le $Repeat; $r++) {
        if ((Get-CloudreveItem "/bench/curl-$r/large.bin").Size -ne $big.Length) { throw 'The curl reference upload did not arrive whole.' }
        if ((Get-CloudreveItem "/bench/module-$r/large.bin").Size -ne $big.Length) { throw 'The module upload did not arrive whole.' }
    }
    Write-Result "Upload $LargeMiB MiB (seconds)" $best.Module $best.Reference 's' 'curl, same HTTP calls'
    Write-Result "Upload $LargeMiB MiB (MiB/s)" ($LargeMiB / $best.Module) ($LargeMiB / $best.Reference) 'MiB/s' 'curl, same HTTP calls'
    }

    # ---- 2. large download --------------------------------------------------------------------------
    if ($selected -contains 'Download') {
    Write-Host "==> $LargeMiB MiB download (best of $Repeat, alternating order)" -ForegroundColor Cyan
    $down = Join-Path $WorkFolder 'down'; $null = New-Item -ItemType Directory $down
    $curlOut = Join-Path $WorkFolder 'curl-down.bin'
    $moduleDown = { param($r) Receive-CloudreveFile -LiteralPath '/bench/module-1/large.bin' -Destination $down -Force -ErrorAction Stop }
    $curlDown = {
        param($r)
        & curl -s -o $curlOut $script:downloadUrl
    }
    $script:downloadUrl = $null
    $prepare = { $script:downloadUrl = Get-CloudreveDownloadUrl -LiteralPath '/bench/module-1/large.bin' }
    $best = Measure-Pair $moduleDown $curlDown $prepare
    if ((Get-FileHash (Join-Path $down 'large.bin')).Hash -ne (Get-FileHash $big.FullName).Hash) { throw 'The module download differs from the source.' }
    if ((Get-Item $curlOut).Length -ne $big.Length) { throw 'The curl reference download is incomplete.' }
    Remove-Item -LiteralPath $down, $curlOut -Recurse -Force
    Write-Result "Download $LargeMiB MiB (seconds)" $best.Module $best.Reference 's' 'one curl stream'
    Write-Result "Download $LargeMiB MiB (MiB/s)" ($LargeMiB / $best.Module) ($LargeMiB / $best.Reference) 'MiB/s' 'one curl stream'
    }
    Remove-Item -LiteralPath $big.FullName -Force

    # ---- 3. many small files ------------------------------------------------------------------------
    if ($selected -contains 'Small') {
    Write-Host "==> $SmallCount x $SmallKiB KiB upload" -ForegroundColor Cyan
    $small = Join-Path $WorkFolder 'small'; $null = New-Item -ItemType Directory $small
    $bytes = [byte[]]::new($SmallKiB * 1KB)
    for ($i = 0; $i -lt $SmallCount; $i++) { [Random]::new($i).NextBytes($bytes); [IO.File]::WriteAllBytes((Join-Path $small ('f{0:D5}.bin' -f $i)), $bytes) }
    $module = Measure-Command { Send-CloudreveFile -Path (Join-Path $small '*') -Destination '/bench/small-module' -ErrorAction Stop }
    $loop = @'
set -e
site="$1"; jar="$2"; dir="$3"; policy="$4"; size="$5"
for f in "$dir"/*; do
  name=$(basename "$f")
  sid=$(curl -s -b "$jar" -H 'Content-Type: application/json' -X PUT \
        --data "{\"path\":\"/bench/small-curl\",\"size\":$size,\"name\":\"$name\",\"policy_id\":\"$policy\",\"last_modified\":0}" \
        "$site/api/v3/file/upload" | sed -E 's/.*"sessionID":"([^"]+)".*/\1/')
  curl -s -o /dev/null -b "$jar" -X POST -H 'Content-Type: application/octet-stream' -T "$f" "$site/api/v3/file/upload/$sid/0"
done
'@
    $script = Join-Path $WorkFolder 'loop.sh'; Set-Content -LiteralPath $script -Value $loop
    $reference = Measure-Command { & bash $script $site $jar $small $policy ($SmallKiB * 1KB) }
    $counts = @((Get-CloudreveChildItem '/bench/small-module').Count, (Get-CloudreveChildItem '/bench/small-curl').Count)
    if ($counts[0] -ne $SmallCount -or $counts[1] -ne $SmallCount) { throw "Small-file uploads incomplete: module $($counts[0]), curl $($counts[1])." }
    Remove-Item -LiteralPath $small -Recurse -Force
    Write-Result "Upload $SmallCount x $SmallKiB KiB (seconds)" $module.TotalSeconds $reference.TotalSeconds 's' 'sequential curl loop'
    Write-Result "Upload $SmallCount x $SmallKiB KiB (files/s)" ($SmallCount / $module.TotalSeconds) ($SmallCount / $reference.TotalSeconds) 'files/s' 'sequential curl loop'
    }

    # ---- 4. peak working set ------------------------------------------------------------------------
    if ($selected -contains 'Peak') {
    Write-Host "==> peak working set, $PeakMiB MiB file" -ForegroundColor Cyan
    $huge = New-BigFile (Join-Path $WorkFolder 'huge.bin') $PeakMiB
    $child = @'
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
    $childScript = Join-Path $WorkFolder 'peak.ps1'; Set-Content -LiteralPath $childScript -Value $child
    $pwsh = [Environment]::ProcessPath
    [string[]] $pwshArgs = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
    $peakDown = Join-Path $WorkFolder 'peak-down'; $null = New-Item -ItemType Directory $peakDown
    $peak = @{}
    foreach ($mode in 'baseline', 'send', 'receive') {
        $line = & $pwsh @pwshArgs -NoProfile -NonInteractive -File $childScript $manifest $sandbox.Uri $sandbox.Email $password $mode $huge.FullName $peakDown | Select-Object -Last 1
        if ($LASTEXITCODE) { throw "The $mode child failed: $line" }
        $peak[$mode] = [long]($line -split ' ')[1]
    }
    Write-Result "Peak working set, send $PeakMiB MiB (MiB)" ($peak.send / 1MB) ($peak.baseline / 1MB) 'MiB' 'same process, login only'
    Write-Result "Peak working set, receive $PeakMiB MiB (MiB)" ($peak.receive / 1MB) ($peak.baseline / 1MB) 'MiB' 'same process, login only'
    if ((Get-Item (Join-Path $peakDown 'huge.bin')).Length -ne $huge.Length) { throw 'The received 2 GiB file has the wrong size.' }
    }

    $results | Format-Table -AutoSize | Out-String | Write-Host
    $results | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $WorkFolder 'results.json')
}
catch {
    Write-Host "Benchmark failed: $_`n$($_.ScriptStackTrace)" -ForegroundColor Red
    throw
}
finally {
    if (Get-Command Get-CloudreveSession -ErrorAction SilentlyContinue) { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }
    Stop-Sandbox $sandbox
    Remove-Item -LiteralPath $WorkFolder -Recurse -Force -ErrorAction SilentlyContinue
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Chunk = 65536
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--chunk-size', "$Chunk",
        '--user', "carol@example.com:$UserPassword")
    $script:Carol = New-TestCredential -UserName 'carol@example.com' -Password $UserPassword
    $script:Session = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Carol -PassThru
    $ProgressPreference = 'SilentlyContinue'

    function New-TestFile([string] $Path, [long] $Size, [int] $Seed = 7) {
        $parent = Split-Path $Path -Parent
        if ($parent -and -not (Test-Path -LiteralPath $parent)) { $null = New-Item -ItemType Directory -Path $parent -Force }
        $bytes = [byte[]]::new($Size)
        [Random]::new($Seed).NextBytes($bytes)
        [IO.File]::WriteAllBytes($Path, $bytes)
        Get-Item -LiteralPath $Path
    }

    function Get-Hash([string] $Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }

    function Set-Faults([hashtable] $Faults) {
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body ($Faults | ConvertTo-Json)
    }

    function Clear-Faults { Set-Faults @{ chunkFailureRate = 0; dropConnectionRate = 0; downloadFailureRate = 0; lostAnswerRate = 0; latencyMs = 0; downloadUrlTtlSeconds = $null } }

    $script:V4 = Test-SandboxV4
    function ConvertTo-Route([string] $Method, [string] $Like) {
        # The tests name v3 routes; against a 4.18 sandbox each maps to its 4.x counterpart (v4 reference 10, 12):
        # chunks POST /file/upload/{session}/{index}, sessions PUT /file/upload, cancel DELETE /file/upload (id in the
        # body), content GET /file/content/..., and a fresh download URL POST /file/url instead of PUT /file/download/{id}.
        if (-not $V4) { return $Method, $Like }
        switch -Wildcard ("$Method $Like") {
            'PUT /api/v3/file/download/*' { return 'POST', '/api/v4/file/url' }
            'GET /api/v3/file/download/*' { return 'GET', '/api/v4/file/content/*' }
            'DELETE /api/v3/file/upload*' { return 'DELETE', '/api/v4/file/upload' }
            default { return $Method, ($Like -replace '^/api/v3/', '/api/v4/') }
        }
    }
    function Get-Requests([string] $Method, [string] $Like) {
        $Method, $Like = ConvertTo-Route $Method $Like
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq $Method -and $_.path -like $Like })
    }

    function New-LocalFolder([string] $Name) {
        $path = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Path $path -Force
        $path
    }
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'Round trips' {
    BeforeAll {
        $script:Sizes = [ordered]@{ 'zero.bin' = 0; 'one.bin' = 1; 'below.bin' = $Chunk - 1; 'exact.bin' = $Chunk; 'above.bin' = $Chunk + 1; 'several.bin' = 3 * 1024 * 1024 + 17 }
        $script:Source = New-LocalFolder 'rt-src'
        $i = 0
        foreach ($name in $Sizes.Keys) { $null = New-TestFile (Join-Path $Source $name) $Sizes[$name] (++$i) }
    }

    It 'sends files of every size around the chunk size, byte for byte' {
        Clear-SandboxRequest $Sandbox
        $sent = Get-ChildItem -LiteralPath $Source -File | Send-CloudreveFile -Destination '/rt' -PassThru
        $sent.Count | Should -Be $Sizes.Count
        $sent | ForEach-Object { $_ | Should -BeOfType ([Cloudreve.CloudreveFile]) }
        foreach ($file in $sent) { $file.Size | Should -Be $Sizes[$file.Name] }
        # chunk + 1 bytes: exactly two chunk requests, index 0 then 1.
        $sessions = Get-Requests 'POST' '/api/v3/file/upload/*'
        ($sessions | Where-Object path -Like '*/2').Count | Should -BeGreaterThan 0   # the several-MB file has many chunks
        (Get-Requests 'PUT' '/api/v3/file/upload').Count | Should -Be $Sizes.Count
    }

    It 'keeps the local modified time on the server' {
        $local = Get-Item -LiteralPath (Join-Path $Source 'one.bin')
        $remote = Get-CloudreveItem '/rt/one.bin'
        [math]::Abs(($remote.Modified.UtcDateTime - $local.LastWriteTimeUtc).TotalSeconds) | Should -BeLessThan 1
    }

    It 'receives them back byte for byte, with the server modified time' {
        $target = New-LocalFolder 'rt-back'
        $got = Receive-CloudreveFile '/rt/*' -Destination $target -PassThru
        $got.Count | Should -Be $Sizes.Count
        $got | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }
        foreach ($name in $Sizes.Keys) {
            Get-Hash (Join-Path $target $name) | Should -Be (Get-Hash (Join-Path $Source $name))
            $remote = Get-CloudreveItem "/rt/$name"
            [math]::Abs(((Get-Item (Join-Path $target $name)).LastWriteTimeUtc - $remote.Modified.UtcDateTime).TotalSeconds) | Should -BeLessThan 1
        }
        @(Get-ChildItem -LiteralPath $target -Force -Filter '*.crdownload').Count | Should -Be 0
    }

    It 'round-trips special names' {
        $names = @('sp ace.txt', 'ünï 文.txt', 'hash#1.txt', 'per%cent.txt', 'plus+and&.txt', "quo'te.txt", 'br[ack]et.txt')
        $src = New-LocalFolder 'special-src'
        $i = 0
        foreach ($n in $names) { $null = New-TestFile (Join-Path $src $n) (100 + $i) (++$i) }
        Get-ChildItem -LiteralPath $src -File | Send-CloudreveFile -Destination '/special'
        $dst = New-LocalFolder 'special-dst'
        foreach ($n in $names) { Receive-CloudreveFile -LiteralPath "/special/$n" -Destination $dst }
        foreach ($n in $names) { Get-Hash (Join-Path $dst $n) | Should -Be (Get-Hash (Join-Path $src $n)) }
    }

    It 'accepts wildcards and a file path as destination' {
        $src = New-LocalFolder 'wild'
        $null = New-TestFile (Join-Path $src 'w1.log') 10 1
        $null = New-TestFile (Join-Path $src 'w2.log') 20 2
        $null = New-TestFile (Join-Path $src 'skip.txt') 5 3
        Send-CloudreveFile (Join-Path $src '*.log') -Destination '/wild'
        (Get-CloudreveChildItem '/wild').Name | Should -Be @('w1.log', 'w2.log')
        $file = Join-Path (New-LocalFolder 'wild-dst') 'renamed.log'
        $got = Receive-CloudreveFile '/wild/w2.log' -Destination $file -PassThru
        $got.FullName | Should -Be $file
        $got.Length | Should -Be 20
    }

    It 'reports a missing local path with a stable id and goes on' {
        $ok = Join-Path $Source 'one.bin'
        $missing = Join-Path $Source 'nope.bin'
        Send-CloudreveFile -LiteralPath $missing, $ok -Destination '/missing' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveLocalPathNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-CloudreveItem '/missing/one.bin').Size | Should -Be 1
    }

    It 'writes verbose request lines without download signatures' {
        $dst = New-LocalFolder 'verbose'
        $lines = Receive-CloudreveFile '/rt/above.bin' -Destination $dst -Verbose 4>&1 | ForEach-Object { "$_" }
        $lines | Should -Not -BeNullOrEmpty
        ($lines -join "`n") | Should -BeLike ('*' + (ConvertTo-Route 'GET' '/api/v3/file/download/*')[1])
        ($lines -join "`n") | Should -Not -Match 'sign=[^<]'
    }

    It 'gives an absolute download URL that works without the session' {
        $url = Get-CloudreveDownloadUrl '/rt/above.bin'
        $url | Should -BeLike ($Sandbox.Uri.GetLeftPart('Authority') + (ConvertTo-Route 'GET' '/api/v3/file/download/*')[1])
        $out = Join-Path $TestDrive 'viaurl.bin'
        Invoke-WebRequest -Uri $url -OutFile $out
        Get-Hash $out | Should -Be (Get-Hash (Join-Path $Source 'above.bin'))
        { Get-CloudreveDownloadUrl '/rt' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
    }
}

Describe 'Folders' {
    It 'mirrors a tree with empty folders both ways' {
        $src = New-LocalFolder 'tree'
        $null = New-TestFile (Join-Path $src 'top.txt') 10
        $null = New-TestFile (Join-Path $src 'a/b/deep.bin') ($Chunk * 2 + 5)
        $null = New-Item -ItemType Directory (Join-Path $src 'a/empty')
        $null = New-Item -ItemType Directory (Join-Path $src 'alsoempty')
        Send-CloudreveFile $src -Destination '/mirror' -Recurse
        $remote = Get-CloudreveChildItem '/mirror/tree' -Recurse
        ($remote | Where-Object IsFolder).Path | Sort-Object | Should -Be @('/mirror/tree/a', '/mirror/tree/a/b', '/mirror/tree/a/empty', '/mirror/tree/alsoempty')
        ($remote | Where-Object { -not $_.IsFolder }).Path | Sort-Object | Should -Be @('/mirror/tree/a/b/deep.bin', '/mirror/tree/top.txt')

        $dst = New-LocalFolder 'tree-back'
        Receive-CloudreveFile '/mirror/tree' -Destination $dst -Recurse
        Test-Path (Join-Path $dst 'tree/a/empty') -PathType Container | Should -BeTrue
        Test-Path (Join-Path $dst 'tree/alsoempty') -PathType Container | Should -BeTrue
        Get-Hash (Join-Path $dst 'tree/a/b/deep.bin') | Should -Be (Get-Hash (Join-Path $src 'a/b/deep.bin'))
    }

    It 'refuses remote names that would leave the destination, and receives the rest' {
        $src = New-LocalFolder 'escape'
        $null = New-TestFile (Join-Path $src 'fine.txt') 10 1
        $null = New-TestFile (Join-Path $src 'evil.txt') 11 2
        Send-CloudreveFile (Join-Path $src '*.txt') -Destination '/escape'
        if ($V4) {
            # 4.x refuses '..' as a name (40052, cap 275), so no such remote name can exist there
            { Rename-CloudreveItem -LiteralPath '/escape/evil.txt' -NewName '..' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidName,*'
            return
        }
        Rename-CloudreveItem -LiteralPath '/escape/evil.txt' -NewName '..' -ErrorAction Stop
        $dst = New-LocalFolder 'escape-dst'
        Receive-CloudreveFile '/escape' -Recurse -Destination $dst -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveUnsafeName,*'
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $problems[0].TargetObject | Should -Be '/escape/..'
        Test-Path (Join-Path $dst 'escape/fine.txt') | Should -BeTrue
        @(Get-ChildItem -LiteralPath $dst -Recurse -File -Force).Count | Should -Be 1
    }

    It 'takes folders from Get-Item by property name' {
        $src = New-LocalFolder 'piped-dir'
        $null = New-TestFile (Join-Path $src 'in.txt') 12 4
        Get-Item -LiteralPath $src | Send-CloudreveFile -Destination '/piped' -Recurse -ErrorAction Stop
        (Get-CloudreveItem '/piped/piped-dir/in.txt').Size | Should -Be 12
    }

    It 'refuses a folder without -Recurse, both ways' {
        $src = New-LocalFolder 'norecurse'
        $err = { Send-CloudreveFile $src -Destination '/x' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err = { Receive-CloudreveFile '/mirror' -Destination $TestDrive -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.TargetObject | Should -Be '/mirror'
    }
}

Describe 'Conflicts and -Force' {
    BeforeAll {
        $script:CSrc = New-LocalFolder 'conflict'
        $null = New-TestFile (Join-Path $CSrc 'keep.txt') 50 1
        $null = New-TestFile (Join-Path $CSrc 'other.txt') 60 2
        Send-CloudreveFile (Join-Path $CSrc 'keep.txt') -Destination '/conflict'
    }

    It 'reports an existing remote file as CloudreveConflict for that file only' {
        $null = New-TestFile (Join-Path $CSrc 'keep.txt') 70 9
        Send-CloudreveFile (Join-Path $CSrc 'keep.txt'), (Join-Path $CSrc 'other.txt') -Destination '/conflict' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $problems[0].TargetObject | Should -Be '/conflict/keep.txt'
        (Get-CloudreveItem '/conflict/keep.txt').Size | Should -Be 50
        (Get-CloudreveItem '/conflict/other.txt').Size | Should -Be 60
    }

    It 'replaces with -Force and leaves no temporary name' {
        $new = Send-CloudreveFile (Join-Path $CSrc 'keep.txt') -Destination '/conflict' -Force -PassThru
        $new.Size | Should -Be 70
        $new.Name | Should -Be 'keep.txt'
        (Get-CloudreveChildItem '/conflict').Name | Should -Be @('keep.txt', 'other.txt')
        $back = New-LocalFolder 'conflict-back'
        Receive-CloudreveFile '/conflict/keep.txt' -Destination $back
        Get-Hash (Join-Path $back 'keep.txt') | Should -Be (Get-Hash (Join-Path $CSrc 'keep.txt'))
    }

    It 'keeps the old file when a -Force upload fails' {
        $null = New-TestFile (Join-Path $CSrc 'keep.txt') ($Chunk * 3) 11
        Set-Faults @{ chunkFailureRate = 1 }
        try {
            Send-CloudreveFile (Join-Path $CSrc 'keep.txt') -Destination '/conflict' -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally { Clear-Faults }
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be (Join-Path $CSrc 'keep.txt')
        (Get-CloudreveItem '/conflict/keep.txt').Size | Should -Be 70
        (Get-CloudreveChildItem '/conflict').Name | Should -Be @('keep.txt', 'other.txt')
        # The failed session was cancelled on the server: nothing blocks a new upload.
        (Get-Requests 'DELETE' '/api/v3/file/upload/*').Count | Should -BeGreaterThan 0
        Send-CloudreveFile (Join-Path $CSrc 'keep.txt') -Destination '/conflict' -Force
        (Get-CloudreveItem '/conflict/keep.txt').Size | Should -Be ($Chunk * 3)
    }

    It 'reports an existing local file as CloudreveConflict and replaces it with -Force' {
        $dst = New-LocalFolder 'local-conflict'
        Set-Content -LiteralPath (Join-Path $dst 'other.txt') -Value 'mine'
        $err = { Receive-CloudreveFile '/conflict/other.txt' -Destination $dst -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject | Should -Be (Join-Path $dst 'other.txt')
        (Get-Content -LiteralPath (Join-Path $dst 'other.txt')) | Should -Be 'mine'
        Receive-CloudreveFile '/conflict/other.txt' -Destination $dst -Force
        (Get-Item -LiteralPath (Join-Path $dst 'other.txt')).Length | Should -Be 60
        @(Get-ChildItem -LiteralPath $dst -Force -Filter '*.crdownload').Count | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        Send-CloudreveFile (Join-Path $CSrc 'other.txt') -Destination '/whatif' -WhatIf
        Get-CloudreveItem '/whatif' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $dst = New-LocalFolder 'whatif'
        Receive-CloudreveFile '/conflict/other.txt' -Destination $dst -WhatIf
        @(Get-ChildItem -LiteralPath $dst -Force).Count | Should -Be 0
    }
}

Describe 'Resilience' {
    BeforeAll {
        $script:RSrc = New-LocalFolder 'faults'
        $null = New-TestFile (Join-Path $RSrc 'f1.bin') ($Chunk * 20 + 3) 21
        $null = New-TestFile (Join-Path $RSrc 'f2.bin') ($Chunk * 7) 22
        $null = New-TestFile (Join-Path $RSrc 'f3.bin') 12345 23
    }
    AfterEach { Clear-Faults }

    It 'completes uploads when a fraction of chunks fail' {
        Set-Faults @{ chunkFailureRate = 0.3 }
        Get-ChildItem -LiteralPath $RSrc -File | Send-CloudreveFile -Destination '/faults/chunks' -ErrorAction Stop
        Clear-Faults
        $dst = New-LocalFolder 'faults-chunks'
        Receive-CloudreveFile '/faults/chunks' -Recurse -Destination $dst
        foreach ($n in 'f1.bin', 'f2.bin', 'f3.bin') { Get-Hash (Join-Path $dst "chunks/$n") | Should -Be (Get-Hash (Join-Path $RSrc $n)) }
    }

    It 'completes uploads and downloads when connections drop' {
        Set-Faults @{ dropConnectionRate = 0.3 }
        Get-ChildItem -LiteralPath $RSrc -File | Send-CloudreveFile -Destination '/faults/drops' -ErrorAction Stop
        $dst = New-LocalFolder 'faults-drops'
        Receive-CloudreveFile '/faults/drops' -Recurse -Destination $dst -ErrorAction Stop
        Clear-Faults
        foreach ($n in 'f1.bin', 'f2.bin', 'f3.bin') { Get-Hash (Join-Path $dst "drops/$n") | Should -Be (Get-Hash (Join-Path $RSrc $n)) }
        @(Get-ChildItem -LiteralPath $dst -Recurse -Force -Filter '*.crdownload').Count | Should -Be 0
    }

    It 'resumes downloads with fresh URLs when the old ones expire' {
        Send-CloudreveFile (Join-Path $RSrc 'f1.bin') -Destination '/faults/expiry'
        Set-Faults @{ downloadUrlTtlSeconds = 1; dropConnectionRate = 0.5; latencyMs = 300 }
        $dst = New-LocalFolder 'faults-expiry'
        Clear-SandboxRequest $Sandbox
        Receive-CloudreveFile '/faults/expiry/f1.bin' -Destination $dst -ErrorAction Stop
        Clear-Faults
        Get-Hash (Join-Path $dst 'f1.bin') | Should -Be (Get-Hash (Join-Path $RSrc 'f1.bin'))
        (Get-Requests 'PUT' '/api/v3/file/download/*').Count | Should -BeGreaterThan 0
    }

    It 'reports a download that cannot complete and leaves no partial file' {
        Set-Faults @{ dropConnectionRate = 1 }
        $dst = New-LocalFolder 'faults-fail'
        Receive-CloudreveFile '/faults/drops/f2.bin' -Destination $dst -ErrorVariable problems -ErrorAction SilentlyContinue
        Clear-Faults
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be (Join-Path $dst 'f2.bin')
        @(Get-ChildItem -LiteralPath $dst -Force).Count | Should -Be 0
    }

    It 'stops a download promptly on Ctrl+C and leaves no partial file' {
        Send-CloudreveFile (Join-Path $RSrc 'f1.bin') -Destination '/faults/stopdown'
        $dst = New-LocalFolder 'stop-down'
        Set-Faults @{ dropConnectionRate = 1 }
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Module, $Uri, $Credential, $Folder)
                Import-Module $Module
                Connect-Cloudreve -Uri $Uri -Credential $Credential
                Receive-CloudreveFile -LiteralPath '/faults/stopdown/f1.bin' -Destination $Folder
            }).AddArgument($env:CLOUDREVE_MODULE_PATH ?? (Join-Path $RepoRoot 'out/Cloudreve/Cloudreve.psd1')).AddArgument($Sandbox.Uri).AddArgument($Carol).AddArgument($dst)
        Clear-SandboxRequest $Sandbox
        $async = $ps.BeginInvoke()
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while ((Get-Requests 'GET' '/api/v3/file/download/*').Count -lt 2 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $ps.Dispose()
        Clear-Faults
        @(Get-ChildItem -LiteralPath $dst -Force).Count | Should -Be 0
    }

    It 'stops promptly on Ctrl+C, cancels the upload session and leaves no partial file' {
        $big = New-TestFile (Join-Path $RSrc 'stop.bin') ($Chunk * 40) 31
        Set-Faults @{ latencyMs = 150 }
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Module, $Uri, $Credential, $File)
                Import-Module $Module
                Connect-Cloudreve -Uri $Uri -Credential $Credential
                Send-CloudreveFile -LiteralPath $File -Destination '/stopped'
            }).AddArgument($env:CLOUDREVE_MODULE_PATH ?? (Join-Path $RepoRoot 'out/Cloudreve/Cloudreve.psd1')).AddArgument($Sandbox.Uri).AddArgument($Carol).AddArgument($big.FullName)
        $async = $ps.BeginInvoke()
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while ((Get-Requests 'POST' '/api/v3/file/upload/*/2').Count -eq 0 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $ps.Dispose()
        Clear-Faults
        (Get-Requests 'DELETE' '/api/v3/file/upload/*').Count | Should -BeGreaterThan 0
        Get-CloudreveItem '/stopped/stop.bin' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        # The name is free again: a new upload of it works.
        Send-CloudreveFile -LiteralPath $big.FullName -Destination '/stopped' -ErrorAction Stop
        (Get-CloudreveItem '/stopped/stop.bin').Size | Should -Be ($Chunk * 40)
    }
}

Describe 'Downloads under transient HTTP errors' {
    BeforeAll {
        $script:HSrc = New-LocalFolder 'http500'
        for ($i = 0; $i -lt 200; $i++) { $null = New-TestFile (Join-Path $HSrc ('h{0:D3}.bin' -f $i)) (1 + ($i * 7919) % 150000) (500 + $i) }
        Get-ChildItem -LiteralPath $HSrc -File | Send-CloudreveFile -Destination '/http500' -ThrottleLimit 8 -ErrorAction Stop
    }
    AfterEach { Clear-Faults }

    It 'receives 200 files byte for byte when 10 % of content GETs answer HTTP 500' {
        Clear-SandboxRequest $Sandbox
        Set-Faults @{ downloadFailureRate = 0.1 }
        $dst = New-LocalFolder 'http500-back'
        Receive-CloudreveFile '/http500' -Recurse -Destination $dst -ErrorVariable problems -ErrorAction SilentlyContinue
        Clear-Faults
        $failed = @($problems).Count
        Write-Host "files failed under 10 % injected download failures: $failed of 200"
        $problems | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } | Should -BeNullOrEmpty
        foreach ($f in Get-ChildItem -LiteralPath $HSrc -File) { Get-Hash (Join-Path $dst "http500/$($f.Name)") | Should -Be (Get-Hash $f.FullName) -Because $f.Name }
        @(Get-ChildItem -LiteralPath $dst -Recurse -Force -Filter '*.crdownload').Count | Should -Be 0
        $gets = Get-Requests 'GET' '/api/v3/file/download/*'
        @($gets | Where-Object status -EQ 500).Count | Should -BeGreaterThan 0
        # Every retry resumed: no file needed more GETs than the attempt budget allows for its one stream.
        $gets.Count | Should -BeLessThan (200 * 8)
    }

    It 'fails at the end of the attempt budget with CloudreveServerError, no signature in the message and no partial file' {
        Set-Faults @{ downloadFailureRate = 1 }
        $dst = New-LocalFolder 'http500-fail'
        Clear-SandboxRequest $Sandbox
        Receive-CloudreveFile '/http500/h001.bin' -Destination $dst -ErrorVariable problems -ErrorAction SilentlyContinue
        Clear-Faults
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveServerError*'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $problems[0].Exception.Message | Should -BeLike '*HTTP 500*'
        $problems[0].Exception.Message | Should -Not -Match 'sign=(?!<redacted>)'
        @(Get-Requests 'GET' '/api/v3/file/download/*').Count | Should -Be 8
        @(Get-ChildItem -LiteralPath $dst -Force).Count | Should -Be 0
    }
}

Describe 'Wire requirements proven by the sandbox log (local policy)' {
    BeforeAll { $script:WSrc = New-LocalFolder 'wire' }
    AfterEach { Clear-Faults }

    It 'sends every chunk with the exact Content-Length of its chunk, never chunked, with the session cookie' {
        foreach ($size in 0, ($Chunk * 5 + 123), $Chunk) {
            $file = New-TestFile (Join-Path $WSrc "w$size.bin") $size 61
            Clear-SandboxRequest $Sandbox
            Send-CloudreveFile $file.FullName -Destination '/wire' -ErrorAction Stop
            $chunks = Get-Requests 'POST' '/api/v3/file/upload/*/*'
            $chunks.Count | Should -Be ([math]::Max(1, [math]::Ceiling($size / $Chunk)))
            foreach ($r in $chunks) {
                $index = [int]($r.path -split '/')[-1]
                $expected = [math]::Min($Chunk, $size - $index * $Chunk)
                $r.contentLength | Should -Be $expected
                Get-SandboxHeader $r 'Content-Length' | Should -Be "$expected"
                Get-SandboxHeader $r 'Transfer-Encoding' | Should -BeNullOrEmpty
                if ($V4) { Get-SandboxHeader $r 'Authorization' | Should -Be '<redacted>' }
                else { Get-SandboxHeader $r 'Cookie' | Should -Be '<present>' }
                $r.status | Should -Be 200
            }
        }
    }

    It 'stores the local modified time as last_modified: the listing date is the file''s own' {
        $file = New-TestFile (Join-Path $WSrc 'stamp.bin') 1000 62
        $file.LastWriteTimeUtc = [datetime]::new(2021, 3, 4, 5, 6, 7, 123, [DateTimeKind]::Utc)
        Send-CloudreveFile $file.FullName -Destination '/stamp' -ErrorAction Stop
        $entry = Get-SandboxListing $Sandbox $Carol '/stamp' | Where-Object name -EQ 'stamp.bin'
        $entry.date | Should -Be '2021-03-04T05:06:07.123Z'
        $file = New-TestFile (Join-Path $WSrc 'stamp2.bin') ($Chunk * 2 + 1) 63
        $file.LastWriteTimeUtc = [datetime]::new(1999, 12, 31, 23, 59, 58, 0, [DateTimeKind]::Utc)
        Send-CloudreveFile $file.FullName -Destination '/stamp' -ErrorAction Stop
        (Get-SandboxListing $Sandbox $Carol '/stamp' | Where-Object name -EQ 'stamp2.bin').date | Should -Be '1999-12-31T23:59:58Z'
    }

    It 'cancels an upload whose session expires mid-way on the server, restarts it and ends byte for byte equal' {
        $file = New-TestFile (Join-Path $WSrc 'expire-up.bin') ($Chunk * 30 + 5) 64
        Clear-SandboxRequest $Sandbox
        Set-Faults @{ latencyMs = 100 }
        $trigger = Start-SandboxTrigger $Sandbox -Method 'POST' -PathLike (ConvertTo-Route 'POST' '/api/v3/file/upload/*/*')[1] -Count 3 -ControlPath '/_sandbox/uploads/expire'
        try { Send-CloudreveFile $file.FullName -Destination '/expire-up' -ErrorAction Stop }
        finally { $fired = Wait-SandboxTrigger $trigger }
        Clear-Faults
        $fired | Should -Not -BeNullOrEmpty
        $sessions = @(Get-Requests 'POST' '/api/v3/file/upload/*/*' | ForEach-Object { ($_.path -split '/')[5] } | Select-Object -Unique)
        $sessions.Count | Should -Be 2
        (Get-Requests 'PUT' '/api/v3/file/upload').Count | Should -Be 2
        if ($V4) { (Get-Requests 'DELETE' '/api/v3/file/upload').Count | Should -Be 1 }   # the session id is in the body
        else { (Get-Requests 'DELETE' "/api/v3/file/upload/$($sessions[0])").Count | Should -Be 1 }
        @(Get-CloudreveChildItem '/expire-up').Name | Should -Be @('expire-up.bin')
        $dst = New-LocalFolder 'expire-up-back'
        Receive-CloudreveFile '/expire-up/expire-up.bin' -Destination $dst -ErrorAction Stop
        Get-Hash (Join-Path $dst 'expire-up.bin') | Should -Be (Get-Hash $file.FullName)
    }

    It 'resumes a download whose URL expires mid-way with a fresh URL and a Range request, byte for byte' {
        $file = New-TestFile (Join-Path $WSrc 'expire-down.bin') ($Chunk * 40 + 7) 65
        Send-CloudreveFile $file.FullName -Destination '/expire-down' -ErrorAction Stop
        Clear-SandboxRequest $Sandbox
        # Every body breaks half-way until the trigger has expired the URL (then bodies go through).
        Set-Faults @{ dropConnectionRate = 1; latencyMs = 300 }
        $trigger = Start-SandboxTrigger $Sandbox -Method 'GET' -PathLike (ConvertTo-Route 'GET' '/api/v3/file/download/*')[1] -ControlPath '/_sandbox/downloads/expire', '/_sandbox/faults' -Body '', '{"dropConnectionRate":0}'
        $dst = New-LocalFolder 'expire-down-back'
        try { Receive-CloudreveFile '/expire-down/expire-down.bin' -Destination $dst -ErrorAction Stop }
        finally { $fired = Wait-SandboxTrigger $trigger }
        Clear-Faults
        $fired | Should -Not -BeNullOrEmpty
        Get-Hash (Join-Path $dst 'expire-down.bin') | Should -Be (Get-Hash $file.FullName)
        $gets = Get-Requests 'GET' '/api/v3/file/download/*'
        # an old URL refused (a ranged GET answered 200 is the 40005 envelope, a served range is 206) ...
        $refused = @($gets | Where-Object { (Get-SandboxHeader $_ 'Range') -and $_.status -eq 200 })
        $refused.Count | Should -BeGreaterThan 0
        # ... then a fresh URL, resumed with a Range request that does not start at 0
        (Get-Requests 'PUT' '/api/v3/file/download/*').Count | Should -BeGreaterThan 1
        # (a 4.x content URL keeps its path and differs in its signed query)
        $refusedUrls = @($refused | ForEach-Object { "$($_.path)?$($_.query)" })
        $resumed = @($gets | Where-Object { $_.status -eq 206 -and (Get-SandboxHeader $_ 'Range') -notmatch '^bytes=0-' -and "$($_.path)?$($_.query)" -notin $refusedUrls })
        $resumed.Count | Should -BeGreaterThan 0
    }

    It 'finishes uploads byte for byte when chunks are stored but their answers are lost' {
        $src = New-LocalFolder 'lost'
        $null = New-TestFile (Join-Path $src 'l1.bin') ($Chunk * 20 + 3) 66
        $null = New-TestFile (Join-Path $src 'l2.bin') ($Chunk * 7) 67
        $null = New-TestFile (Join-Path $src 'l3.bin') 12345 68
        $null = New-TestFile (Join-Path $src 'l4.bin') 10 69
        Clear-SandboxRequest $Sandbox
        Set-Faults @{ lostAnswerRate = 0.3 }
        Get-ChildItem -LiteralPath $src -File | Send-CloudreveFile -Destination '/lost' -ErrorAction Stop
        Clear-Faults
        # more chunk requests than chunks: answers were lost and chunks sent again
        (Get-Requests 'POST' '/api/v3/file/upload/*/*').Count | Should -BeGreaterThan (21 + 7 + 1 + 1)
        @(Get-CloudreveChildItem '/lost').Count | Should -Be 4
        $dst = New-LocalFolder 'lost-back'
        Receive-CloudreveFile '/lost' -Recurse -Destination $dst -ErrorAction Stop
        foreach ($n in 'l1.bin', 'l2.bin', 'l3.bin', 'l4.bin') { Get-Hash (Join-Path $dst "lost/$n") | Should -Be (Get-Hash (Join-Path $src $n)) }
    }

    It 'finishes one- and two-chunk uploads when every stored chunk loses its answer (4.x: the one-chunk upload)' {
        # Deterministic: a re-sent chunk 0 gets 40002 (stored already); a re-sent last chunk finds the session finished.
        # 4.x accepts a re-sent chunk again (cap 337), so only a last chunk has a deterministic outcome (40011, finished).
        $src = New-LocalFolder 'lost-all'
        $one = New-TestFile (Join-Path $src 'one.bin') 100 70
        $two = New-TestFile (Join-Path $src 'two.bin') ($Chunk + 50) 71
        $files = if ($V4) { @($one) } else { @($one, $two) }
        Set-Faults @{ lostAnswerRate = 1 }
        foreach ($file in $files) {
            Clear-SandboxRequest $Sandbox
            Send-CloudreveFile $file.FullName -Destination '/lost-all' -ErrorAction Stop
            $chunks = Get-Requests 'POST' '/api/v3/file/upload/*/*'
            @($chunks | ForEach-Object { ($_.path -split '/')[5] } | Select-Object -Unique).Count | Should -Be 1
            @($chunks | Where-Object path -Like '*/0').Count | Should -Be 2
            @($chunks | Where-Object path -Like '*/1').Count | Should -Be ($file -eq $two ? 2 : 0)
            (Get-Requests 'PUT' '/api/v3/file/upload').Count | Should -Be 1
        }
        Clear-Faults
        $dst = New-LocalFolder 'lost-all-back'
        Receive-CloudreveFile '/lost-all/*' -Destination $dst -ErrorAction Stop
        foreach ($file in $files) { Get-Hash (Join-Path $dst $file.Name) | Should -Be (Get-Hash $file.FullName) }
    }
}

Describe 'Storage policy <Policy>' -ForEach @(@{ Policy = 's3' }, @{ Policy = 'onedrive' }) {
    BeforeAll {
        $script:PChunk = 327680   # a multiple of 320 KiB, as Graph wants
        $script:PSandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--policy', $Policy, '--chunk-size', "$PChunk", '--user', "dave@example.com:$UserPassword")
        $script:PSession = Connect-Cloudreve -Uri $PSandbox.Uri -Credential (New-TestCredential -UserName 'dave@example.com' -Password $UserPassword) -PassThru
        $script:PSrc = New-LocalFolder "policy-$Policy"
        $script:PSizes = [ordered]@{ 'zero.bin' = 0; 'one.bin' = 1; 'below.bin' = $PChunk - 1; 'exact.bin' = $PChunk; 'above.bin' = $PChunk + 1; 'three.bin' = 3 * $PChunk + 5 }
        $i = 0
        foreach ($name in $PSizes.Keys) { $null = New-TestFile (Join-Path $PSrc $name) $PSizes[$name] (40 + ++$i) }
    }
    AfterAll {
        if ($PSession) { Disconnect-Cloudreve -Session $PSession -ErrorAction SilentlyContinue }
        if ($PSandbox) { Stop-CloudreveSandbox $PSandbox }
    }

    It 'round-trips files around the part size byte for byte' {
        $sent = Get-ChildItem -LiteralPath $PSrc -File | Send-CloudreveFile -Destination '/p' -Session $PSession -PassThru -ErrorAction Stop
        $sent.Count | Should -Be $PSizes.Count
        foreach ($file in $sent) { $file.Size | Should -Be $PSizes[$file.Name] }
        $dst = New-LocalFolder "policy-$Policy-back"
        Receive-CloudreveFile '/p/*' -Session $PSession -Destination $dst -ErrorAction Stop
        foreach ($name in $PSizes.Keys) { Get-Hash (Join-Path $dst $name) | Should -Be (Get-Hash (Join-Path $PSrc $name)) }
    }

    It 'replaces a file with -Force' {
        $null = New-TestFile (Join-Path $PSrc 'above.bin') ($PChunk * 2 + 9) 99
        Send-CloudreveFile (Join-Path $PSrc 'above.bin') -Destination '/p' -Session $PSession -Force -ErrorAction Stop
        (Get-CloudreveItem '/p/above.bin' -Session $PSession).Size | Should -Be ($PChunk * 2 + 9)
        @(Get-CloudreveChildItem '/p' -Session $PSession | Where-Object Name -Like '.cr-upload-*').Count | Should -Be 0
    }

    It 'never sends the Cloudreve cookie to the provider origin, while every API request carries it' {
        $PSandbox.ProviderUri | Should -Not -BeNullOrEmpty
        $PSandbox.ProviderUri.Port | Should -Not -Be $PSandbox.Uri.Port
        $src = New-LocalFolder "policy-$Policy-cookie"
        $null = New-TestFile (Join-Path $src 'c.bin') ($PChunk * 2 + 3) 78
        Clear-SandboxRequest $PSandbox
        Send-CloudreveFile (Join-Path $src 'c.bin') -Destination '/pc' -Session $PSession -ErrorAction Stop
        $dst = New-LocalFolder "policy-$Policy-cookie-back"
        Receive-CloudreveFile '/pc/c.bin' -Session $PSession -Destination $dst -ErrorAction Stop
        Get-Hash (Join-Path $dst 'c.bin') | Should -Be (Get-Hash (Join-Path $src 'c.bin'))
        $log = @(Get-SandboxRequest $PSandbox)
        $provider = @($log | Where-Object origin -EQ 'provider')
        $provider.Count | Should -BeGreaterThan 3   # parts or fragments, (S3: complete), the download
        foreach ($r in $provider) {
            $r.path | Should -BeLike '/_provider/*'
            Get-SandboxHeader $r 'Cookie' | Should -BeNullOrEmpty
            Get-SandboxHeader $r 'Authorization' | Should -BeNullOrEmpty
        }
        @($log | Where-Object { $_.origin -eq 'api' -and $_.path -like '/_provider/*' }).Count | Should -Be 0
        if ($V4) {
            # 4.x: the bearer token goes with every API request except the storage callbacks, which the server authenticates itself
            $api = @($log | Where-Object { $_.origin -eq 'api' -and $_.path -like '/api/v4/*' -and $_.path -notlike '/api/v4/callback/*' })
            $api.Count | Should -BeGreaterThan 2
            foreach ($r in $api) { Get-SandboxHeader $r 'Authorization' | Should -Be '<redacted>' -Because "$($r.method) $($r.path)" }
        }
        else {
            $api = @($log | Where-Object { $_.origin -eq 'api' -and $_.path -like '/api/v3/*' })
            $api.Count | Should -BeGreaterThan 2
            foreach ($r in $api) { Get-SandboxHeader $r 'Cookie' | Should -Be '<present>' -Because "$($r.method) $($r.path)" }
        }
    }

    It 'receives and reads through the drive byte for byte when provider content GETs answer HTTP 500' {
        $src = New-LocalFolder "policy-$Policy-500"
        for ($i = 0; $i -lt 12; $i++) { $null = New-TestFile (Join-Path $src "h$i.bin") (1 + ($i * 91811) % ($PChunk * 2)) (300 + $i) }
        Get-ChildItem -LiteralPath $src -File | Send-CloudreveFile -Destination '/p500' -Session $PSession -ErrorAction Stop
        $null = New-PSDrive -Name "P$Policy" -PSProvider Cloudreve -Root / -Session $PSession
        $dst = New-LocalFolder "policy-$Policy-500-back"
        Clear-SandboxRequest $PSandbox
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($PSandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"downloadFailureRate":0.25}'
        try {
            Receive-CloudreveFile '/p500/*' -Session $PSession -Destination $dst -ErrorAction Stop
            $read = @{}
            foreach ($f in Get-ChildItem -LiteralPath $src -File) {
                [byte[]] $bytes = Get-Content "P${Policy}:\p500\$($f.Name)" -AsByteStream -ReadCount 0 -ErrorAction Stop
                $read[$f.Name] = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
            }
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($PSandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"downloadFailureRate":0}'
            Remove-PSDrive -Name "P$Policy" -ErrorAction SilentlyContinue
        }
        foreach ($f in Get-ChildItem -LiteralPath $src -File) {
            Get-Hash (Join-Path $dst $f.Name) | Should -Be (Get-Hash $f.FullName) -Because $f.Name
            $read[$f.Name] | Should -Be (Get-Hash $f.FullName) -Because "Get-Content $($f.Name)"
        }
        $failed = @(Get-SandboxRequest $PSandbox | Where-Object { $_.origin -eq 'provider' -and $_.method -eq 'GET' -and $_.status -eq 500 })
        $failed.Count | Should -BeGreaterThan 0
    }

    It 'completes when a fraction of parts fail or connections drop' {
        $src = New-LocalFolder "policy-$Policy-faults"
        $null = New-TestFile (Join-Path $src 'f.bin') ($PChunk * 6 + 1) 77
        $base = $PSandbox.Uri
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($base, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"chunkFailureRate":0.25,"dropConnectionRate":0.15}'
        try {
            Send-CloudreveFile (Join-Path $src 'f.bin') -Destination '/pf' -Session $PSession -ErrorAction Stop
            $dst = New-LocalFolder "policy-$Policy-faults-back"
            Receive-CloudreveFile '/pf/f.bin' -Session $PSession -Destination $dst -ErrorAction Stop
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($base, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"chunkFailureRate":0,"dropConnectionRate":0}'
        }
        Get-Hash (Join-Path $dst 'f.bin') | Should -Be (Get-Hash (Join-Path $src 'f.bin'))
    }
}

Describe 'One-time download URLs' {
    BeforeAll {
        $script:OSandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--one-time-download', '--user', "erin@example.com:$UserPassword")
        $script:OSession = Connect-Cloudreve -Uri $OSandbox.Uri -Credential (New-TestCredential -UserName 'erin@example.com' -Password $UserPassword) -PassThru
    }
    AfterAll {
        if ($OSession) { Disconnect-Cloudreve -Session $OSession -ErrorAction SilentlyContinue }
        if ($OSandbox) { Stop-CloudreveSandbox $OSandbox }
    }

    It 'gets a fresh URL after an HTTP 500 that used up the one-time URL, byte for byte' {
        $src = New-LocalFolder 'onetime-500'
        for ($i = 0; $i -lt 20; $i++) { $null = New-TestFile (Join-Path $src "t$i.bin") (1 + ($i * 52711) % 400000) (600 + $i) }
        Get-ChildItem -LiteralPath $src -File | Send-CloudreveFile -Destination '/o500' -Session $OSession -ErrorAction Stop
        Clear-SandboxRequest $OSandbox
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($OSandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"downloadFailureRate":0.25}'
        try {
            $dst = New-LocalFolder 'onetime-500-back'
            Receive-CloudreveFile '/o500/*' -Session $OSession -Destination $dst -ErrorAction Stop
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($OSandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"downloadFailureRate":0}'
        }
        foreach ($f in Get-ChildItem -LiteralPath $src -File) { Get-Hash (Join-Path $dst $f.Name) | Should -Be (Get-Hash $f.FullName) -Because $f.Name }
        $log = @(Get-SandboxRequest $OSandbox)
        $get = (ConvertTo-Route 'GET' '/api/v3/file/download/*')[1]
        $fresh = ConvertTo-Route 'PUT' '/api/v3/file/download/*'
        @($log | Where-Object { $_.method -eq 'GET' -and $_.path -like $get -and $_.status -eq 500 }).Count | Should -BeGreaterThan 0
        if ($V4) {
            # 4.x has no one-time URLs: a URL that answered 500 is still good and is tried again
            $failed = @($log | Where-Object { $_.method -eq 'GET' -and $_.path -like $get -and $_.status -eq 500 } | ForEach-Object { "$($_.path)?$($_.query)" })
            @($log | Where-Object { $_.method -eq 'GET' -and $_.path -like $get -and $_.status -in 200, 206 -and "$($_.path)?$($_.query)" -in $failed }).Count | Should -BeGreaterThan 0
        }
        else {
            # Each 500 used up its URL: more URLs were asked for than there are files.
            @($log | Where-Object { $_.method -eq $fresh[0] -and $_.path -like $fresh[1] }).Count | Should -BeGreaterThan 20
        }
    }

    It 'resumes a broken download with a new URL for each request' {
        $src = New-LocalFolder 'onetime'
        $file = New-TestFile (Join-Path $src 'o.bin') (5MB + 3) 55
        Send-CloudreveFile $file.FullName -Destination '/o' -Session $OSession -ErrorAction Stop
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($OSandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"dropConnectionRate":0.5}'
        try {
            $dst = New-LocalFolder 'onetime-back'
            Receive-CloudreveFile '/o/o.bin' -Session $OSession -Destination $dst -ErrorAction Stop
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($OSandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body '{"dropConnectionRate":0}'
        }
        Get-Hash (Join-Path $dst 'o.bin') | Should -Be (Get-Hash $file.FullName)
    }
}

# Tab completion of remote paths in the cmdlets' own parameters (-Path, -LiteralPath, remote -Destination,
# -Root), through TabExpansion2 against the sandbox.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Password = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--user', "bob@example.com:$Password",
        '--user', "carol@example.com:$Password")
    $script:Carol = Connect-Cloudreve -Uri $Sandbox.Uri -Credential (New-TestCredential -UserName 'carol@example.com' -Password $Password) -DriveName Carol -PassThru
    $script:Bob = Connect-Cloudreve -Uri $Sandbox.Uri -Credential (New-TestCredential -UserName 'bob@example.com' -Password $Password) -PassThru   # default session, drive Cloudreve:
    # -Session on a completed line is read from a variable, as a user would type it.
    $global:CompletionTestCarol = $Carol
    $script:Home_ = (Get-Location).Path
    $script:LocalRoot = Join-Path ([IO.Path]::GetTempPath()) ('cr-complete-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path (Join-Path $LocalRoot 'localdir') | Out-Null
    New-Item -ItemType File -Path (Join-Path $LocalRoot 'localdir/localonly.txt') | Out-Null

    function Complete([string] $Line) {
        @((TabExpansion2 $Line $Line.Length).CompletionMatches)
    }
    function Get-ListingRequest {
        # Folder listings: v3 GET /api/v3/directory{path}; 4.x GET /api/v4/file?uri=cloudreve://my/... (the
        # logged path then carries the folder as its query, so `-like '*/slow*'` works for both).
        if (Test-SandboxV4) {
            @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -eq '/api/v4/file' } |
                    ForEach-Object { $_ | Add-Member -NotePropertyName path -NotePropertyValue ('/api/v4/file' + [uri]::UnescapeDataString("$($_.query)")) -Force -PassThru })
        }
        else { @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '/api/v3/directory*' }) }
    }
    function Set-Latency([int] $Milliseconds) {
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body (@{ latencyMs = $Milliseconds } | ConvertTo-Json) -ContentType 'application/json'
    }

    $script:Folders = @('my folder', 'sub', 'zeta')
    $script:Files = @('#hash.txt', 'a b.txt', 'alpha.txt', 'Beta.txt', 'br[1].txt', "it's.txt", 'x#y.txt')
    foreach ($name in $Folders) { New-CloudreveFolder -Path "/docs/$name" | Out-Null }
    foreach ($name in $Files) { New-CloudreveFile -Path "/docs/$name" | Out-Null }
    New-CloudreveFolder -Path '/docs/sub/inner' | Out-Null
    New-CloudreveFolder -Path '/br[2]' | Out-Null
    New-CloudreveFile -Path '/br[2]/in.txt' | Out-Null
    New-CloudreveFolder -Path '/cached' | Out-Null
    New-CloudreveFile -Path '/cached/one.txt' | Out-Null
    New-CloudreveFolder -Path '/by-drive' | Out-Null
    New-CloudreveFile -Path '/by-drive/listed.txt' | Out-Null
    New-CloudreveFolder -Path '/slow' | Out-Null
    New-CloudreveFile -Path '/slow/late.txt' | Out-Null
    New-CloudreveFolder -Path '/carols-own' -Session $Carol | Out-Null
    New-CloudreveFile -Path '/carols-own/c.txt' -Session $Carol | Out-Null
}

AfterAll {
    Set-Location $Home_
    Remove-Variable -Name CompletionTestCarol -Scope Global -ErrorAction SilentlyContinue
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
    Remove-Item -LiteralPath $LocalRoot -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Remote -Path completion' {
    It 'completes a folder name in the cmdlets'' -Path with a trailing /' {
        $m = Complete 'Get-CloudreveItem /do'
        $m.CompletionText | Should -Be @('/docs/')
        $m[0].ResultType | Should -Be 'ProviderContainer'
        $m[0].ListItemText | Should -Be 'docs'
        $m[0].ToolTip | Should -Be '/docs'
    }

    It 'lists folders first, then files, each by name, quoting and escaping as PowerShell does' {
        $m = Complete 'Get-CloudreveChildItem /docs/'
        $m.CompletionText | Should -Be @(
            "'/docs/my folder/'", '/docs/sub/', '/docs/zeta/',
            "'/docs/#hash.txt'", "'/docs/a b.txt'", '/docs/alpha.txt', '/docs/Beta.txt', "'/docs/br``[1``].txt'", "'/docs/it''s.txt'", '/docs/x#y.txt')
        ($m | Select-Object -First 3).ResultType | Should -Be @('ProviderContainer', 'ProviderContainer', 'ProviderContainer')
        ($m | Select-Object -Skip 3).ResultType | Sort-Object -Unique | Should -Be 'ProviderItem'
    }

    It 'gives -Path completions that name exactly the completed item when run' {
        $files = @(Complete 'Get-CloudreveItem /docs/' | Where-Object ResultType -EQ 'ProviderItem')
        $files.Count | Should -Be $Files.Count
        foreach ($match in $files) {
            $item = @(Invoke-Expression "Get-CloudreveItem $($match.CompletionText) -ErrorAction Stop")
            $item.Count | Should -Be 1 -Because $match.CompletionText
            $item[0].Path | Should -Be $match.ToolTip
        }
    }

    It 'keeps -LiteralPath names unescaped (brackets bare) and they run as the same items' {
        $m = Complete 'Get-CloudreveItem -LiteralPath /docs/b'
        $m.CompletionText | Should -Be @('/docs/Beta.txt', '/docs/br[1].txt')
        $m = Complete 'Get-CloudreveItem -LiteralPath /docs/'
        $m.CompletionText | Should -Contain "'/docs/it''s.txt'"
        $m.CompletionText | Should -Contain "'/docs/#hash.txt'"
        @($m | Where-Object ResultType -EQ 'ProviderItem').Count | Should -Be $Files.Count
        foreach ($match in $m | Where-Object ResultType -EQ 'ProviderItem') {
            (Invoke-Expression "Get-CloudreveItem -LiteralPath $($match.CompletionText) -ErrorAction Stop").Path | Should -Be $match.ToolTip
        }
    }

    It 'matches the typed part case-insensitively and reads escaped brackets and quoted words' {
        (Complete 'Get-CloudreveItem /docs/BR').CompletionText | Should -Be @("'/docs/br``[1``].txt'")
        (Complete "Get-CloudreveItem '/docs/br``[").CompletionText | Should -Be @("'/docs/br``[1``].txt'")
        (Complete "Get-CloudreveItem '/docs/my f").CompletionText | Should -Be @("'/docs/my folder/'")
        (Complete "Get-CloudreveItem '/docs/it''").CompletionText | Should -Be @("'/docs/it''s.txt'")
        (Complete 'Get-CloudreveItem "/docs/a b').CompletionText | Should -Be @('"/docs/a b.txt"')
        (Complete 'Get-CloudreveItem /docs/*.t').CompletionText | Should -Contain '/docs/alpha.txt'
    }

    It 'goes on below a completed folder whose name needs escaping' {
        $folder = (Complete 'Get-CloudreveItem /br').CompletionText
        $folder | Should -Be @("'/br``[2``]/'")
        (Complete "Get-CloudreveItem $folder").CompletionText | Should -Be @("'/br``[2``]/in.txt'")
        (Complete 'Get-CloudreveItem -LiteralPath /br[2]/').CompletionText | Should -Be @('/br[2]/in.txt')
    }

    It 'accepts \ as the separator and keeps it' {
        (Complete 'Get-CloudreveChildItem \docs\s').CompletionText | Should -Be @('\docs\sub\')
        (Complete 'Get-CloudreveChildItem \docs\sub\').CompletionText | Should -Be @('\docs\sub\inner\')
    }

    It 'completes drive-qualified paths on the drive''s session' {
        (Complete 'Get-CloudreveItem Cloudreve:\docs\s').CompletionText | Should -Be @('Cloudreve:\docs\sub\')
        (Complete 'Get-CloudreveItem Cloudreve:/do').CompletionText | Should -Be @('Cloudreve:/docs/')
        (Complete 'Get-CloudreveItem Carol:\ca').CompletionText | Should -Be @('Carol:\carols-own\')
    }

    It 'completes relative paths below the location on a Cloudreve drive' {
        Set-Location Cloudreve:\docs
        try {
            (Complete 'Get-CloudreveItem su').CompletionText | Should -Be @('sub/')
            (Complete 'Get-CloudreveItem sub/').CompletionText | Should -Be @('sub/inner/')
        }
        finally { Set-Location $Home_ }
    }

    It 'uses the session given with -Session on the line' {
        (Complete 'Get-CloudreveItem -Session $global:CompletionTestCarol /ca').CompletionText | Should -Be @('/carols-own/')
        (Complete 'Get-CloudreveChildItem -Session $global:CompletionTestCarol -Path /carols-own/').CompletionText | Should -Be @('/carols-own/c.txt')
        (Complete 'Get-CloudreveItem /ca').CompletionText | Should -Be @('/cached/')   # the default session (bob)
        # A -Session whose value is not known without running a command: nothing rather than another session's names.
        Complete 'Get-CloudreveItem -Session (Get-CloudreveSession)[0] /ca' | Should -BeNullOrEmpty
    }

    It 'completes nothing (and no local file names) when nothing remote matches' {
        $local = [IO.Path]::GetTempPath().TrimEnd('/', '\')
        Complete "Get-CloudreveItem $local/" | Should -BeNullOrEmpty
        Complete 'Get-CloudreveItem /no-such-folder/' | Should -BeNullOrEmpty
        Complete 'Get-CloudreveItem NoSuchDrive:\x' | Should -BeNullOrEmpty
    }
}

Describe 'Remote -Destination and -Root completion' {
    It 'completes only folders for Move-, Copy-CloudreveItem and Send-CloudreveFile -Destination' {
        (Complete 'Move-CloudreveItem /docs/alpha.txt -Destination /docs/').CompletionText | Should -Be @("'/docs/my folder/'", '/docs/sub/', '/docs/zeta/')
        (Complete 'Copy-CloudreveItem /docs/alpha.txt /do').CompletionText | Should -Be @('/docs/')
        (Complete "Send-CloudreveFile $LocalRoot/localdir/localonly.txt -Destination /docs/z").CompletionText | Should -Be @('/docs/zeta/')
        (Complete 'New-CloudreveWebDavAccount -Name x -Root /docs/s').CompletionText | Should -Be @('/docs/sub/')
    }

    It 'keeps local completion for Receive-CloudreveFile -Destination and Send-CloudreveFile -Path, remote for Receive -Path' {
        (Complete "Receive-CloudreveFile /docs/alpha.txt -Destination $LocalRoot/localdir/local").CompletionText | Should -Match 'localonly\.txt'
        (Complete "Send-CloudreveFile -Path $LocalRoot/localdir/local").CompletionText | Should -Match 'localonly\.txt'
        (Complete 'Receive-CloudreveFile /do').CompletionText | Should -Be @('/docs/')
        (Complete 'New-CloudreveFolder /docs/zeta/../s').CompletionText | Should -Be @('/docs/zeta/../sub/')
    }
}

Describe 'Completion cost and time limit' {
    It 'asks the server once for an uncached folder, then answers from the cache without a request' {
        Clear-SandboxRequest $Sandbox
        (Complete 'Get-CloudreveItem /cached/').CompletionText | Should -Be @('/cached/one.txt')
        @(Get-ListingRequest).Count | Should -Be 1
        Clear-SandboxRequest $Sandbox
        (Complete 'Get-CloudreveItem /cached/o').CompletionText | Should -Be @('/cached/one.txt')
        (Complete 'Get-CloudreveItem -LiteralPath /cached/').CompletionText | Should -Be @('/cached/one.txt')
        Get-ListingRequest | Should -BeNullOrEmpty
    }

    It 'shares the cache with the Cloudreve: drive' {
        (Get-ChildItem Cloudreve:\by-drive).Name | Should -Be 'listed.txt'
        Clear-SandboxRequest $Sandbox
        (Complete 'Get-CloudreveItem /by-drive/').CompletionText | Should -Be @('/by-drive/listed.txt')
        Get-ListingRequest | Should -BeNullOrEmpty
    }

    It 'keeps to the cache lifetime of the drive a path goes through' {
        $drive = New-PSDrive -PSProvider Cloudreve -Name NoCache -Root /cached -Session $Bob -CacheSeconds 0
        try {
            Clear-SandboxRequest $Sandbox
            (Complete 'Get-CloudreveItem NoCache:\o').CompletionText | Should -Be @('NoCache:\one.txt')
            (Complete 'Get-CloudreveItem NoCache:\o').CompletionText | Should -Be @('NoCache:\one.txt')
            @(Get-ListingRequest).Count | Should -Be 2
            Clear-SandboxRequest $Sandbox
            (Complete 'Get-CloudreveItem /cached/o').CompletionText | Should -Be @('/cached/one.txt')   # the default lifetime
            Get-ListingRequest | Should -BeNullOrEmpty
        }
        finally { Remove-PSDrive $drive }
    }

    It 'sees a change made through the module at once' {
        $null = Complete 'Get-CloudreveItem /cached/'
        New-CloudreveFile -Path '/cached/two.txt' | Out-Null
        (Complete 'Get-CloudreveItem /cached/').CompletionText | Should -Be @('/cached/one.txt', '/cached/two.txt')
    }

    It 'gives up on a slow server within about a second without an error, and completes from the finished fetch later' {
        $Error.Clear()
        Set-Latency 2500
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $m = Complete 'Get-CloudreveChildItem /slow/'
            $watch.Stop()
            $m | Should -BeNullOrEmpty
            $watch.ElapsedMilliseconds | Should -BeLessThan 1500
            $watch.ElapsedMilliseconds | Should -BeGreaterOrEqual 900   # it did wait for the server
            $Error.Count | Should -Be 0
            # The fetch goes on in the background and fills the cache: a later Tab answers at once.
            $deadline = [datetime]::UtcNow.AddSeconds(10)
            while (-not @(Get-ListingRequest | Where-Object { $_.path -like '*/slow*' }).Count -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 300
            $watch.Restart()
            $m = Complete 'Get-CloudreveChildItem /slow/'
            $watch.Stop()
            $m.CompletionText | Should -Be @('/slow/late.txt')
            $watch.ElapsedMilliseconds | Should -BeLessThan 1000
            $Error.Count | Should -Be 0
        }
        finally { Set-Latency 0 }
    }

    It 'completes nothing and writes no error in a runspace without a session' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest)
                    Import-Module $Manifest
                    $Error.Clear()
                    $m = @((TabExpansion2 'Get-CloudreveItem /' 19).CompletionMatches)
                    [pscustomobject]@{ Count = $m.Count; Errors = $Error.Count }
                }).AddArgument($ModuleManifest)
            $answer = $ps.Invoke()
            $ps.HadErrors | Should -BeFalse
            $answer[0].Count | Should -Be 0
            $answer[0].Errors | Should -Be 0
        }
        finally { $ps.Dispose() }
    }

    It 'writes no error for a disconnected session' {
        $other = Connect-Cloudreve -Uri $Sandbox.Uri -Credential (New-TestCredential -UserName 'carol@example.com' -Password $Password) -NoDrive -PassThru
        Disconnect-Cloudreve -Session $other
        $global:CompletionTestGone = $other
        try {
            $Error.Clear()
            Complete 'Get-CloudreveItem -Session $global:CompletionTestGone /' | Should -BeNullOrEmpty
            $Error.Count | Should -Be 0
        }
        finally { Remove-Variable -Name CompletionTestGone -Scope Global }
    }
}

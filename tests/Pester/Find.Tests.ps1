# One body for both generations: run with CLOUDREVE_SERVER_VERSION unset (3.8.3) and set to 4.18.0.
# Find-CloudreveItem must give the same results on both; only the tests marked (3.x) or (4.x) look at the wire.
BeforeDiscovery {
    # Generation-specific cases are chosen before the sandbox starts.
    $script:IsV4Run = $env:CLOUDREVE_SERVER_VERSION -like '4.*'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--user', "fiona@example.com:$UserPassword")
    $script:Fiona = New-TestCredential -UserName 'fiona@example.com' -Password $UserPassword
    $script:FionaSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Fiona -PassThru
    $script:IsV4 = $FionaSession.ApiVersion -eq 'v4'

    $script:Old = [datetime]::new(2020, 1, 1, 12, 0, 0, [DateTimeKind]::Utc)
    function script:Publish([string] $RemoteFolder, [string] $Name, [int] $Size, [Nullable[datetime]] $Modified) {
        $local = Join-Path ([IO.Path]::GetTempPath()) ('find-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $local | Out-Null
        $file = Join-Path $local $Name
        [IO.File]::WriteAllBytes($file, [byte[]]::new($Size))
        if ($Modified) { [IO.File]::SetLastWriteTimeUtc($file, [datetime] $Modified) }
        Send-CloudreveFile -LiteralPath $file -Destination $RemoteFolder | Out-Null
        Remove-Item -LiteralPath $local -Recurse -Force
    }

    Publish '/find' 'Report 2024.pdf' 2000 $Old
    Publish '/find' 'notes.txt' 10 $Old
    Publish '/find/sub' 'report-draft.docx' 500 $null
    Publish '/find/sub' 'holiday.jpg' 50 $null
    Publish '/find/sub/deep' 'clip.mp4' 3000 $null
    Publish '/find/sub/deep' 'song.mp3' 100 $null
    New-CloudreveFolder '/find/sub/deep/reports' | Out-Null
    foreach ($name in '50%off.txt', '50xoff.txt', 'a_b.txt', 'axb.txt', 'br[1].txt', 'br1.txt') { Publish '/find/lit' $name 1 $null }
    Publish '/elsewhere' 'report-outside.pdf' 5 $null

    function script:Sorted([object[]] $Items) { [string[]] $p = @($Items | ForEach-Object Path); [Array]::Sort($p, [StringComparer]::Ordinal); $p }
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'Find-CloudreveItem by name' {
    It 'matches wildcard patterns case-insensitively below -Path, folders included, with real paths' {
        $found = @(Find-CloudreveItem /find -Name 'REPORT*')
        Sorted $found | Should -Be @('/find/Report 2024.pdf', '/find/sub/deep/reports', '/find/sub/report-draft.docx')
        ($found | Where-Object Name -eq 'reports') | Should -BeOfType ([Cloudreve.CloudreveFolder])
        ($found | Where-Object Name -eq 'Report 2024.pdf') | Should -BeOfType ([Cloudreve.CloudreveFile])
        foreach ($item in $found) {
            $item.ParentPath | Should -Be ($item.Path.Substring(0, $item.Path.LastIndexOf('/')) -replace '^$', '/')
            (Get-CloudreveItem -LiteralPath $item.Path).Id | Should -Be $item.Id
        }
    }

    It 'takes any of several patterns and matches whole names' {
        Sorted @(Find-CloudreveItem /find -Name '*.mp?', 'notes.*') | Should -Be @('/find/notes.txt', '/find/sub/deep/clip.mp4', '/find/sub/deep/song.mp3')
        @(Find-CloudreveItem /find -Name 'report').Count | Should -Be 0
    }

    It 'treats % and _ as ordinary characters' {
        Sorted @(Find-CloudreveItem /find -Name '50%off.txt') | Should -Be @('/find/lit/50%off.txt')
        Sorted @(Find-CloudreveItem /find -Name 'a_b.txt') | Should -Be @('/find/lit/a_b.txt')
        Sorted @(Find-CloudreveItem /find -Name '*%*') | Should -Be @('/find/lit/50%off.txt')
    }

    It 'treats [ ] as a character class unless escaped with a backtick' {
        Sorted @(Find-CloudreveItem /find -Name 'br[1].txt') | Should -Be @('/find/lit/br1.txt')
        Sorted @(Find-CloudreveItem /find -Name 'br`[1`].txt') | Should -Be @('/find/lit/br[1].txt')
    }

    It 'returns everything below the folder without conditions, never the folder itself' {
        $all = @(Find-CloudreveItem /find/sub)
        Sorted $all | Should -Be @('/find/sub/deep', '/find/sub/deep/clip.mp4', '/find/sub/deep/reports', '/find/sub/deep/song.mp3', '/find/sub/holiday.jpg', '/find/sub/report-draft.docx')
    }
}

Describe 'Find-CloudreveItem by type, category, size and date' {
    It '-Type selects files or folders' {
        Sorted @(Find-CloudreveItem /find -Type Folder) | Should -Be @('/find/lit', '/find/sub', '/find/sub/deep', '/find/sub/deep/reports')
        Sorted @(Find-CloudreveItem /find -Name 'report*' -Type File) | Should -Be @('/find/Report 2024.pdf', '/find/sub/report-draft.docx')
    }

    It '-Category selects files by the server''s extension groups and combines with -Name' {
        Sorted @(Find-CloudreveItem /find -Category Image) | Should -Be @('/find/sub/holiday.jpg')
        Sorted @(Find-CloudreveItem /find -Category Video, Audio) | Should -Be @('/find/sub/deep/clip.mp4', '/find/sub/deep/song.mp3')
        Sorted @(Find-CloudreveItem /find -Category Document -Name '*.pdf', '*.docx') | Should -Be @('/find/Report 2024.pdf', '/find/sub/report-draft.docx')
    }

    It 'size bounds are inclusive and select files only' {
        Sorted @(Find-CloudreveItem /find -MinimumSize 1000) | Should -Be @('/find/Report 2024.pdf', '/find/sub/deep/clip.mp4')
        Sorted @(Find-CloudreveItem /find/sub -MinimumSize 100 -MaximumSize 500) | Should -Be @('/find/sub/deep/song.mp3', '/find/sub/report-draft.docx')
        @(Find-CloudreveItem /find -MinimumSize 10 -Type Folder).Count | Should -Be 0
    }

    It 'date bounds compare the modification time' {
        Sorted @(Find-CloudreveItem /find -ModifiedBefore '2021-01-01') | Should -Be @('/find/Report 2024.pdf', '/find/notes.txt')
        Sorted @(Find-CloudreveItem /find -Name 'report*' -Type File -ModifiedAfter '2021-01-01') | Should -Be @('/find/sub/report-draft.docx')
        Sorted @(Find-CloudreveItem /find -Name 'notes.txt' -ModifiedAfter $Old.AddSeconds(-1) -ModifiedBefore $Old.AddSeconds(1)) | Should -Be @('/find/notes.txt')
    }
}

Describe 'Find-CloudreveItem scope and pipeline' {
    It 'searches only below -Path (default /)' {
        Sorted @(Find-CloudreveItem -Name 'report-*.pdf') | Should -Be @('/elsewhere/report-outside.pdf')
        @(Find-CloudreveItem /find -Name 'report-*.pdf').Count | Should -Be 0
        Sorted @(Find-CloudreveItem /find/sub -Name 'report*') | Should -Be @('/find/sub/deep/reports', '/find/sub/report-draft.docx')
    }

    It 'takes folders from the pipeline' {
        Sorted @(Get-CloudreveChildItem /find -Directory | Find-CloudreveItem -Name '*.mp4') | Should -Be @('/find/sub/deep/clip.mp4')
    }

    It 'pipes hits into Receive-CloudreveFile and Remove-CloudreveItem -WhatIf' {
        $target = Join-Path ([IO.Path]::GetTempPath()) ('find-dl-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $target | Out-Null
        try {
            Find-CloudreveItem /find -Name 'song.mp3', 'notes.txt' | Receive-CloudreveFile -Destination $target
            (Get-Item (Join-Path $target 'song.mp3')).Length | Should -Be 100
            (Get-Item (Join-Path $target 'notes.txt')).Length | Should -Be 10
        }
        finally { Remove-Item -LiteralPath $target -Recurse -Force }

        Find-CloudreveItem /find -Category Video | Remove-CloudreveItem -WhatIf
        (Get-CloudreveItem -LiteralPath '/find/sub/deep/clip.mp4').Size | Should -Be 3000
    }

    It 'a missing -Path is a CloudreveNotFound error record; a file is CloudreveInvalidArgument' {
        $err = $null
        $out = @(Find-CloudreveItem /no/such/folder -Name '*' -ErrorVariable err -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { Find-CloudreveItem '/find/notes.txt' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
    }

    It 'a malformed -Name pattern is CloudreveInvalidArgument' {
        { Find-CloudreveItem /find -Name 'br[1.txt' } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
    }
}

Describe 'Find-CloudreveItem on the wire' {
    It 'uses the 3.x search route for files and resolves each hit''s folder (3.x)' -Skip:$IsV4Run {
        Clear-SandboxRequest $Sandbox
        Sorted @(Find-CloudreveItem /find -Name '*draft*' -Type File) | Should -Be @('/find/sub/report-draft.docx')
        $requests = @(Get-SandboxRequest $Sandbox)
        $search = @($requests | Where-Object { $_.method -eq 'GET' -and $_.path -like '/api/v3/file/search/keywords/*' })
        $search.Count | Should -Be 1
        $search[0].path | Should -Be '/api/v3/file/search/keywords/draft'
        @($requests | Where-Object { $_.path -like '/api/v3/directory/find/*' }).Count | Should -Be 0
        @($requests | Where-Object { $_.path -like '/api/v3/object/property/*' }).Count | Should -Be 1
    }

    It 'uses the 4.x listing search filters, one request for the whole tree (4.x)' -Skip:(-not $IsV4Run) {
        Clear-SandboxRequest $Sandbox
        Sorted @(Find-CloudreveItem /find -Name '*draft*' -Type File -MinimumSize 1) | Should -Be @('/find/sub/report-draft.docx')
        $lists = @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'GET' -and $_.path -eq '/api/v4/file' })
        $searches = @($lists | Where-Object { [uri]::UnescapeDataString($_.query) -like '*name=draft*' })
        $searches.Count | Should -Be 1
        $uri = [uri]::UnescapeDataString($searches[0].query)
        $uri | Should -BeLike '*type=file*'
        $uri | Should -BeLike '*size_gte=1&size_lte=*'
        $uri | Should -BeLike '*case_folding*'
    }
}

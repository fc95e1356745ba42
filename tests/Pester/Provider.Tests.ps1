# The Cloudreve provider, driven only through PowerShell's own cmdlets (and the Cloudreve cmdlets for
# pipelines and cache invalidation) against the sandbox.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Password = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--user', "bob@example.com:$Password",
        '--user', "carol@example.com:$Password")
    $script:BobCredential = New-TestCredential -UserName 'bob@example.com' -Password $Password
    $script:CarolCredential = New-TestCredential -UserName 'carol@example.com' -Password $Password
    $script:Carol = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $CarolCredential -DriveName Carol -PassThru
    $script:Bob = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $BobCredential -PassThru   # default session, drive Cloudreve:
    # A second login of bob without a drive: its writes go around the drive's cache, like another client.
    $script:BobElsewhere = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $BobCredential -NoDrive -PassThru
    $script:Special = @('sp ace.txt', 'ünï 文.txt', 'hash#1.txt', 'per%cent.txt', 'plus+and&.txt', "quo'te.txt", 'br[ack]et.txt')
    $script:Home_ = (Get-Location).Path

    $script:V4 = Test-SandboxV4
    $script:Api = if ($V4) { '/api/v4' } else { '/api/v3' }
    function Get-ListingRequest {
        # folder listings: v3 GET /api/v3/directory{path}; 4.x GET /api/v4/file?uri=...
        if ($V4) { @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -eq '/api/v4/file' -and $_.method -eq 'GET' }) }
        else { @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '/api/v3/directory*' }) }
    }
    function Complete([string] $Line) {
        (TabExpansion2 $Line $Line.Length).CompletionMatches
    }
    function Get-ApiRequest {
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like "$Api/*" })
    }

    New-Item Cloudreve:\nav -ItemType Directory | Out-Null
    New-Item Cloudreve:\nav\sub -ItemType Directory | Out-Null
    New-Item Cloudreve:\nav\sub\deep -ItemType Directory | Out-Null
    New-Item Cloudreve:\nav\a.txt -ItemType File -Value 'alpha' | Out-Null
    New-Item Cloudreve:\nav\b.log -ItemType File -Value 'beta' | Out-Null
    New-Item Cloudreve:\nav\sub\c.txt -ItemType File -Value 'gamma' | Out-Null
    New-Item Cloudreve:\nav\sub\deep\d.txt -ItemType File -Value 'delta' | Out-Null
}

AfterAll {
    Set-Location $Home_
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'Drives' {
    It 'Connect-Cloudreve mounts Cloudreve: on the new session' {
        $drive = Get-PSDrive Cloudreve
        $drive.Provider.Name | Should -Be 'Cloudreve'
        $drive.Session.Id | Should -Be $Bob.Id
        $drive.RemoteRoot | Should -Be '/'
        (Get-PSDrive Carol).Session.Id | Should -Be $Carol.Id
    }

    It 'mounts no drive with -NoDrive' {
        @(Get-PSDrive -PSProvider Cloudreve | Where-Object { $_.Session.Id -eq $BobElsewhere.Id }).Count | Should -Be 0
    }

    It 'New-PSDrive mounts any session at any folder, several at once' {
        New-Item Cloudreve:\reports -ItemType Directory | Out-Null
        New-Item Cloudreve:\reports\q1.txt -ItemType File -Value 'q1' | Out-Null
        New-Item Carol:\mine.txt -ItemType File -Value 'carol' | Out-Null
        $work = New-PSDrive -PSProvider Cloudreve -Name Work -Root /reports -Session $Bob
        $other = New-PSDrive -PSProvider Cloudreve -Name CarolToo -Root / -Session $Carol
        try {
            $work.RemoteRoot | Should -Be '/reports'
            (Get-ChildItem Work:\).Name | Should -Be 'q1.txt'
            (Get-Item Work:\q1.txt).FullName | Should -Be '/reports/q1.txt'
            (Get-ChildItem CarolToo:\).Name | Should -Contain 'mine.txt'
            (Get-ChildItem Cloudreve:\).Name | Should -Not -Contain 'mine.txt'
            Get-Content Work:\q1.txt | Should -Be 'q1'
            $err = { Remove-Item Work:\ -Recurse -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
            Test-Path Cloudreve:\reports\q1.txt | Should -BeTrue
        }
        finally {
            Remove-PSDrive Work, CarolToo
        }
    }

    It 'New-PSDrive without -Session uses the default session, and accepts a drive path as root' {
        $drive = New-PSDrive -PSProvider Cloudreve -Name Dflt -Root 'Cloudreve:\nav'
        try {
            $drive.Session.Id | Should -Be $Bob.Id
            $drive.RemoteRoot | Should -Be '/nav'
            (Get-ChildItem Dflt:\ -Name) | Should -Contain 'a.txt'
        }
        finally { Remove-PSDrive Dflt }
    }

    It 'refuses a root folder that does not exist' {
        $err = { New-PSDrive -PSProvider Cloudreve -Name Nope -Root /no/such/folder -Session $Bob -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotFound*'
        Get-PSDrive Nope -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Disconnect-Cloudreve removes every drive of the session and leaves the location' {
        $temp = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $CarolCredential -DriveName Scratch -PassThru
        New-PSDrive -PSProvider Cloudreve -Name ScratchToo -Root / -Session $temp | Out-Null
        Set-Location Scratch:\
        Disconnect-Cloudreve -Session $temp
        Get-PSDrive Scratch, ScratchToo -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Location).Provider.Name | Should -Be 'FileSystem'
        (Get-PSDrive Cloudreve).Session.Id | Should -Be $Bob.Id
        Set-Location $Home_
    }

    It '-DriveName replaces a Cloudreve drive of the same name' {
        New-Item Carol:\keep -ItemType Directory -Force | Out-Null
        Set-Location Carol:\keep
        $again = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $CarolCredential -DriveName Carol -PassThru
        try {
            (Get-PSDrive Carol).Session.Id | Should -Be $again.Id
            (Get-Location).Path | Should -Match '^Carol:[\\/]keep$'   # connecting again keeps the location
            Set-Location $Home_
        }
        finally {
            Disconnect-Cloudreve -Session $again
            $script:Carol = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $CarolCredential -DriveName Carol -PassThru
            Connect-Cloudreve -Uri $Sandbox.Uri -Credential $BobCredential -PassThru | Out-Null   # bob default again
            $script:Bob = (Get-PSDrive Cloudreve).Session
        }
    }
}

Describe 'Navigation' {
    AfterEach { Set-Location $Home_ }

    It 'Set-Location, Get-Location, relative paths, .. and both separators' {
        Set-Location Cloudreve:\nav
        (Get-Location).Drive.Name | Should -Be 'Cloudreve'
        (Get-Location).Path | Should -Match '^Cloudreve:[\\/]nav$'
        Set-Location sub/deep
        (Get-Location).Path | Should -Match '^Cloudreve:[\\/]nav[\\/]sub[\\/]deep$'
        Set-Location ..\..
        (Get-Location).Path | Should -Match '^Cloudreve:[\\/]nav$'
        Set-Location ..
        (Get-Location).Path | Should -Match '^Cloudreve:[\\/]?$'
        Set-Location Cloudreve:/nav/sub
        (Get-Item .\c.txt).FullName | Should -Be '/nav/sub/c.txt'
        (Get-Item ../a.txt).FullName | Should -Be '/nav/a.txt'
    }

    It 'Push-Location and Pop-Location' {
        Push-Location Cloudreve:\nav\sub
        (Get-Location).Path | Should -Match 'sub$'
        Push-Location Carol:\
        (Get-Location).Drive.Name | Should -Be 'Carol'
        Pop-Location
        (Get-Location).Path | Should -Match 'sub$'
        Pop-Location
        (Get-Location).Path | Should -Be $Home_
    }

    It 'Resolve-Path, Split-Path and Join-Path' {
        Set-Location Cloudreve:\nav
        (Resolve-Path sub\c.txt).Path | Should -Match '^Cloudreve:[\\/]nav[\\/]sub[\\/]c\.txt$'
        (Resolve-Path Cloudreve:\nav\*.txt).Path | Should -Match 'a\.txt$'
        @(Resolve-Path Cloudreve:\nav\*).Count | Should -Be 3
        Resolve-Path sub\c.txt -Relative | Should -Match '^\.[\\/]sub[\\/]c\.txt$'
        Split-Path Cloudreve:\nav\sub\c.txt -Leaf | Should -Be 'c.txt'
        Split-Path Cloudreve:\nav\sub\c.txt -Parent | Should -Match '^Cloudreve:[\\/]nav[\\/]sub$'
        Split-Path Cloudreve:\nav\sub\c.txt -Qualifier | Should -Be 'Cloudreve:'
        Join-Path Cloudreve:\nav sub | Should -Match '^Cloudreve:[\\/]nav[\\/]sub$'
        (Join-Path Cloudreve:\nav 's*' -Resolve) | Should -Match 'sub$'
    }

    It 'Test-Path with -PathType' {
        Test-Path Cloudreve:\nav | Should -BeTrue
        Test-Path Cloudreve:\nav -PathType Container | Should -BeTrue
        Test-Path Cloudreve:\nav -PathType Leaf | Should -BeFalse
        Test-Path Cloudreve:\nav\a.txt -PathType Leaf | Should -BeTrue
        Test-Path Cloudreve:\nav\a.txt -PathType Container | Should -BeFalse
        Test-Path Cloudreve:\nav\missing.txt | Should -BeFalse
        Test-Path Cloudreve:\no\such\folder | Should -BeFalse
        Test-Path Cloudreve:\ | Should -BeTrue
    }

    It 'completes names on the drive with tab' {
        $matches_ = (Complete 'Get-Item Cloudreve:\nav\s')
        $sub = $matches_ | Where-Object CompletionText -Match '^Cloudreve:[\\/]nav[\\/]sub$'
        $sub | Should -Not -BeNullOrEmpty
        $sub.ResultType | Should -Be 'ProviderContainer'
        $files = (Complete 'Get-Content Cloudreve:\nav\a')
        $files.ListItemText | Should -Contain 'a.txt'
        Set-Location Cloudreve:\nav
        (Complete 'Get-Item su').ListItemText | Should -Contain 'sub'
    }
}

Describe 'Items' {
    BeforeAll {
        New-Item Cloudreve:\items -ItemType Directory | Out-Null
    }

    It 'Get-ChildItem returns the module''s item objects with provider paths' {
        $children = Get-ChildItem Cloudreve:\nav
        $children.Name | Should -Be @('sub', 'a.txt', 'b.log')
        $children[0] | Should -BeOfType ([Cloudreve.CloudreveFolder])
        $children[1] | Should -BeOfType ([Cloudreve.CloudreveFile])
        $children[1].FullName | Should -Be '/nav/a.txt'
        $children[1].Session.Id | Should -Be $Bob.Id
        $children[1].PSChildName | Should -Be 'a.txt'
        $children[1].PSIsContainer | Should -BeFalse
        $children[0].PSIsContainer | Should -BeTrue
        $children[1].PSDrive.Name | Should -Be 'Cloudreve'
        $children[1].PSPath | Should -BeLike 'Cloudreve\Cloudreve::*a.txt'
        # Path is the escaped drive path, so that piping into Remove-Item or Get-Content binds the right item.
        $children[1].Path | Should -Match '^Cloudreve:[\\/]nav[\\/]a\.txt$'
        $children[1].FullName | Should -Be '/nav/a.txt'
    }

    It 'Get-ChildItem -Recurse, -Depth, -Filter, -Include, -Exclude, -Name, -File, -Directory' {
        (Get-ChildItem Cloudreve:\nav -Recurse).FullName | Sort-Object | Should -Be @('/nav/a.txt', '/nav/b.log', '/nav/sub', '/nav/sub/c.txt', '/nav/sub/deep', '/nav/sub/deep/d.txt')
        (Get-ChildItem Cloudreve:\nav -Depth 1).FullName | Sort-Object | Should -Be @('/nav/a.txt', '/nav/b.log', '/nav/sub', '/nav/sub/c.txt', '/nav/sub/deep')
        (Get-ChildItem Cloudreve:\nav -Filter *.txt).Name | Should -Be 'a.txt'
        (Get-ChildItem Cloudreve:\nav -Recurse -Filter *.txt).Name | Sort-Object | Should -Be @('a.txt', 'c.txt', 'd.txt')
        (Get-ChildItem Cloudreve:\nav\* -Include *.log).Name | Should -Be 'b.log'
        (Get-ChildItem Cloudreve:\nav -Recurse -Include *.txt).Name | Sort-Object | Should -Be @('a.txt', 'c.txt', 'd.txt')
        (Get-ChildItem Cloudreve:\nav -Exclude *.txt).Name | Sort-Object | Should -Be @('b.log', 'sub')
        Get-ChildItem Cloudreve:\nav -Name | Sort-Object | Should -Be @('a.txt', 'b.log', 'sub')
        Get-ChildItem Cloudreve:\nav -Name -Recurse | ForEach-Object { $_ -replace '\\', '/' } | Sort-Object | Should -Be @('a.txt', 'b.log', 'sub', 'sub/c.txt', 'sub/deep', 'sub/deep/d.txt')
        (Get-ChildItem Cloudreve:\nav -File).Name | Should -Be @('a.txt', 'b.log')
        (Get-ChildItem Cloudreve:\nav -Directory).Name | Should -Be 'sub'
        (Get-ChildItem Cloudreve:\nav -Recurse -Directory).FullName | Should -Be @('/nav/sub', '/nav/sub/deep')
        (Get-ChildItem Cloudreve:\nav\a.txt).Name | Should -Be 'a.txt'
    }

    It 'Get-Item gets files, folders and the root' {
        (Get-Item Cloudreve:\nav\a.txt).Length | Should -Be 5
        (Get-Item Cloudreve:\nav).IsFolder | Should -BeTrue
        (Get-Item Cloudreve:\).FullName | Should -Be '/'
        (Get-Item Cloudreve:\nav\*.log).Name | Should -Be 'b.log'
    }

    It 'Get-Item on a missing path is PathNotFound' {
        $err = { Get-Item Cloudreve:\nav\missing.txt -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
    }

    It 'New-Item creates folders and files (with a value), and reports conflicts' {
        $folder = New-Item Cloudreve:\items\made -ItemType Directory
        $folder | Should -BeOfType ([Cloudreve.CloudreveFolder])
        $folder.FullName | Should -Be '/items/made'
        $file = New-Item Cloudreve:\items\made\note.txt -ItemType File -Value 'first note'
        $file | Should -BeOfType ([Cloudreve.CloudreveFile])
        $file.Length | Should -Be 10
        Get-Content Cloudreve:\items\made\note.txt | Should -Be 'first note'
        (New-Item Cloudreve:\items\made\empty.txt -ItemType File).Length | Should -Be 0
        $err = { New-Item Cloudreve:\items\made -ItemType Directory -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'CloudreveConflict,Microsoft.PowerShell.Commands.NewItemCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (New-Item Cloudreve:\items\made -ItemType Directory -Force).FullName | Should -Be '/items/made'
        (New-Item Cloudreve:\items\made\note.txt -ItemType File -Value 'replaced' -Force).Length | Should -Be 8
        $err = { New-Item Cloudreve:\items\nothere\x.txt -ItemType File -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotFound,*'
        $err = { New-Item 'Cloudreve:\items\bad|name' -ItemType File -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidName,*'
        New-Item Cloudreve:\items\whatif -ItemType Directory -WhatIf | Out-Null
        Test-Path Cloudreve:\items\whatif | Should -BeFalse
    }

    It 'Remove-Item removes files, and folders with -Recurse' {
        New-Item Cloudreve:\items\gone -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\gone\f.txt -ItemType File | Out-Null
        New-Item Cloudreve:\items\single.txt -ItemType File | Out-Null
        Remove-Item Cloudreve:\items\single.txt
        Test-Path Cloudreve:\items\single.txt | Should -BeFalse
        Remove-Item Cloudreve:\items\gone -Recurse
        Test-Path Cloudreve:\items\gone | Should -BeFalse
    }

    It 'Remove-Item asks before removing a non-empty folder without -Recurse (and fails without a prompt)' {
        New-Item Cloudreve:\items\keep -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\keep\f.txt -ItemType File | Out-Null
        # The pipeline runs non-interactively, so the question cannot be asked and nothing is removed.
        $ps = [powershell]::Create('CurrentRunspace')
        $null = $ps.AddCommand('Remove-Item').AddParameter('LiteralPath', 'Cloudreve:\items\keep')
        { $ps.Invoke() } | Should -Throw
        $ps.Dispose()
        Test-Path Cloudreve:\items\keep\f.txt | Should -BeTrue
        Remove-Item Cloudreve:\items\keep\f.txt
        Remove-Item Cloudreve:\items\keep   # empty now: no question
        Test-Path Cloudreve:\items\keep | Should -BeFalse
    }

    It 'Move-Item moves into a folder, to a new name, and renames in place' {
        New-Item Cloudreve:\items\mv -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\mv\to -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\mv\m.txt -ItemType File -Value 'move me' | Out-Null
        (Move-Item Cloudreve:\items\mv\m.txt Cloudreve:\items\mv\to -PassThru).FullName | Should -Be '/items/mv/to/m.txt'
        Move-Item Cloudreve:\items\mv\to\m.txt Cloudreve:\items\mv\n.txt
        Get-Content Cloudreve:\items\mv\n.txt | Should -Be 'move me'
        Move-Item Cloudreve:\items\mv\n.txt Cloudreve:\items\mv\o.txt
        (Get-ChildItem Cloudreve:\items\mv -File).Name | Should -Be 'o.txt'
        Move-Item Cloudreve:\items\mv\o.txt Cloudreve:\items\mv\to\p.txt
        (Get-ChildItem Cloudreve:\items\mv\to).Name | Should -Be 'p.txt'
        $err = { Move-Item Cloudreve:\items\mv Cloudreve:\items\mv\to -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
    }

    It 'Rename-Item renames files and folders' {
        New-Item Cloudreve:\items\rn -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\rn\old.txt -ItemType File | Out-Null
        (Rename-Item Cloudreve:\items\rn\old.txt new.txt -PassThru).FullName | Should -Be '/items/rn/new.txt'
        Rename-Item Cloudreve:\items\rn renamed
        (Get-ChildItem Cloudreve:\items\renamed).Name | Should -Be 'new.txt'
        $err = { Rename-Item Cloudreve:\items\renamed\new.txt 'bad:name' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidName,*'
    }

    It 'Copy-Item copies files into folders and to new names, folders with -Recurse' {
        New-Item Cloudreve:\items\cp -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\cp\src -ItemType Directory | Out-Null
        New-Item Cloudreve:\items\cp\src\one.txt -ItemType File -Value 'one' | Out-Null
        New-Item Cloudreve:\items\cp\dst -ItemType Directory | Out-Null
        (Copy-Item Cloudreve:\items\cp\src\one.txt Cloudreve:\items\cp\dst -PassThru).FullName | Should -Be '/items/cp/dst/one.txt'
        Copy-Item Cloudreve:\items\cp\src\one.txt Cloudreve:\items\cp\src\two.txt
        Get-Content Cloudreve:\items\cp\src\two.txt | Should -Be 'one'
        Copy-Item Cloudreve:\items\cp\src\one.txt Cloudreve:\items\cp\dst\three.txt
        (Get-ChildItem Cloudreve:\items\cp\dst).Name | Should -Be @('one.txt', 'three.txt')
        Copy-Item Cloudreve:\items\cp\src Cloudreve:\items\cp\tree -Recurse
        (Get-ChildItem Cloudreve:\items\cp\tree).Name | Should -Be @('one.txt', 'two.txt')
        Copy-Item Cloudreve:\items\cp\src Cloudreve:\items\cp\shell
        @(Get-ChildItem Cloudreve:\items\cp\shell).Count | Should -Be 0
        (Get-ChildItem Cloudreve:\items\cp -Name) | Should -Not -Match 'cloudreve-copy'
        $err = { Copy-Item Cloudreve:\items\cp\src\one.txt Cloudreve:\items\cp\dst -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        Set-Content Cloudreve:\items\cp\src\one.txt -Value 'newer'
        Copy-Item Cloudreve:\items\cp\src\one.txt Cloudreve:\items\cp\dst -Force
        Get-Content Cloudreve:\items\cp\dst\one.txt | Should -Be 'newer'
        $err = { Copy-Item Cloudreve:\items\cp\src\one.txt Cloudreve:\items\cp\src -Force -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        Get-Content Cloudreve:\items\cp\src\one.txt | Should -Be 'newer'   # never deleted to make room for itself
        $err = { Copy-Item Cloudreve:\items\cp\src\one.txt Carol:\ -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
    }

    It 'Get-ItemProperty returns the item''s details' {
        $all = Get-ItemProperty Cloudreve:\nav
        $all.FileCount | Should -Be 4
        $all.FolderCount | Should -Be 2
        (Get-ItemProperty Cloudreve:\nav\a.txt -Name Size).Size | Should -Be 5
        Get-ItemPropertyValue Cloudreve:\nav\a.txt -Name Size | Should -Be 5
    }

    It 'drive items pipe into the built-in item and content cmdlets' {
        New-Item 'Cloudreve:\items\piped' -ItemType Directory | Out-Null
        New-Item 'Cloudreve:\items\piped\x[1].txt' -ItemType File -Value 'one' | Out-Null
        New-Item 'Cloudreve:\items\piped\x1.txt' -ItemType File -Value 'two' | Out-Null
        (Get-ChildItem Cloudreve:\items\piped | Get-Content) | Sort-Object | Should -Be @('one', 'two')
        Get-ChildItem Cloudreve:\items\piped -Filter 'x`[*' | Remove-Item
        (Get-ChildItem Cloudreve:\items\piped).Name | Should -Be 'x1.txt'
        Get-Item Cloudreve:\items\piped\x1.txt | Rename-Item -NewName y1.txt
        Get-Item Cloudreve:\items\piped\y1.txt | Copy-Item -Destination Cloudreve:\items
        Get-Content Cloudreve:\items\y1.txt | Should -Be 'two'
    }

    It 'drive items pipe into the Cloudreve cmdlets, which accept drive paths' {
        New-Item Cloudreve:\items\pipe -ItemType Directory | Out-Null
        1..3 | ForEach-Object { New-Item "Cloudreve:\items\pipe\p$_.txt" -ItemType File | Out-Null }
        Get-ChildItem Cloudreve:\items\pipe | Remove-CloudreveItem -Confirm:$false
        @(Get-ChildItem Cloudreve:\items\pipe).Count | Should -Be 0
        (Get-CloudreveItem Cloudreve:\nav\a.txt).Path | Should -Be '/nav/a.txt'
        (Get-CloudreveChildItem Cloudreve:\nav\sub).Name | Should -Contain 'c.txt'
        (Get-CloudreveItem Carol:\mine.txt).Session.Id | Should -Be $Carol.Id
        (Get-Item Carol:\mine.txt | Get-CloudreveItemProperty).Size | Should -Be 5
        (Get-Item Carol:\mine.txt | Get-CloudreveItem).Session.Id | Should -Be $Carol.Id   # binds PSPath
        (Get-ChildItem Cloudreve:\nav -Directory | Get-CloudreveChildItem).Name | Should -Contain 'c.txt'
        New-CloudreveFolder Carol:\from-cmdlet | Out-Null
        Test-Path Carol:\from-cmdlet | Should -BeTrue
        Get-CloudreveItem -Path /from-cmdlet -ErrorAction SilentlyContinue | Should -BeNullOrEmpty   # bob has none
        Set-Location Cloudreve:\nav
        try { (Get-CloudreveItem sub\c.txt).Path | Should -Be '/nav/sub/c.txt' } finally { Set-Location $Home_ }
        $err = { Get-CloudreveItem Carol:\mine.txt -Session $Bob -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err = { Move-CloudreveItem Cloudreve:\nav\a.txt -Destination Carol:\ -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
    }
}

Describe 'Streaming' {
    It 'streams Get-ChildItem -Recurse: stopping early stops the listing' {
        New-Item Cloudreve:\stream -ItemType Directory | Out-Null
        1..16 | ForEach-Object { "/stream/f{0:d2}/inner" -f $_ } | New-CloudreveFolder | Out-Null
        Clear-SandboxRequest $Sandbox
        $first = Get-ChildItem Cloudreve:\stream -Recurse -Force | Select-Object -First 1
        $first.Name | Should -Be 'f01'
        @(Get-ListingRequest).Count | Should -BeLessThan 12   # 1 + 16 + 16 listings for the whole tree
        @(Get-ChildItem Cloudreve:\stream -Recurse).Count | Should -Be 32
    }
}

Describe 'Content' {
    BeforeAll { New-Item Cloudreve:\text -ItemType Directory | Out-Null }

    It 'Set-Content and Get-Content round-trip lines' {
        Set-Content Cloudreve:\text\lines.txt -Value 'one', 'two', 'three'
        Get-Content Cloudreve:\text\lines.txt | Should -Be @('one', 'two', 'three')
        Get-Content Cloudreve:\text\lines.txt -Raw | Should -Be "one$([Environment]::NewLine)two$([Environment]::NewLine)three$([Environment]::NewLine)"
        Get-Content Cloudreve:\text\lines.txt -TotalCount 2 | Should -Be @('one', 'two')
        # -Tail is implemented by Get-Content for the FileSystem provider only; other providers get an error.
        Get-Content Cloudreve:\text\lines.txt -Tail 1 -ErrorAction SilentlyContinue -ErrorVariable tailError | Should -BeNullOrEmpty
        $tailError[0].FullyQualifiedErrorId | Should -BeLike 'TailNotSupported*'
        Get-Content Cloudreve:\text\lines.txt | Select-Object -Last 1 | Should -Be 'three'
        Get-Content Cloudreve:\text\lines.txt -LastLines 2 | Should -Be @('two', 'three')   # the provider's own tail
        Get-Content Cloudreve:\text\lines.txt -LastLines 10 | Should -Be @('one', 'two', 'three')
        (Get-Item Cloudreve:\text\lines.txt).Length | Should -Be ('one', 'two', 'three' | ForEach-Object { $_ + [Environment]::NewLine } | Join-String).Length
    }

    It 'handles a larger file line by line' {
        $lines = 1..50000 | ForEach-Object { "line $_ of a larger file" }
        Set-Content Cloudreve:\text\large.txt -Value $lines
        $back = Get-Content Cloudreve:\text\large.txt
        $back.Count | Should -Be 50000
        $back[-1] | Should -Be 'line 50000 of a larger file'
        Get-Content Cloudreve:\text\large.txt -TotalCount 2 | Should -Be @('line 1 of a larger file', 'line 2 of a larger file')
        Add-Content Cloudreve:\text\large.txt -Value 'appended'
        Get-Content Cloudreve:\text\large.txt -LastLines 2 | Should -Be @('line 50000 of a larger file', 'appended')
        (Get-Content Cloudreve:\text\large.txt -ReadCount 1000 | Measure-Object).Count | Should -Be 51
    }

    It 'Set-Content replaces and Add-Content appends' {
        Set-Content Cloudreve:\text\log.txt -Value 'first'
        Add-Content Cloudreve:\text\log.txt -Value 'second'
        Get-Content Cloudreve:\text\log.txt | Should -Be @('first', 'second')
        Set-Content Cloudreve:\text\log.txt -Value 'only'
        Get-Content Cloudreve:\text\log.txt | Should -Be 'only'
        Set-Content Cloudreve:\text\log.txt -Value 'no newline' -NoNewline
        Get-Content Cloudreve:\text\log.txt -Raw | Should -Be 'no newline'
        'piped' | Add-Content Cloudreve:\text\log.txt
        Get-Content Cloudreve:\text\log.txt | Should -Be 'no newlinepiped'
    }

    It 'reads and writes bytes with -AsByteStream and -Encoding Byte' {
        [byte[]] $bytes = 0, 1, 2, 254, 255, 10, 13, 0
        Set-Content Cloudreve:\text\blob.bin -Value $bytes -AsByteStream
        (Get-Item Cloudreve:\text\blob.bin).Length | Should -Be 8
        $back = Get-Content Cloudreve:\text\blob.bin -AsByteStream
        $back | Should -Be $bytes
        $back[3] | Should -BeOfType ([byte])
        (Get-Content Cloudreve:\text\blob.bin -Encoding Byte -TotalCount 3) | Should -Be @(0, 1, 2)
    }

    It 'has an -Encoding of its own' {
        Set-Content Cloudreve:\text\wide.txt -Value 'ünï 文' -Encoding unicode
        (Get-Item Cloudreve:\text\wide.txt).Length | Should -Be (2 + 2 * ('ünï 文' + [Environment]::NewLine).Length)
        Get-Content Cloudreve:\text\wide.txt -Encoding unicode | Should -Be 'ünï 文'
        Get-Content Cloudreve:\text\wide.txt | Should -Be 'ünï 文'   # the byte order mark tells
        Set-Content Cloudreve:\text\utf8.txt -Value 'ünï 文'
        (Get-Item Cloudreve:\text\utf8.txt).Length | Should -Be ([Text.Encoding]::UTF8.GetByteCount('ünï 文' + [Environment]::NewLine))
        Get-Content Cloudreve:\text\utf8.txt -Encoding latin1 | Should -Not -Be 'ünï 文'
    }

    It 'changes nothing with -WhatIf, and writes a small file in one request without clearing it first' {
        Set-Content Cloudreve:\text\whatif.txt -Value 'kept'
        Clear-SandboxRequest $Sandbox
        Set-Content Cloudreve:\text\whatif.txt -Value 'no' -WhatIf
        Add-Content Cloudreve:\text\whatif.txt -Value 'no' -WhatIf
        Clear-Content Cloudreve:\text\whatif.txt -WhatIf
        Remove-Item Cloudreve:\text\whatif.txt -WhatIf
        Rename-Item Cloudreve:\text\whatif.txt other.txt -WhatIf
        Copy-Item Cloudreve:\text\whatif.txt Cloudreve:\text\copy.txt -WhatIf
        Move-Item Cloudreve:\text\whatif.txt Cloudreve:\text\moved.txt -WhatIf
        @(Get-SandboxRequest $Sandbox | Where-Object method -NE 'GET').Count | Should -Be 0
        Get-Content Cloudreve:\text\whatif.txt | Should -Be 'kept'
        Clear-SandboxRequest $Sandbox
        Set-Content Cloudreve:\text\whatif.txt -Value 'replaced'
        # The sandbox logs a request when its handler returns, which can be just after the client has the answer.
        $deadline = [DateTime]::UtcNow.AddSeconds(3)
        # v3: PUT /api/v3/file/update/{id}; 4.x has no update route: one upload session of a new version (entity_type version)
        $route = if ($V4) { '/api/v4/file/upload' } else { '/api/v3/file/update/*' }
        do { $updates = @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'PUT' -and $_.path -like $route }) }
        while ($updates.Count -lt 1 -and [DateTime]::UtcNow -lt $deadline -and -not (Start-Sleep -Milliseconds 50))
        $updates.Count | Should -Be 1   # the content in place; Set-Content no longer clears first
        if ($V4) { @(Get-SandboxRequest $Sandbox | Where-Object method -EQ 'DELETE').Count | Should -Be 0 }
        Get-Content Cloudreve:\text\whatif.txt | Should -Be 'replaced'
        @(Get-ListingRequest).Count | Should -BeLessOrEqual 2
    }

    It 'creates a missing file, and refuses folders' {
        Add-Content Cloudreve:\text\fresh.txt -Value 'made by Add-Content'
        Get-Content Cloudreve:\text\fresh.txt | Should -Be 'made by Add-Content'
        $err = { Get-Content Cloudreve:\text -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        Clear-Content Cloudreve:\text\fresh.txt
        (Get-Item Cloudreve:\text\fresh.txt).Length | Should -Be 0
    }
}

Describe 'Large content' {
    BeforeAll {
        New-Item Cloudreve:\large -ItemType Directory | Out-Null
        function Get-SandboxReadBytes($Box) {
            # Bytes the sandbox process has read (its file reads included) - Linux only.
            $line = [IO.File]::ReadAllLines("/proc/$($Box.Process.Id)/io") | Where-Object { $_.StartsWith('rchar:') }
            [long]($line -replace '\D')
        }
        function Join-Block([object[]] $Blocks) {
            $all = [IO.MemoryStream]::new()
            foreach ($block in $Blocks) { $all.Write([byte[]]$block, 0, $block.Length) }
            , $all.ToArray()
        }
        function New-RandomBlock([int] $Count, [int] $Seed) {
            # Blocks of 1 MiB, each written to the pipeline as one byte[].
            $rng = [Random]::new($Seed)
            for ($i = 0; $i -lt $Count; $i++) { $b = [byte[]]::new(1MB); $rng.NextBytes($b); , $b }
        }
        $script:Big = Join-Block @(New-RandomBlock 40 11)
    }

    It 'writes 40 MB with Set-Content through chunked uploads and reads it back byte for byte' {
        Clear-SandboxRequest $Sandbox
        New-RandomBlock 40 11 | Set-Content Cloudreve:\large\data.bin -AsByteStream
        $requests = Get-ApiRequest
        @($requests | Where-Object { $_.method -eq 'PUT' -and $_.path -eq "$Api/file/upload" }).Count | Should -Be 1
        @($requests | Where-Object { $_.method -eq 'POST' -and $_.path -like "$Api/file/upload/*" }).Count | Should -BeGreaterOrEqual 2   # 25 MiB chunks
        @($requests | Where-Object { $_.path -like '/api/v3/file/update/*' }).Count | Should -Be 0
        (Get-Item Cloudreve:\large\data.bin).Length | Should -Be 40MB
        $blocks = Get-Content Cloudreve:\large\data.bin -AsByteStream -ReadCount 0
        $blocks.Count | Should -Be 40   # -ReadCount 0 gives 1 MiB byte arrays, not one array of the whole file
        $blocks[0].GetType() | Should -Be ([byte[]])
        $back = Join-Block $blocks
        $back.Length | Should -Be $Big.Length
        [Linq.Enumerable]::SequenceEqual($back, $Big) | Should -BeTrue
        [byte[]] $raw = Get-Content Cloudreve:\large\data.bin -AsByteStream -Raw   # -Raw: one array, as on the file system
        [Linq.Enumerable]::SequenceEqual($raw, $Big) | Should -BeTrue
        Get-ChildItem Cloudreve:\large -Force | Where-Object Name -like '.cr-upload-*' | Should -BeNullOrEmpty
    }

    It 'replaces an existing large file only after the new content arrived' {
        $other = Join-Block @(New-RandomBlock 6 12)
        , $other | Set-Content Cloudreve:\large\replace.bin -AsByteStream
        Set-Content Cloudreve:\large\replace.bin -Value 'short text now'
        Get-Content Cloudreve:\large\replace.bin | Should -Be 'short text now'
        Get-ChildItem Cloudreve:\large -Force | Where-Object Name -like '.cr-upload-*' | Should -BeNullOrEmpty
    }

    It 'Get-Content -TotalCount stops the download early' {
        # A 128 MiB text file put there with the transfer cmdlet, then its first line read through the drive.
        $line = [Text.Encoding]::ASCII.GetBytes(('x' * 99) + "`n")
        $block = [byte[]]::new(1MB - (1MB % 100)); for ($i = 0; $i -lt $block.Length; $i += 100) { [Array]::Copy($line, 0, $block, $i, 100) }
        $local = Join-Path $TestDrive 'lines.txt'
        $out = [IO.File]::Create($local); try { for ($i = 0; $i -lt 128; $i++) { $out.Write($block, 0, $block.Length) } } finally { $out.Dispose() }
        Send-CloudreveFile -Path $local -Destination Cloudreve:\large
        $size = (Get-Item Cloudreve:\large\lines.txt).Length
        $size | Should -BeGreaterThan 120MB
        $readable = [IO.File]::Exists("/proc/$($Sandbox.Process.Id)/io")
        if ($readable) { $before = Get-SandboxReadBytes $Sandbox }
        $output = Get-Content Cloudreve:\large\lines.txt -TotalCount 1 -Verbose 4>&1
        $output | Where-Object { $_ -is [string] } | Should -Be ('x' * 99)
        # The reader's own account: how much it took from the stream before it closed the response.
        $note = "$($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Read * bytes of *' })"
        $note | Should -Match "Read (\d+) of $size bytes.*the rest was not downloaded"
        [long]($note -replace '^.*Read (\d+) of.*$', '$1') | Should -BeLessThan 1MB
        if ($readable) {
            # The server's account: what the sandbox process read from its disk (the response body source) is
            # bounded by the socket and pipe buffers between the two processes (they grow to tens of MB on
            # loopback under load), well below the file size; a whole read, below, reads all of it.
            Start-Sleep -Milliseconds 500
            $delta = (Get-SandboxReadBytes $Sandbox) - $before
            $delta | Should -BeLessThan ($size / 2)
            $before = Get-SandboxReadBytes $Sandbox
            (Get-Content Cloudreve:\large\lines.txt -ReadCount 100000 | Measure-Object).Count | Should -Be ([math]::Ceiling($size / 100 / 100000))
            ((Get-SandboxReadBytes $Sandbox) - $before) | Should -BeGreaterOrEqual $size   # for comparison: a whole read
        }
        Get-Content Cloudreve:\large\lines.txt -LastLines 1 | Should -Be ('x' * 99)
    }

    It 'Add-Content appends to a large file' {
        [byte[]] $tail = 1..100
        Add-Content Cloudreve:\large\data.bin -Value $tail -AsByteStream
        (Get-Item Cloudreve:\large\data.bin).Length | Should -Be (40MB + 100)
        $back = Join-Block @(Get-Content Cloudreve:\large\data.bin -AsByteStream -ReadCount 0)
        $expected = Join-Block @($Big, $tail)
        [Linq.Enumerable]::SequenceEqual($back, $expected) | Should -BeTrue
        Add-Content Cloudreve:\large\lines.txt -Value 'the end'
        Get-Content Cloudreve:\large\lines.txt -LastLines 2 | Should -Be @(('x' * 99), 'the end')
        Get-ChildItem Cloudreve:\large -Force | Where-Object Name -like '.cr-upload-*' | Should -BeNullOrEmpty
    }

    It 'resumes reads that break off (dropped connections) and still delivers every byte' {
        $expected = Join-Block @($Big, [byte[]](1..100))
        $connections = 0
        try {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body '{"dropConnectionRate": 0.8}' -ContentType 'application/json'
            for ($i = 0; $i -lt 4; $i++) {
                $output = Get-Content Cloudreve:\large\data.bin -AsByteStream -ReadCount 0 -Verbose 4>&1
                $blocks = @($output | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
                [Linq.Enumerable]::SequenceEqual((Join-Block $blocks), $expected) | Should -BeTrue
                $note = "$($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Read * bytes of *' })"
                $note | Should -Match 'over (\d+) connection'
                $connections += [int]($note -replace '^.*over (\d+) connection.*$', '$1')
            }
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body '{"dropConnectionRate": 0}' -ContentType 'application/json'
        }
        $connections | Should -BeGreaterThan 4   # at least one read was resumed with a Range request
    }

    It 'keeps the old content when the upload of the new content fails (quota)' {
        $limited = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--user', "erin@example.com:$Password", '--user-max-storage', 10MB)
        try {
            $erin = Connect-Cloudreve -Uri $limited.Uri -Credential (New-TestCredential 'erin@example.com' $Password) -DriveName Erin -PassThru
            $first = Join-Block @(New-RandomBlock 6 21)
            , $first | Set-Content Erin:\data.bin -AsByteStream
            # The replacement is uploaded next to the old file first: 6 + 6 MiB do not fit in 10 MiB.
            $err = { New-RandomBlock 6 22 | Set-Content Erin:\data.bin -AsByteStream -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveQuotaExceeded,*'
            [Linq.Enumerable]::SequenceEqual([byte[]](Get-Content Erin:\data.bin -AsByteStream -Raw), $first) | Should -BeTrue
            $err = { New-RandomBlock 5 23 | Add-Content Erin:\data.bin -AsByteStream -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveQuotaExceeded,*'
            [Linq.Enumerable]::SequenceEqual([byte[]](Get-Content Erin:\data.bin -AsByteStream -Raw), $first) | Should -BeTrue
            Get-ChildItem Erin:\ -Force | Select-Object -ExpandProperty Name | Should -Be 'data.bin'
        }
        finally {
            if ($erin) { Disconnect-Cloudreve -Session $erin -ErrorAction SilentlyContinue }
            Stop-CloudreveSandbox $limited
        }
    }

    It 'writes and reads content on the <_> storage policy' -ForEach @('s3', 'onedrive') {
        $policy = $_
        $box = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--user', "finn@example.com:$Password", '--policy', $policy, '--chunk-size', 5MB)
        try {
            $finn = Connect-Cloudreve -Uri $box.Uri -Credential (New-TestCredential 'finn@example.com' $Password) -DriveName Finn -PassThru
            (Get-CloudreveItem / -Session $finn | Select-Object -First 1) | Out-Null
            Clear-SandboxRequest $box
            Set-Content Finn:\small.txt -Value 'one', 'two'
            Get-Content Finn:\small.txt | Should -Be @('one', 'two')
            Set-Content Finn:\small.txt -Value 'three'   # replaced through the upload flow: update is for the local policy only
            Add-Content Finn:\small.txt -Value 'four'
            Get-Content Finn:\small.txt | Should -Be @('three', 'four')
            if ($V4) {
                # no local chunks to the API: the content went to the Graph imitation
                @(Get-SandboxRequest $box | Where-Object { $_.method -eq 'POST' -and $_.path -like '/api/v4/file/upload/*' }).Count | Should -Be 0
            }
            else { @(Get-SandboxRequest $box | Where-Object { $_.path -like '/api/v3/file/update/*' }).Count | Should -Be 0 }
            $data = Join-Block @(New-RandomBlock 12 31)
            New-RandomBlock 12 31 | Set-Content Finn:\data.bin -AsByteStream
            (Get-Item Finn:\data.bin).Length | Should -Be 12MB
            [Linq.Enumerable]::SequenceEqual((Join-Block @(Get-Content Finn:\data.bin -AsByteStream -ReadCount 0)), $data) | Should -BeTrue
            Add-Content Finn:\data.bin -Value ([byte[]](7, 8, 9)) -AsByteStream
            (Get-Item Finn:\data.bin).Length | Should -Be (12MB + 3)
            Get-Content Finn:\data.bin -AsByteStream -TotalCount 4 | Should -Be $data[0..3]
            Clear-Content Finn:\small.txt
            (Get-Item Finn:\small.txt).Length | Should -Be 0
            Get-ChildItem Finn:\ -Force | Where-Object Name -like '.cr-upload-*' | Should -BeNullOrEmpty
        }
        finally {
            if ($finn) { Disconnect-Cloudreve -Session $finn -ErrorAction SilentlyContinue }
            Stop-CloudreveSandbox $box
        }
    }

    It 'keeps the peak working set below the size of a 200 MB file it writes and reads' {
        # A fresh pwsh: the peak working set after a warm-up on a small file is the baseline.
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
        $child = Join-Path $PSScriptRoot 'Child/ContentMemory.ps1'
        $json = & $pwsh @prefix -NoProfile -NonInteractive -File $child $ModuleManifest $Sandbox.Uri 'carol@example.com' $Password 200 Bytes | Select-Object -Last 1
        $result = $json | ConvertFrom-Json
        $result.Length | Should -Be 209700000
        $result.Bytes | Should -Be 209700000
        Write-Host "    peak working set: baseline $([math]::Round($result.Baseline / 1MB)) MB, after Set-Content +$([math]::Round(($result.AfterWrite - $result.Baseline) / 1MB)) MB, after Get-Content -AsByteStream +$([math]::Round(($result.AfterRead - $result.Baseline) / 1MB)) MB"
        # Buffering the file would add at least its 200 MB; garbage from the 1 MiB arrays written to the
        # pipeline is what remains (GC-timing dependent, 13 to 75 MB seen), so the bound leaves room for it.
        ($result.AfterWrite - $result.Baseline) | Should -BeLessThan 100MB
        ($result.AfterRead - $result.Baseline) | Should -BeLessThan 150MB
    }

    It 'leaves no temporary files behind on the local disk' {
        @(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'cloudreve-content-*' -ErrorAction SilentlyContinue).Count | Should -Be 0
    }
}

Describe 'Special names' {
    BeforeAll { New-Item Cloudreve:\special -ItemType Directory | Out-Null }

    It 'handles <_> through every item and content cmdlet' -ForEach @('sp ace.txt', 'ünï 文.txt', 'hash#1.txt', 'per%cent.txt', 'plus+and&.txt', "quo'te.txt", 'br[ack]et.txt') {
        $name = $_
        $path = "Cloudreve:\special\$name"
        $item = New-Item -Path $path -ItemType File -Value "content of $name"
        $item.Name | Should -Be $name
        Test-Path -LiteralPath $path -PathType Leaf | Should -BeTrue
        (Get-Item -LiteralPath $path).FullName | Should -Be "/special/$name"
        Get-Content -LiteralPath $path | Should -Be "content of $name"
        Set-Content -LiteralPath $path -Value 'changed'
        Get-Content -LiteralPath $path | Should -Be 'changed'
        (Get-ChildItem Cloudreve:\special -Name) | Should -Contain $name
        $renamed = "x $name"
        Rename-Item -LiteralPath $path -NewName $renamed
        Test-Path -LiteralPath "Cloudreve:\special\$renamed" | Should -BeTrue
        Copy-Item -LiteralPath "Cloudreve:\special\$renamed" -Destination "Cloudreve:\special\copy"
        Get-Content -LiteralPath "Cloudreve:\special\copy" | Should -Be 'changed'
        Remove-Item -LiteralPath "Cloudreve:\special\copy"
        Get-Item -LiteralPath "Cloudreve:\special\$renamed" | Remove-Item
        Test-Path -LiteralPath "Cloudreve:\special\$renamed" | Should -BeFalse
    }

    It 'finds names with brackets through escaped wildcards and with spaces through tab completion' {
        New-Item -Path 'Cloudreve:\special\br[1].txt' -ItemType File | Out-Null
        (Get-Item 'Cloudreve:\special\br`[1`].txt').Name | Should -Be 'br[1].txt'
        (Get-ChildItem Cloudreve:\special -Filter 'br*').Name | Should -Be 'br[1].txt'
        New-Item -Path 'Cloudreve:\special\with space' -ItemType Directory | Out-Null
        $completion = (Complete 'Get-ChildItem Cloudreve:\special\wi')
        $completion.CompletionText | Should -Match "^'Cloudreve:[\\/]special[\\/]with space'$"
    }
}

Describe 'Cache' {
    BeforeAll {
        New-Item Cloudreve:\cache -ItemType Directory | Out-Null
        New-Item Cloudreve:\cache\one.txt -ItemType File | Out-Null
    }

    It 'answers repeated Test-Path and Get-Item from the cache' {
        $null = Get-ChildItem Cloudreve:\cache
        Clear-SandboxRequest $Sandbox
        1..5 | ForEach-Object {
            Test-Path Cloudreve:\cache\one.txt | Should -BeTrue
            Test-Path Cloudreve:\cache\missing.txt | Should -BeFalse
            (Get-Item Cloudreve:\cache\one.txt).Name | Should -Be 'one.txt'
            $null = Get-ChildItem Cloudreve:\cache
        }
        Get-ApiRequest | Should -BeNullOrEmpty
    }

    It 'makes no request for a cached tab completion' {
        $null = Complete 'Get-Item Cloudreve:\cache\o'
        Clear-SandboxRequest $Sandbox
        $completion = (Complete 'Get-Item Cloudreve:\cache\o')
        $completion.ListItemText | Should -Be 'one.txt'
        Get-ApiRequest | Should -BeNullOrEmpty
    }

    It 'asks the server again after the cache lifetime' {
        $drive = New-PSDrive -PSProvider Cloudreve -Name Short -Root /cache -Session $Bob -CacheSeconds 0
        try {
            $drive.CacheLifetime | Should -Be ([timespan]::Zero)
            $null = Get-ChildItem Short:\
            Clear-SandboxRequest $Sandbox
            $null = Get-ChildItem Short:\
            @(Get-ListingRequest).Count | Should -BeGreaterThan 0
        }
        finally { Remove-PSDrive Short }
    }

    It 'never reports an item missing without a complete listing of its parent' {
        New-CloudreveFolder -Path /cache/unlisted -Session $BobElsewhere | Out-Null
        New-CloudreveFile -Path /cache/unlisted/x.txt -Session $BobElsewhere | Out-Null
        Clear-SandboxRequest $Sandbox
        Test-Path Cloudreve:\cache\unlisted\x.txt | Should -BeTrue   # /cache is cached, /cache/unlisted is not: it is listed
        @(Get-ListingRequest).Count | Should -Be 1
    }

    It 'does not see writes of other clients until -Force or the lifetime runs out' {
        $null = Get-ChildItem Cloudreve:\cache
        New-CloudreveFile -Path /cache/outside.txt -Session $BobElsewhere | Out-Null
        (Get-ChildItem Cloudreve:\cache).Name | Should -Not -Contain 'outside.txt'
        (Get-ChildItem Cloudreve:\cache -Force).Name | Should -Contain 'outside.txt'
        (Get-ChildItem Cloudreve:\cache).Name | Should -Contain 'outside.txt'   # the fresh listing is cached
        New-CloudreveFile -Path /cache/outside2.txt -Session $BobElsewhere | Out-Null
        Test-Path Cloudreve:\cache\outside2.txt | Should -BeFalse
        (Get-Item Cloudreve:\cache\outside2.txt -Force).Name | Should -Be 'outside2.txt'
        New-CloudreveFile -Path /cache/outside3.txt -Session $BobElsewhere | Out-Null
        (Get-PSDrive Cloudreve).ClearCache()
        Test-Path Cloudreve:\cache\outside3.txt | Should -BeTrue
        Remove-CloudreveItem -Path /cache/outside2.txt, /cache/outside3.txt -Session $BobElsewhere -Confirm:$false
        Remove-CloudreveItem -Path /cache/outside.txt -Session $BobElsewhere -Confirm:$false
        Start-Sleep -Seconds 6
        (Get-ChildItem Cloudreve:\cache).Name | Should -Not -Contain 'outside.txt'
    }

    It 'sees writes through the provider at once' {
        $null = Get-ChildItem Cloudreve:\cache
        New-Item Cloudreve:\cache\two.txt -ItemType File | Out-Null
        (Get-ChildItem Cloudreve:\cache).Name | Should -Contain 'two.txt'
        Rename-Item Cloudreve:\cache\two.txt three.txt
        (Get-ChildItem Cloudreve:\cache).Name | Should -Contain 'three.txt'
        Test-Path Cloudreve:\cache\two.txt | Should -BeFalse
        Set-Content Cloudreve:\cache\three.txt -Value 'sized'
        (Get-Item Cloudreve:\cache\three.txt).Length | Should -BeGreaterThan 0
        Remove-Item Cloudreve:\cache\three.txt
        Test-Path Cloudreve:\cache\three.txt | Should -BeFalse
    }

    It 'sees writes through the Cloudreve cmdlets at once' {
        $null = Get-ChildItem Cloudreve:\cache -Recurse
        New-CloudreveFolder /cache/by-cmdlet | Out-Null
        Test-Path Cloudreve:\cache\by-cmdlet | Should -BeTrue
        New-CloudreveFile /cache/by-cmdlet/f.txt | Out-Null
        (Get-ChildItem Cloudreve:\cache\by-cmdlet).Name | Should -Be 'f.txt'
        Rename-CloudreveItem /cache/by-cmdlet/f.txt -NewName g.txt
        (Get-ChildItem Cloudreve:\cache\by-cmdlet).Name | Should -Be 'g.txt'
        Copy-CloudreveItem /cache/by-cmdlet/g.txt -Destination /cache
        Test-Path Cloudreve:\cache\g.txt | Should -BeTrue
        Move-CloudreveItem /cache/g.txt -Destination /cache/unlisted
        Test-Path Cloudreve:\cache\g.txt | Should -BeFalse
        Test-Path Cloudreve:\cache\unlisted\g.txt | Should -BeTrue
        Remove-CloudreveItem /cache/by-cmdlet -Confirm:$false
        Test-Path Cloudreve:\cache\by-cmdlet | Should -BeFalse
        Test-Path Cloudreve:\cache\by-cmdlet\g.txt | Should -BeFalse
    }

    It 'shares the cache between the drives of one session' {
        $drive = New-PSDrive -PSProvider Cloudreve -Name Twin -Root /cache -Session $Bob
        try {
            $null = Get-ChildItem Twin:\
            New-Item Cloudreve:\cache\twin.txt -ItemType File | Out-Null
            (Get-ChildItem Twin:\).Name | Should -Contain 'twin.txt'
        }
        finally { Remove-PSDrive Twin }
    }
}

Describe 'Storage limits' {
    BeforeAll {
        $script:Limited = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
            '--user', "dora@example.com:$Password", '--policy-file-types', 'txt,md', '--user-max-storage', '100')
        $script:Dora = Connect-Cloudreve -Uri $Limited.Uri -Credential (New-TestCredential 'dora@example.com' $Password) -DriveName Dora -PassThru
    }
    AfterAll {
        Disconnect-Cloudreve -Session $Dora -ErrorAction SilentlyContinue
        if ($Limited) { Stop-CloudreveSandbox $Limited }
        Connect-Cloudreve -Uri $Sandbox.Uri -Credential $BobCredential | Out-Null   # bob default again
    }

    It 'reports a refused extension from Set-Content, New-Item and Rename-Item (4.x: as an invalid name, 40052)' {
        $id = if ($V4) { 'CloudreveInvalidName' } else { 'CloudreveFileTypeNotAllowed' }
        $err = { Set-Content Dora:\tool.exe -Value 'x' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "$id,Microsoft.PowerShell.Commands.SetContentCommand"
        $err = { New-Item Dora:\tool.exe -ItemType File -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "$id,Microsoft.PowerShell.Commands.NewItemCommand"
        New-Item Dora:\ok.txt -ItemType File | Out-Null
        { Rename-Item Dora:\ok.txt ok.exe -ErrorAction Stop } | Should -Throw
        Test-Path Dora:\tool.exe | Should -BeFalse
    }

    It 'reports a full quota and leaves no empty file behind' {
        $err = { Set-Content Dora:\big.txt -Value ('x' * 500) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveQuotaExceeded,*'
        Test-Path Dora:\big.txt | Should -BeFalse
        Set-Content Dora:\small.txt -Value 'fits'
        $err = { Add-Content Dora:\small.txt -Value ('y' * 500) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveQuotaExceeded,*'
        Get-Content Dora:\small.txt | Should -Be 'fits'   # the old content stays
    }
}

Describe 'Errors and sessions' {
    It 'has the about_Cloudreve_Provider help topic' {
        $topic = Get-Help about_Cloudreve_Provider -ErrorAction Stop
        "$topic" | Should -Match 'SHORT DESCRIPTION'
        "$topic" | Should -Match 'New-PSDrive -PSProvider Cloudreve'
    }

    It 'reports a disconnected session with the module''s error id' {
        $gone = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $CarolCredential -NoDrive -PassThru
        Disconnect-Cloudreve -Session $gone
        $err = { New-PSDrive -PSProvider Cloudreve -Name Stale -Root / -Session $gone -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotLoggedIn*'
        Get-PSDrive Stale -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'logs in again when the server forgets the login' {
        Invoke-SandboxSessionExpiry $Sandbox
        (Get-ChildItem Cloudreve:\nav -Force).Name | Should -Contain 'a.txt'
        Invoke-SandboxSessionExpiry $Sandbox
        Set-Content Cloudreve:\nav\after-expiry.txt -Value 'still works'
        Get-Content Cloudreve:\nav\after-expiry.txt | Should -Be 'still works'
    }

    It 'stops a listing that waits on a slow server when the pipeline is stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Uri, $Credential)
                    Import-Module $Manifest
                    Connect-Cloudreve -Uri $Uri -Credential $Credential
                }).AddArgument($ModuleManifest).AddArgument($Sandbox.Uri).AddArgument($BobCredential)
            $null = $ps.Invoke()
            $ps.Commands.Clear()
            # Path resolution (ItemExists) runs without the command's Stopping flag, so keep it in the cache:
            # the stop must interrupt the listing itself.
            $null = $ps.AddScript({ Get-ChildItem Cloudreve:\ | Out-Null }).Invoke()
            $ps.Commands.Clear()
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body '{"latencyMs": 4000}' -ContentType 'application/json'
            $null = $ps.AddScript({ Get-ChildItem Cloudreve:\nav -Recurse -Force })
            $handle = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 600
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.ElapsedMilliseconds | Should -BeLessThan 2500
            $handle.IsCompleted | Should -BeTrue
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body '{"latencyMs": 0}' -ContentType 'application/json'
            $ps.Dispose()
        }
    }

    It 'stops Get-Content and Set-Content that wait on a slow server when the pipeline is stopped (Ctrl+C), and keeps the old content' {
        New-Item Cloudreve:\stopping -ItemType Directory -Force | Out-Null
        Set-Content Cloudreve:\stopping\stop.txt -Value 'before the stop'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Uri, $Credential)
                    Import-Module $Manifest
                    Connect-Cloudreve -Uri $Uri -Credential $Credential
                    Get-ChildItem Cloudreve:\stopping | Out-Null   # path resolution answers from the cache
                }).AddArgument($ModuleManifest).AddArgument($Sandbox.Uri).AddArgument($BobCredential)
            $null = $ps.Invoke()
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body '{"latencyMs": 4000}' -ContentType 'application/json'
            foreach ($script in { Get-Content Cloudreve:\stopping\stop.txt }, { Set-Content Cloudreve:\stopping\stop.txt -Value 'after the stop' }) {
                $ps.Commands.Clear()
                $null = $ps.AddScript($script)
                $handle = $ps.BeginInvoke()
                Start-Sleep -Milliseconds 600
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.ElapsedMilliseconds | Should -BeLessThan 2500
                $handle.IsCompleted | Should -BeTrue
            }
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body '{"latencyMs": 0}' -ContentType 'application/json'
            $ps.Dispose()
        }
        Get-Content Cloudreve:\stopping\stop.txt -Force | Should -Be 'before the stop'
    }

    It 'works in a runspace where the module is imported' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Uri, $Credential)
                    Import-Module $Manifest
                    Connect-Cloudreve -Uri $Uri -Credential $Credential
                    (Get-ChildItem Cloudreve:\nav -Name) -join ','
                }).AddArgument($ModuleManifest).AddArgument($Sandbox.Uri).AddArgument($BobCredential)
            $out = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $out | Should -Match 'a\.txt'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Transfers between the local disk and Cloudreve drives' {
    It 'sends to a drive path on another session and sees the files on that drive at once' {
        $local = Join-Path $TestDrive 'up'
        New-Item -ItemType Directory $local | Out-Null
        Set-Content -LiteralPath (Join-Path $local 'one.txt') -Value 'first' -NoNewline
        Set-Content -LiteralPath (Join-Path $local 'two.txt') -Value 'second' -NoNewline
        New-Item Carol:\inbox -ItemType Directory | Out-Null
        Get-ChildItem Carol:\inbox | Out-Null          # fill the drive's listing cache
        Get-ChildItem -LiteralPath $local -File | Send-CloudreveFile -Destination 'Carol:\inbox'
        (Get-ChildItem Carol:\inbox).Name | Sort-Object | Should -Be @('one.txt', 'two.txt')
        Get-CloudreveItem '/inbox/one.txt' -Session $Bob -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'the files went to carol, whose drive was named'
        Get-Content Carol:\inbox\two.txt | Should -Be 'second'
    }

    It 'receives items piped from a drive' {
        $target = Join-Path $TestDrive 'down'
        New-Item -ItemType Directory $target | Out-Null
        $files = Get-ChildItem Carol:\inbox -File | Receive-CloudreveFile -Destination $target -PassThru
        $files.Name | Sort-Object | Should -Be @('one.txt', 'two.txt')
        Get-Content -LiteralPath (Join-Path $target 'one.txt') -Raw | Should -Be 'first'
    }
}

Describe 'Content under transient HTTP errors' {
    BeforeAll {
        function Set-DownloadFailureRate([double] $Rate) {
            $body = '{"downloadFailureRate": ' + $Rate.ToString([cultureinfo]::InvariantCulture) + '}'
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -Body $body -ContentType 'application/json'
        }
        New-Item Cloudreve:\flaky -ItemType Directory | Out-Null
        $script:Flaky = @{}
        for ($i = 0; $i -lt 15; $i++) {
            $bytes = [byte[]]::new(1 + ($i * 48611) % 300000)
            [Random]::new(700 + $i).NextBytes($bytes)
            Set-Content "Cloudreve:\flaky\f$i.bin" -Value $bytes -AsByteStream
            $Flaky["f$i.bin"] = $bytes
        }
        Set-Content Cloudreve:\flaky\lines.txt -Value @('alpha', 'beta', 'gamma')
    }
    AfterEach { Set-DownloadFailureRate 0 }

    It 'reads every byte with Get-Content when content GETs answer HTTP 500' {
        Clear-SandboxRequest $Sandbox
        Set-DownloadFailureRate 0.25
        for ($round = 0; $round -lt 2; $round++) {
            foreach ($name in $Flaky.Keys) {
                [byte[]] $back = Get-Content "Cloudreve:\flaky\$name" -AsByteStream -ReadCount 0 -ErrorAction Stop
                [Linq.Enumerable]::SequenceEqual($back, [byte[]]$Flaky[$name]) | Should -BeTrue -Because "$name, round $round"
            }
            Get-Content Cloudreve:\flaky\lines.txt -ErrorAction Stop | Should -Be @('alpha', 'beta', 'gamma')
        }
        Set-DownloadFailureRate 0
        $content = if ($V4) { '/api/v4/file/content/*' } else { '/api/v3/file/download/*' }
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'GET' -and $_.path -like $content -and $_.status -eq 500 }).Count | Should -BeGreaterThan 0
    }

    It 'reports a read that answers HTTP 500 every time as CloudreveServerError, without the signature' {
        Set-DownloadFailureRate 1
        $null = Get-Content Cloudreve:\flaky\lines.txt -ErrorVariable problems -ErrorAction SilentlyContinue
        Set-DownloadFailureRate 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveServerError*'
        $problems[0].Exception.Message | Should -BeLike '*HTTP 500*'
        $problems[0].Exception.Message | Should -Not -Match 'sign=(?!<redacted>)'
    }
}

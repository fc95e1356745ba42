BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:TotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--admin-totp-secret', $TotpSecret,
        '--user', "bob@example.com:$UserPassword")
    $script:Bob = New-TestCredential -UserName 'bob@example.com' -Password $UserPassword
    $script:Admin = New-TestCredential -UserName $Sandbox.AdminEmail -Password $Sandbox.AdminPassword
    $script:AdminSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Admin -TotpSecret (ConvertTo-SecureString $TotpSecret -AsPlainText -Force) -PassThru
    $script:BobSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Bob -PassThru   # the default session

    function Get-Requests([string] $Method, [string] $Path) {
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq $Method -and $_.path -eq $Path })
    }
    $script:V4 = Test-SandboxV4
    $script:Special = @('sp ace.txt', 'ünï 文.txt', 'hash#1.txt', 'per%cent.txt', 'plus+and&.txt', "quo'te.txt", 'br[ack]et.txt')
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'New-CloudreveFolder and New-CloudreveFile' {
    It 'creates missing parents and returns the folder' {
        $folder = New-CloudreveFolder -Path '/new/a/b/c'
        $folder | Should -BeOfType ([Cloudreve.CloudreveFolder])
        $folder.Path | Should -Be '/new/a/b/c'
        $folder.ParentPath | Should -Be '/new/a/b'
        $folder.Name | Should -Be 'c'
        $folder.Id | Should -Not -BeNullOrEmpty
        $folder.IsFolder | Should -BeTrue
        (Get-CloudreveItem '/new/a').IsFolder | Should -BeTrue
    }

    It 'refuses an existing folder unless -Force, which returns it' {
        $first = New-CloudreveFolder '/new/exists'
        $err = { New-CloudreveFolder '/new/exists' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject | Should -Be '/new/exists'
        (New-CloudreveFolder '/new/exists' -Force).Id | Should -Be $first.Id
    }

    It 'creates an empty file and returns it with its id' {
        $file = New-CloudreveFile '/new/empty.md'
        $file | Should -BeOfType ([Cloudreve.CloudreveFile])
        $file.Size | Should -Be 0
        $file.Id | Should -Not -BeNullOrEmpty
        $file.ToString() | Should -Be '/new/empty.md'
        $file.Length | Should -Be 0
        $file.FullName | Should -Be '/new/empty.md'
        $file.Session.Id | Should -Be $BobSession.Id
    }

    It 'reports an existing file as CloudreveConflict' {
        New-CloudreveFile '/new/twice.txt' | Out-Null
        $err = { New-CloudreveFile '/new/twice.txt' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
    }

    It 'refuses names the server forbids, naming the path' {
        $err = { New-CloudreveFolder '/new/bad:name' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidName,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be '/new/bad:name'
        { New-CloudreveFile "/new/$('x' * 256).txt" -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidName,*'
    }

    It 'changes nothing with -WhatIf' {
        New-CloudreveFolder '/new/whatif' -WhatIf
        New-CloudreveFile '/new/whatif.txt' -WhatIf
        Get-CloudreveItem '/new/whatif*' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'goes on with the other paths after one bad path' {
        $made = New-CloudreveFolder '/new/ok1', '/new/bad|x', '/new/ok2' -ErrorVariable problems -ErrorAction SilentlyContinue
        $made.Path | Should -Be @('/new/ok1', '/new/ok2')
        $problems.Count | Should -Be 1
    }
}

Describe 'Get-CloudreveItem' {
    BeforeAll {
        New-CloudreveFolder '/get/docs/sub' | Out-Null
        foreach ($name in $Special) { New-CloudreveFile "/get/docs/$name" | Out-Null }
        New-CloudreveFolder '/get/[x]' | Out-Null
        New-CloudreveFile '/get/[x]/inside.txt' | Out-Null
    }

    It 'gets the root folder' {
        $root = Get-CloudreveItem '/'
        $root | Should -BeOfType ([Cloudreve.CloudreveFolder])
        $root.Path | Should -Be '/'
        $root.Id | Should -Not -BeNullOrEmpty
    }

    It 'round-trips special names exactly: <_>' -ForEach @('sp ace.txt', 'ünï 文.txt', 'hash#1.txt', 'per%cent.txt', 'plus+and&.txt', "quo'te.txt", 'br[ack]et.txt') {
        $item = Get-CloudreveItem -LiteralPath "/get/docs/$_"
        $item.Name | Should -BeExactly $_
        $item.Path | Should -BeExactly "/get/docs/$_"
    }

    It 'expands wildcards in any segment' {
        (Get-CloudreveItem '/g?t/d*/s*').Name | Should -Be @('sub', 'sp ace.txt') -Because 'folders and files both match the last segment, folders first'
        @(Get-CloudreveItem '/get/*/*.txt').Count | Should -Be ($Special.Count + 1)
    }

    It 'never treats brackets as wildcards with -LiteralPath' {
        (Get-CloudreveItem -LiteralPath '/get/[x]').Name | Should -Be '[x]'
        (Get-CloudreveItem -LiteralPath '/get/[x]/inside.txt').Path | Should -Be '/get/[x]/inside.txt'
    }

    It 'accepts backslashes, dot segments and the PSPath alias' {
        (Get-CloudreveItem '\get\docs\.\sub\..\sub').Path | Should -Be '/get/docs/sub'
        (Get-CloudreveItem -PSPath '/get/docs').Path | Should -Be '/get/docs'
    }

    It 'binds piped items by property name' {
        $items = Get-CloudreveChildItem '/get/docs' -File
        $again = $items | Get-CloudreveItem
        $again.Path | Should -Be $items.Path
    }

    It 'reports a missing path as CloudreveNotFound, per path, and goes on' {
        $found = Get-CloudreveItem '/get/nope', '/get/docs' -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Path | Should -Be '/get/docs'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'CloudreveNotFound,Cloudreve.Commands.GetCloudreveItemCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be '/get/nope'
    }

    It 'reports a wildcard without matches as CloudreveNotFound' {
        { Get-CloudreveItem '/get/zz*' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }
}

Describe 'Get-CloudreveChildItem' {
    BeforeAll {
        New-CloudreveFolder '/tree/a/b/c' | Out-Null
        New-CloudreveFolder '/tree/d' | Out-Null
        New-CloudreveFile '/tree/top.txt', '/tree/a/one.log', '/tree/a/b/two.txt', '/tree/a/b/c/three.txt', '/tree/d/four.txt' | Out-Null
    }

    It 'lists direct children, folders first' {
        $children = Get-CloudreveChildItem '/tree'
        $children.Name | Should -Be @('a', 'd', 'top.txt')
        $children[0] | Should -BeOfType ([Cloudreve.CloudreveFolder])
    }

    It 'lists the root when no path is given' {
        (Get-CloudreveChildItem).Name | Should -Contain 'tree'
    }

    It 'recurses, with -Depth and the -File / -Directory / -Filter filters' {
        @(Get-CloudreveChildItem '/tree' -Recurse).Count | Should -Be 9
        (Get-CloudreveChildItem '/tree' -Recurse -File).Name | Sort-Object | Should -Be @('four.txt', 'one.log', 'three.txt', 'top.txt', 'two.txt')
        (Get-CloudreveChildItem '/tree' -Recurse -Directory).Path | Sort-Object | Should -Be @('/tree/a', '/tree/a/b', '/tree/a/b/c', '/tree/d')
        (Get-CloudreveChildItem '/tree' -Depth 1 -File).Name | Sort-Object | Should -Be @('four.txt', 'one.log', 'top.txt')
        (Get-CloudreveChildItem '/tree' -Recurse -Filter '*.txt').Name | Sort-Object | Should -Be @('four.txt', 'three.txt', 'top.txt', 'two.txt')
    }

    It 'lists every folder once when recursing' {
        Clear-SandboxRequest $Sandbox
        Get-CloudreveChildItem '/tree' -Recurse | Out-Null
        # '/', '/tree', a, a/b, a/b/c, d: v3 GET /api/v3/directory{path}, 4.x GET /api/v4/file?uri=...
        $route = if ($V4) { '/api/v4/file' } else { '/api/v3/directory*' }
        $listings = @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'GET' -and $_.path -like $route })
        $listings.Count | Should -Be 6
    }

    It 'outputs the file itself for a file path' {
        (Get-CloudreveChildItem '/tree/top.txt').Path | Should -Be '/tree/top.txt'
    }

    It 'groups the default table by folder and shows sizes' {
        $text = Get-CloudreveChildItem '/tree' -Recurse | Out-String
        $text | Should -Match 'Folder: /tree/a/b'
        $text | Should -Match 'Mode\s+LastWriteTime\s+Length\s+Name'
    }

    It 'reports a missing folder as CloudreveNotFound' {
        { Get-CloudreveChildItem '/tree/none' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }
}

Describe 'Get-CloudreveItemProperty' {
    BeforeAll {
        New-CloudreveFolder '/props/in/deep' | Out-Null
        New-CloudreveFile '/props/in/x.txt', '/props/in/deep/y.txt' | Out-Null
    }

    It 'gives counts and the parent for a folder, from a path or the pipeline' {
        $p = Get-CloudreveItemProperty '/props/in'
        $p | Should -BeOfType ([Cloudreve.CloudreveItemProperty])
        $p.IsFolder | Should -BeTrue
        $p.FileCount | Should -Be 2
        $p.FolderCount | Should -Be 1
        $p.ParentPath | Should -Be '/props'
        $p.Created | Should -BeOfType ([DateTimeOffset])
        (Get-CloudreveItem '/props/in/x.txt' | Get-CloudreveItemProperty).StoragePolicy | Should -Not -BeNullOrEmpty
    }

    It 'reports an item that was deleted meanwhile as CloudreveNotFound' {
        $gone = New-CloudreveFile '/props/gone.txt'
        Remove-CloudreveItem -InputObject $gone -Confirm:$false
        $err = { $gone | Get-CloudreveItemProperty -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotFound,*'
    }
}

Describe 'Remove-CloudreveItem' {
    It 'deletes a pipeline of items from several folders in one request' {
        New-CloudreveFolder '/rm/a', '/rm/b' | Out-Null
        New-CloudreveFile '/rm/a/1.txt', '/rm/a/2.txt', '/rm/b/3.txt', '/rm/b/4.txt' | Out-Null
        $items = Get-CloudreveChildItem '/rm' -Recurse -File
        Clear-SandboxRequest $Sandbox
        $items | Remove-CloudreveItem -Confirm:$false
        if ($V4) { (Get-Requests 'DELETE' '/api/v4/file').Count | Should -Be 1 }
        else { (Get-Requests 'DELETE' '/api/v3/object').Count | Should -Be 1 }
        Get-CloudreveChildItem '/rm' -Recurse -File | Should -BeNullOrEmpty
    }

    It 'deletes folders with their contents' {
        New-CloudreveFile '/rm/full/inner/x.txt' | Out-Null
        Remove-CloudreveItem '/rm/full' -Confirm:$false
        { Get-CloudreveItem '/rm/full' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'asks by default (ConfirmImpact High) and changes nothing with -WhatIf' {
        $command = Get-Command Remove-CloudreveItem
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        New-CloudreveFile '/rm/keep.txt' | Out-Null
        Remove-CloudreveItem '/rm/keep.txt' -WhatIf
        (Get-CloudreveItem '/rm/keep.txt').Name | Should -Be 'keep.txt'
    }

    It 'refuses -Force when the group has no advanced delete, and keeps the file' {
        $err = { Remove-CloudreveItem '/rm/keep.txt' -Force -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudrevePermissionDenied,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        (Get-CloudreveItem '/rm/keep.txt').Name | Should -Be 'keep.txt'
    }

    It 'honours -Force for an admin (4.x has no forced delete: CloudreveNotSupportedByServer, the file stays)' {
        New-CloudreveFile '/rm/forced.txt' -Session $AdminSession | Out-Null
        if ($V4) {
            { Remove-CloudreveItem '/rm/forced.txt' -Force -Session $AdminSession -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'CloudreveNotSupportedByServer,*'
            (Get-CloudreveItem '/rm/forced.txt' -Session $AdminSession).Name | Should -Be 'forced.txt'
            return
        }
        Remove-CloudreveItem '/rm/forced.txt' -Force -Session $AdminSession -Confirm:$false
        { Get-CloudreveItem '/rm/forced.txt' -Session $AdminSession -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'refuses to delete the root' {
        { Remove-CloudreveItem '/' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
    }

    It 'goes on past a missing path' {
        New-CloudreveFile '/rm/go1.txt' | Out-Null
        Remove-CloudreveItem '/rm/missing.txt', '/rm/go1.txt' -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be '/rm/missing.txt'
        Get-CloudreveItem '/rm/go1.txt' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Move-CloudreveItem' {
    BeforeEach {
        Get-CloudreveItem '/mv' -ErrorAction SilentlyContinue | Remove-CloudreveItem -Confirm:$false
        New-CloudreveFolder '/mv/src1', '/mv/src2', '/mv/dst', '/mv/tree/sub' | Out-Null
        New-CloudreveFile '/mv/src1/a.txt', '/mv/src1/b.txt', '/mv/src2/c.txt', '/mv/src2/d.txt' | Out-Null
    }

    It 'moves items from several folders in as few requests as the server allows (3.x: one per source folder; 4.x: one batch)' {
        $items = Get-CloudreveChildItem '/mv/src1', '/mv/src2' -File
        Clear-SandboxRequest $Sandbox
        $moved = $items | Move-CloudreveItem -Destination '/mv/dst' -PassThru
        if ($V4) {
            $batch = @(Get-Requests 'POST' '/api/v4/file/move')
            $batch.Count | Should -Be 1
        }
        else { (Get-Requests 'PATCH' '/api/v3/object').Count | Should -Be 2 }
        $moved.Path | Sort-Object | Should -Be @('/mv/dst/a.txt', '/mv/dst/b.txt', '/mv/dst/c.txt', '/mv/dst/d.txt')
        Get-CloudreveChildItem '/mv/src1' | Should -BeNullOrEmpty
    }

    It 'refuses to move a folder into itself or its own descendant' {
        $err = { Move-CloudreveItem '/mv/tree' -Destination '/mv/tree/sub' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.Exception.Message | Should -Match 'into itself'
        { Move-CloudreveItem '/mv/tree' -Destination '/mv/tree' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
        (Get-CloudreveItem '/mv/tree/sub').Path | Should -Be '/mv/tree/sub'
    }

    It 'refuses to move onto an existing name and moves the rest' {
        New-CloudreveFile '/mv/dst/a.txt' | Out-Null
        $moved = Move-CloudreveItem '/mv/src1/*' -Destination '/mv/dst' -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        $moved.Name | Should -Be @('b.txt')
        (Get-CloudreveItem '/mv/src1/a.txt').Name | Should -Be 'a.txt'
    }

    It 'reports a missing destination as CloudreveNotFound' {
        { Move-CloudreveItem '/mv/src1/a.txt' -Destination '/mv/nowhere' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'moves special names intact' {
        New-CloudreveFile "/mv/src1/$($Special[6])", "/mv/src1/$($Special[2])" | Out-Null
        Get-CloudreveItem -LiteralPath "/mv/src1/$($Special[6])", "/mv/src1/$($Special[2])" | Move-CloudreveItem -Destination '/mv/dst'
        (Get-CloudreveChildItem '/mv/dst').Name | Sort-Object | Should -Be (@($Special[6], $Special[2]) | Sort-Object)
    }
}

Describe 'Copy-CloudreveItem' {
    BeforeAll {
        New-CloudreveFolder '/cp/src/folder/inner', '/cp/dst' | Out-Null
        New-CloudreveFile '/cp/src/1.txt', '/cp/src/2.txt', '/cp/src/folder/inner/deep.txt' | Out-Null
    }

    It 'copies the items (3.x: one request each; 4.x: one batch) and returns the copies' {
        Clear-SandboxRequest $Sandbox
        $copies = Get-CloudreveChildItem '/cp/src' | Copy-CloudreveItem -Destination '/cp/dst' -PassThru
        if ($V4) { (Get-Requests 'POST' '/api/v4/file/move').Count | Should -Be 1 }
        else { (Get-Requests 'POST' '/api/v3/object/copy').Count | Should -Be 3 }
        $copies.Path | Sort-Object | Should -Be @('/cp/dst/1.txt', '/cp/dst/2.txt', '/cp/dst/folder')
        (Get-CloudreveItem '/cp/dst/folder/inner/deep.txt').Name | Should -Be 'deep.txt'
        (Get-CloudreveItem '/cp/src/1.txt').Name | Should -Be '1.txt'
    }

    It 'refuses to copy onto an existing name, without asking the server' {
        Clear-SandboxRequest $Sandbox
        $err = { Copy-CloudreveItem '/cp/src/1.txt' -Destination '/cp/dst' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-Requests 'POST' '/api/v3/object/copy').Count | Should -Be 0
    }

    It 'refuses to copy a file into its own folder' {
        { Copy-CloudreveItem '/cp/src/2.txt' -Destination '/cp/src' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveConflict,*'
    }
}

Describe 'Rename-CloudreveItem' {
    BeforeAll {
        New-CloudreveFolder '/ren' | Out-Null
        New-CloudreveFile '/ren/old.txt', '/ren/taken.txt' | Out-Null
    }

    It 'renames and returns the item with -PassThru' {
        $renamed = Rename-CloudreveItem '/ren/old.txt' -NewName 'new [1] #.txt' -PassThru
        $renamed.Path | Should -BeExactly '/ren/new [1] #.txt'
        Get-CloudreveItem -LiteralPath '/ren/old.txt' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'renames piped items' {
        Get-CloudreveItem -LiteralPath '/ren/new [1] #.txt' | Rename-CloudreveItem -NewName 'piped.txt'
        (Get-CloudreveItem '/ren/piped.txt').Name | Should -Be 'piped.txt'
    }

    It 'reports a taken name as CloudreveConflict and a forbidden one as CloudreveInvalidName' {
        { Rename-CloudreveItem '/ren/piped.txt' -NewName 'taken.txt' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveConflict,*'
        $err = { Rename-CloudreveItem '/ren/piped.txt' -NewName 'a?b.txt' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidName,*'
        $err.TargetObject.Path | Should -Be '/ren/piped.txt'
    }
}

Describe 'An expired session in item cmdlets' {
    It 'surfaces as CloudreveSessionExpired naming the path when it cannot log in again' {
        $otpOnly = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Admin -OtpCode (Get-TotpCode $TotpSecret) -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        $err = { Get-CloudreveItem '/some/path' -Session $otpOnly -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveSessionExpired,*'
        $err.TargetObject | Should -Be '/some/path'
        Disconnect-Cloudreve -Session $otpOnly -ErrorAction SilentlyContinue
        # the other sessions log in again transparently
        (Get-CloudreveItem '/' -Session $BobSession).Path | Should -Be '/'
    }
}

Describe 'Copy-CloudreveItem guards' {
    It 'refuses to copy a folder into its own sub-folder' {
        New-CloudreveFolder '/cpg/a/b' | Out-Null
        $err = { Copy-CloudreveItem '/cpg/a' -Destination '/cpg/a/b' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        Get-CloudreveItem '/cpg/a/b/a' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'acts on a piped item in the session it came from' {
        $adminFile = New-CloudreveFile '/cpg/admins-own.txt' -Session $AdminSession
        $adminFile | Rename-CloudreveItem -NewName 'renamed-by-admin.txt'
        (Get-CloudreveItem '/cpg/renamed-by-admin.txt' -Session $AdminSession).Name | Should -Be 'renamed-by-admin.txt'
    }
}

Describe 'A storage policy that restricts extensions' {
    BeforeAll {
        $script:Restricted = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--policy-file-types', 'txt,md', '--user', "erin@example.com:$UserPassword")
        $script:ErinSession = Connect-Cloudreve -Uri $Restricted.Uri -Credential (New-TestCredential 'erin@example.com' $UserPassword) -PassThru
    }
    AfterAll {
        Disconnect-Cloudreve -Session $ErinSession -ErrorAction SilentlyContinue
        if ($Restricted) { Stop-CloudreveSandbox $Restricted }
    }

    It 'reports a rename to a forbidden extension as CloudreveInvalidName, naming the item' {
        New-CloudreveFile '/ok.txt' -Session $ErinSession | Out-Null
        $err = { Rename-CloudreveItem '/ok.txt' -NewName 'bad.exe' -Session $ErinSession -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidName,*'
        # 3.x names the extension; 4.x answers 40052 "Invalid object name" for both bad names and extensions
        if (-not $V4) { $err.Exception.Message | Should -Match 'extension' }
        $err.TargetObject.Path | Should -Be '/ok.txt'
        (Get-CloudreveItem '/ok.txt' -Session $ErinSession).Name | Should -Be 'ok.txt'
    }
}

# One body for both generations: run with CLOUDREVE_SERVER_VERSION unset (3.8.3) and set to 4.18.0.
# Tests marked (4.x) need the trash of Cloudreve 4; tests marked (3.x) check what 3.x does instead.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Trash.Helpers.ps1')
    $script:IsV4 = Test-TrashGeneration
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Trash.Helpers.ps1')
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--user', "tina@example.com:$UserPassword")
    $script:Tina = New-TestCredential -UserName 'tina@example.com' -Password $UserPassword
    $script:TinaSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Tina -DriveName TrashT -PassThru
    $script:IsV4 = $TinaSession.ApiVersion -eq 'v4'
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'The generation under test' {
    It 'is the one CLOUDREVE_SERVER_VERSION asks for' {
        $IsV4 | Should -Be (Test-TrashGeneration)
        $TinaSession.ServerVersion | Should -Be $(if ($IsV4) { '4.18.0' } else { '3.8.3' })
    }
}

Describe 'Get-CloudreveTrashItem (4.x)' -Skip:(-not $IsV4) {
    It 'lists a deleted file and folder with their original paths and collection time' {
        New-TrashFile '/t1/a #1.txt', '/t1/sub/inner.txt' | Out-Null
        Remove-CloudreveItem '/t1/a #1.txt', '/t1/sub' -Confirm:$false
        $before = [DateTimeOffset]::UtcNow.AddMinutes(-5)

        $all = @(Get-CloudreveTrashItem)
        $file = $all | Where-Object Name -eq 'a #1.txt'
        $file | Should -BeOfType ([Cloudreve.CloudreveTrashItem])
        $file.IsFolder | Should -BeFalse
        $file.OriginalPath | Should -Be '/t1/a #1.txt'
        $file.OriginalParentPath | Should -Be '/t1'
        $file.TrashUri | Should -BeLike 'cloudreve://trash/*'
        $file.ExpectedCollection | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
        $file.Deleted | Should -BeGreaterThan $before
        $folder = $all | Where-Object Name -eq 'sub'
        $folder.IsFolder | Should -BeTrue
        $folder.OriginalPath | Should -Be '/t1/sub'
        { Get-CloudreveItem -LiteralPath '/t1/a #1.txt' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'filters by name with wildcards and hides the trash URI from the table' {
        New-TrashFile '/t2/keep-me.log', '/t2/other.txt' | Out-Null
        Remove-CloudreveItem '/t2/keep-me.log', '/t2/other.txt' -Confirm:$false
        $found = @(Get-CloudreveTrashItem -Name 'KEEP-*.log')
        $found.Count | Should -Be 1
        $found[0].OriginalPath | Should -Be '/t2/keep-me.log'
        @(Get-CloudreveTrashItem -Name 'nothing-like-this*').Count | Should -Be 0
        $table = $found | Format-Table | Out-String
        $table | Should -Match 'keep-me\.log'
        $table | Should -Not -Match 'cloudreve://'
    }
}

Describe 'Restore-CloudreveItem (4.x)' -Skip:(-not $IsV4) {
    It 'restores piped items in one request and -PassThru returns them at their original paths' {
        New-TrashFile '/r1/x.txt', '/r1/y.txt', '/r2/z.txt' | Out-Null
        Get-ChildItem TrashT:/r1 | Should -HaveCount 2   # the drive caches this listing
        Remove-CloudreveItem '/r1/x.txt', '/r1/y.txt', '/r2/z.txt' -Confirm:$false
        Get-ChildItem TrashT:/r1 | Should -HaveCount 0
        $calls = Get-TrashRequestCount $Sandbox POST '/api/v4/file/restore'

        $back = @(Get-CloudreveTrashItem | Where-Object { $_.OriginalPath -like '/r[12]/*' } | Restore-CloudreveItem -PassThru)

        (Get-TrashRequestCount $Sandbox POST '/api/v4/file/restore') - $calls | Should -Be 1
        $back.Path | Sort-Object | Should -Be @('/r1/x.txt', '/r1/y.txt', '/r2/z.txt')
        $back[0] | Should -BeOfType ([Cloudreve.CloudreveFile])
        (Get-ChildItem TrashT:/r1).Name | Sort-Object | Should -Be @('x.txt', 'y.txt')
        @(Get-CloudreveTrashItem | Where-Object { $_.OriginalPath -like '/r[12]/*' }).Count | Should -Be 0
    }

    It 'restores by property name (TrashUri) from any object' {
        New-TrashFile '/r3/prop.txt' | Out-Null
        Remove-CloudreveItem '/r3/prop.txt' -Confirm:$false
        $uri = (Get-CloudreveTrashItem -Name prop.txt).TrashUri
        $back = [pscustomobject]@{ TrashUri = $uri } | Restore-CloudreveItem -PassThru
        $back.Path | Should -Be '/r3/prop.txt'
    }

    It 'reports a name taken again as an error for that item only and restores the others' {
        New-TrashFile '/r4/dup.txt', '/r4/fine.txt' | Out-Null
        Remove-CloudreveItem '/r4/dup.txt', '/r4/fine.txt' -Confirm:$false
        New-TrashFile '/r4/dup.txt' | Out-Null
        $items = @(Get-CloudreveTrashItem | Where-Object { $_.OriginalPath -like '/r4/*' })
        $items.Count | Should -Be 2

        $back = @($items | Restore-CloudreveItem -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveConflict,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $problems[0].TargetObject.OriginalPath | Should -Be '/r4/dup.txt'
        $problems[0].Exception.Message | Should -Match "already exists in '/r4'"
        $back.Path | Should -Be '/r4/fine.txt'
        (Get-CloudreveTrashItem -Name dup.txt).OriginalPath | Should -Be '/r4/dup.txt'
    }

    It 'changes nothing with -WhatIf' {
        New-TrashFile '/r5/what.txt' | Out-Null
        Remove-CloudreveItem '/r5/what.txt' -Confirm:$false
        $calls = Get-TrashRequestCount $Sandbox POST '/api/v4/file/restore'
        Get-CloudreveTrashItem -Name what.txt | Restore-CloudreveItem -WhatIf
        (Get-TrashRequestCount $Sandbox POST '/api/v4/file/restore') | Should -Be $calls
        (Get-CloudreveTrashItem -Name what.txt).OriginalPath | Should -Be '/r5/what.txt'
    }

    It 'refuses an address that is not in the trash' {
        $err = { [pscustomobject]@{ TrashUri = 'cloudreve://my/r5' } | Restore-CloudreveItem -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
    }
}

Describe 'Remove-CloudreveItem -Permanent (4.x)' -Skip:(-not $IsV4) {
    It 'deletes past the trash, where a plain delete goes to the trash' {
        New-TrashFile '/p1/soft.txt', '/p1/hard.txt' | Out-Null
        Remove-CloudreveItem '/p1/soft.txt' -Confirm:$false
        Remove-CloudreveItem '/p1/hard.txt' -Permanent -Confirm:$false
        @(Get-CloudreveTrashItem -Name soft.txt).Count | Should -Be 1
        @(Get-CloudreveTrashItem -Name hard.txt).Count | Should -Be 0
        { Get-CloudreveItem /p1/hard.txt -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'says where an item goes under -WhatIf and deletes nothing' {
        New-TrashFile '/p2/w.txt' | Out-Null
        # What-if lines go to the host, not to a stream: a transcript records them.
        $log = Join-Path ([IO.Path]::GetTempPath()) ("trash-whatif-" + [guid]::NewGuid().ToString('N') + '.txt')
        Start-Transcript -LiteralPath $log | Out-Null
        try { Remove-CloudreveItem '/p2/w.txt' -WhatIf } finally { Stop-Transcript | Out-Null }
        $soft = Get-Content -LiteralPath $log -Raw
        Start-Transcript -LiteralPath $log | Out-Null
        try { Remove-CloudreveItem '/p2/w.txt' -Permanent -WhatIf } finally { Stop-Transcript | Out-Null }
        $hard = Get-Content -LiteralPath $log -Raw
        Remove-Item -LiteralPath $log
        $soft | Should -Match 'Delete file \(to the trash\)'
        $hard | Should -Match 'Delete file \(permanently\)'
        $hard | Should -Not -Match 'to the trash'
        (Get-CloudreveItem /p2/w.txt).Path | Should -Be '/p2/w.txt'
    }

    It 'still refuses -Force and points at -Permanent' {
        New-TrashFile '/p3/f.txt' | Out-Null
        $admin = Connect-Cloudreve -Uri $Sandbox.Uri -Credential (New-TestCredential -UserName $Sandbox.AdminEmail -Password $Sandbox.AdminPassword) -NoDrive -PassThru
        try {
            New-CloudreveFile '/p3/f.txt' -Session $admin | Out-Null
            $err = { Remove-CloudreveItem '/p3/f.txt' -Force -Session $admin -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotSupportedByServer,*'
            $err.Exception.Message | Should -Match '-Permanent'
        }
        finally { $admin | Disconnect-Cloudreve }
    }
}

Describe 'Clear-CloudreveTrash (4.x)' -Skip:(-not $IsV4) {
    It 'has ConfirmImpact High' {
        (Get-Command Clear-CloudreveTrash).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'changes nothing with -WhatIf, even with -Force' {
        New-TrashFile '/c1/stay.txt' | Out-Null
        Remove-CloudreveItem '/c1/stay.txt' -Confirm:$false
        Clear-CloudreveTrash -WhatIf
        Clear-CloudreveTrash -Force -WhatIf
        @(Get-CloudreveTrashItem -Name stay.txt).Count | Should -Be 1
    }

    It 'empties the trash with -Force and no prompt' {
        New-TrashFile '/c2/gone.txt' | Out-Null
        Remove-CloudreveItem '/c2/gone.txt' -Confirm:$false
        @(Get-CloudreveTrashItem).Count | Should -BeGreaterThan 0
        Clear-CloudreveTrash -Force
        @(Get-CloudreveTrashItem).Count | Should -Be 0
    }
}

Describe 'Trash cmdlets on Cloudreve 3.x' -Skip:$IsV4 {
    It '(3.x) Get-CloudreveTrashItem says the trash needs Cloudreve 4.x' {
        $err = { Get-CloudreveTrashItem -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotSupportedByServer,*'
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        $err.Exception.Message | Should -Match 'needs Cloudreve 4\.x'
    }

    It '(3.x) Restore-CloudreveItem and Clear-CloudreveTrash say the same' {
        $err = { [pscustomobject]@{ TrashUri = 'cloudreve://trash/x' } | Restore-CloudreveItem -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotSupportedByServer,*'
        $err.Exception.Message | Should -Match 'needs Cloudreve 4\.x'
        $err = { Clear-CloudreveTrash -Force -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotSupportedByServer,*'
        $err.Exception.Message | Should -Match 'needs Cloudreve 4\.x'
    }

    It '(3.x) Remove-CloudreveItem -Permanent deletes the item, as every 3.x delete does' {
        New-TrashFile '/p3x/a.txt', '/p3x/b.txt' | Out-Null
        Remove-CloudreveItem '/p3x/a.txt' -Permanent -Confirm:$false
        Remove-CloudreveItem '/p3x/b.txt' -Confirm:$false
        { Get-CloudreveItem /p3x/a.txt -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
        { Get-CloudreveItem /p3x/b.txt -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
        @(Get-CloudreveChildItem /p3x).Count | Should -Be 0
    }
}

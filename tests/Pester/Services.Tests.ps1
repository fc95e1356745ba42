BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Services.Helpers.ps1')
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--user', "carol@example.com:$UserPassword")
    $script:Carol = New-TestCredential -UserName 'carol@example.com' -Password $UserPassword
    $script:Admin = New-TestCredential -UserName $Sandbox.AdminEmail -Password $Sandbox.AdminPassword
    $script:AdminSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Admin -PassThru
    $script:CarolSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Carol -PassThru   # default
    function Get-Requests([string] $Method, [string] $Like) {
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq $Method -and $_.path -like $Like })
    }
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'New-CloudreveShare' {
    BeforeAll {
        New-CloudreveFolder '/reports/q1' | Out-Null
        New-CloudreveFile '/reports/a.txt', '/reports/b.txt', '/reports/q1/c.txt' | Out-Null
    }

    It 'shares files from the pipeline and returns absolute, working URLs' {
        $shares = Get-CloudreveChildItem '/reports' -File | New-CloudreveShare -ExpireAfter 7.00:00 -AllowPreview
        $shares.Count | Should -Be 2
        foreach ($share in $shares) {
            $share | Should -BeOfType ([Cloudreve.CloudreveShare])
            $share.Url.IsAbsoluteUri | Should -BeTrue
            $share.Url.Authority | Should -Be $Sandbox.Uri.Authority
            $share.Url.AbsolutePath | Should -Be "/s/$($share.Key)"
            $share.Item | Should -BeOfType ([Cloudreve.CloudreveFile])
            $share.AllowPreview | Should -BeTrue
            $share.HasPassword | Should -BeFalse
            $share.Expires | Should -BeGreaterThan ([DateTimeOffset]::Now.AddDays(6.9))
            $share.RemainingDownloads | Should -BeNullOrEmpty
            $info = Get-ShareInfo $Sandbox $share.Key
            $info.Code | Should -Be 0
            $info.Name | Should -Be $share.Item.Name
        }
        ($shares | Select-Object -ExpandProperty Url | Out-String) | Should -Match '/s/'
    }

    It 'shares a folder with a password and a download limit' {
        $share = Get-CloudreveItem '/reports/q1' | New-CloudreveShare -Password (ConvertTo-SecureString 'pw123' -AsPlainText -Force) -DownloadLimit 3
        $share.IsFolder | Should -BeTrue
        $share.HasPassword | Should -BeTrue
        $share.RemainingDownloads | Should -Be 3
        $share.Expires | Should -BeNullOrEmpty
        $listed = Get-CloudreveShare -Key $share.Key
        $listed.RemainingDownloads | Should -Be 3
        $listed.Expires | Should -BeNullOrEmpty
        $listed.HasPassword | Should -BeTrue
        ($listed | Format-List * | Out-String) | Should -Not -Match 'pw123'
        (Get-ShareInfo $Sandbox $share.Key).Locked | Should -BeTrue
    }

    It 'refuses an expiry that is not in the future' {
        $err = { Get-CloudreveItem '/reports/a.txt' | New-CloudreveShare -ExpireAfter 0 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        { New-CloudreveShare '/reports/a.txt' -DownloadLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'refuses on 4.x a share password that is not letters and digits, before asking the server (4.x)' -Skip:("$env:CLOUDREVE_SERVER_VERSION" -notlike '4*') {
        $err = { New-CloudreveShare '/reports/a.txt' -Password (ConvertTo-SecureString 'pw-123' -AsPlainText -Force) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.Exception.Message | Should -Not -Match 'pw-123'
    }

    It 'changes nothing with -WhatIf' {
        $before = @(Get-CloudreveShare).Count
        New-CloudreveShare '/reports/b.txt' -WhatIf
        @(Get-CloudreveShare).Count | Should -Be $before
    }
}

Describe 'Get-, Set- and Remove-CloudreveShare' {
    BeforeAll {
        New-CloudreveFolder '/many' | Out-Null
        $names = 1..20 | ForEach-Object { "/many/file$_.txt" }
        New-CloudreveFile $names | Out-Null
        $script:Many = Get-CloudreveChildItem '/many' | New-CloudreveShare
    }

    It 'returns every page of shares' {
        Clear-SandboxRequest $Sandbox
        $all = Get-CloudreveShare
        @($all | Where-Object Name -like 'file*.txt').Count | Should -Be 20
        if (-not $IsV4) { (Get-Requests 'GET' '/api/v3/share').Count | Should -BeGreaterOrEqual 2 -Because '3.8.3 gives 18 shares a page' }
        else { (Get-Requests 'GET' '/api/v4/share').Count | Should -BeGreaterOrEqual 1 }
    }

    It 'filters by keyword' {
        (Get-CloudreveShare -Keyword 'file1*').Name | Sort-Object | Should -Be @('file1.txt', 'file10.txt', 'file11.txt', 'file12.txt', 'file13.txt', 'file14.txt', 'file15.txt', 'file16.txt', 'file17.txt', 'file18.txt', 'file19.txt')
        (Get-CloudreveShare -Keyword 'le20').Name | Should -Be 'file20.txt'
    }

    It 'sets and removes a password and the preview flag (3.x)' -Skip:("$env:CLOUDREVE_SERVER_VERSION" -like '4*') {
        $share = $Many[0]
        $changed = $share | Set-CloudreveShare -Password (ConvertTo-SecureString 'new-pw' -AsPlainText -Force) -AllowPreview $true -PassThru
        $changed.HasPassword | Should -BeTrue
        $changed.AllowPreview | Should -BeTrue
        $changed = Set-CloudreveShare -Key $share.Key -RemovePassword -AllowPreview $false -PassThru
        $changed.HasPassword | Should -BeFalse
        $changed.AllowPreview | Should -BeFalse
    }

    It 'refuses on 4.x to change a password or the preview flag in place, with one clear error (4.x)' -Skip:("$env:CLOUDREVE_SERVER_VERSION" -notlike '4*') {
        $err = { $Many[0] | Set-CloudreveShare -Password (ConvertTo-SecureString 'new-pw' -AsPlainText -Force) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotSupportedByServer,*'
        $err.Exception.Message | Should -Match 'New-CloudreveShare'
        $err.Exception.Message | Should -Not -Match 'new-pw'
    }

    It 'removes shares from the pipeline and reports unknown keys' {
        $Many | Select-Object -Skip 10 | Remove-CloudreveShare -Confirm:$false
        @(Get-CloudreveShare -Keyword 'file').Count | Should -Be 10
        $err = { Remove-CloudreveShare -Key 'zzzz' -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotFound,*'
        $err.TargetObject | Should -Be 'zzzz'
    }

    It 'acts on piped shares and accounts in the session they came from' {
        New-CloudreveFile '/admins.txt' -Session $AdminSession | Out-Null
        $adminShare = New-CloudreveShare '/admins.txt' -Session $AdminSession
        if (-not $IsV4) { $adminShare | Set-CloudreveShare -AllowPreview $true }
        $adminShare | Remove-CloudreveShare -Confirm:$false
        Get-CloudreveShare -Session $AdminSession -Key $adminShare.Key -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $adminAccount = New-CloudreveWebDavAccount -Name 'admin-dav' -Root '/' -Session $AdminSession
        $adminAccount | Remove-CloudreveWebDavAccount -Confirm:$false
        Get-CloudreveWebDavAccount -Session $AdminSession -Name 'admin-dav' | Should -BeNullOrEmpty
    }

    It 'finds expired shares for a clean-up' {
        $short = New-CloudreveShare '/many/file1.txt' -ExpireAfter 00:00:01
        Start-Sleep -Seconds 2
        $expired = Get-CloudreveShare -Expired
        $expired.Key | Should -Contain $short.Key
        $expired | Remove-CloudreveShare -Confirm:$false
        Get-CloudreveShare -Key $short.Key -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-CloudreveSourceLink' {
    BeforeAll {
        Publish-ServiceFile $Sandbox $Carol '/links/one/f.txt' 'content of ONE'
        Publish-ServiceFile $Sandbox $Carol '/links/two/f.txt' 'content of TWO'
        Publish-ServiceFile $Sandbox $Carol '/links/two/g#1.txt' 'content of G'
    }

    It 'pairs each link with the right file, even for equal names in different folders' {
        $files = Get-CloudreveChildItem '/links' -Recurse -File
        $links = $files | Get-CloudreveSourceLink
        $links.Count | Should -Be 3
        foreach ($link in $links) {
            $link | Should -BeOfType ([Cloudreve.CloudreveSourceLink])
            $link.Url.IsAbsoluteUri | Should -BeTrue
            $link.Item | Should -BeOfType ([Cloudreve.CloudreveFile])
            $body = (Invoke-WebRequest -Uri $link.Url).Content
            if ($body -is [byte[]]) { $body = [Text.Encoding]::UTF8.GetString($body) }
            $expected = switch ($link.Item.Path) { '/links/one/f.txt' { 'content of ONE' } '/links/two/f.txt' { 'content of TWO' } '/links/two/g#1.txt' { 'content of G' } }
            $body | Should -Be $expected
        }
    }

    It 'respects the group batch limit' {
        1..12 | ForEach-Object { New-CloudreveFile "/links/batch/b$_.txt" } | Out-Null
        Clear-SandboxRequest $Sandbox
        $links = Get-CloudreveChildItem '/links/batch' -File | Get-CloudreveSourceLink
        $links.Count | Should -Be 12
        (Get-Requests ($IsV4 ? 'PUT' : 'POST') (Get-ApiPath 'file/source')).Count | Should -Be 2 -Because 'the User group allows 10 files a request'
    }

    It 'refuses folders, per item' {
        $links = Get-CloudreveItem '/links/one', '/links/one/f.txt' | Get-CloudreveSourceLink -ErrorVariable problems -ErrorAction SilentlyContinue
        @($links).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
    }
}

Describe 'WebDAV accounts' {
    BeforeAll {
        # 4.18's default user group has no WebDAV permission: the administrator's session stands in there.
        $script:DavSession = if ($IsV4) { $AdminSession } else { $CarolSession }
        $script:DavUser = $DavSession.UserName
        $PSDefaultParameterValues['*-CloudreveWebDavAccount:Session'] = $DavSession
        New-CloudreveFolder '/dav-root' -Session $DavSession | Out-Null
    }
    AfterAll { $PSDefaultParameterValues.Remove('*-CloudreveWebDavAccount:Session') }

    It 'creates, lists, changes and removes an account' {
        $account = New-CloudreveWebDavAccount -Name 'laptop' -Root '/dav-root' -ReadOnly
        $account | Should -BeOfType ([Cloudreve.CloudreveWebDavAccount])
        $account.Root | Should -Be '/dav-root'
        $account.ReadOnly | Should -BeTrue
        $account.Url | Should -Be ([uri]::new($Sandbox.Uri, '/dav/'))
        (Get-CloudreveWebDavAccount -Name 'lap*').Id | Should -Be $account.Id
        (Get-CloudreveWebDavAccount -Name 'laptop').ReadOnly | Should -BeTrue
        $changed = $account | Set-CloudreveWebDavAccount -ReadOnly $false -PassThru
        $changed.ReadOnly | Should -BeFalse
        (Get-CloudreveWebDavAccount -Id $account.Id).ReadOnly | Should -BeFalse
        $account | Remove-CloudreveWebDavAccount -Confirm:$false
        Get-CloudreveWebDavAccount -Name 'laptop' | Should -BeNullOrEmpty
    }

    It 'keeps the password out of sight but hands it over as a credential' {
        $account = New-CloudreveWebDavAccount -Name 'phone' -Root '/dav-root'
        $account.PSObject.Properties.Name | Should -Not -Contain 'Password'
        $credential = $account.GetCredential()
        $credential.UserName | Should -Be $DavUser
        $plain = $credential.GetNetworkCredential().Password
        $plain.Length | Should -BeGreaterThan 8
        ($account | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($plain))
        ((Get-CloudreveWebDavAccount -Name 'phone') | ConvertTo-Json) | Should -Not -Match ([regex]::Escape($plain))
    }

    It 'refuses a root folder that does not exist' {
        { New-CloudreveWebDavAccount -Name 'bad' -Root '/nope' -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
        Get-CloudreveWebDavAccount -Name 'bad' | Should -BeNullOrEmpty
    }

    It 'reports an unknown account id instead of succeeding silently' {
        { Remove-CloudreveWebDavAccount -Id 98765 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }
}

Describe 'User administration' {
    It 'imports users in bulk from CSV-shaped input and pages through the listing' {
        $rows = 1..105 | ForEach-Object { [pscustomobject]@{ Email = "bulk$_@example.com"; NickName = "Bulk $_"; Group = 'User'; Password = (ConvertTo-SecureString "Pass-$_-xyz" -AsPlainText -Force) } }
        $made = $rows | New-CloudreveUser -Session $AdminSession
        $made.Count | Should -Be 105
        $made[0].NumericId | Should -BeGreaterThan 1
        Clear-SandboxRequest $Sandbox
        $all = Get-CloudreveUser -Session $AdminSession
        $all.Count | Should -BeGreaterOrEqual 107
        (Get-Requests 'POST' (Get-ApiPath ($IsV4 ? 'admin/user' : 'admin/user/list'))).Count | Should -BeGreaterOrEqual 2
        (Get-CloudreveUser -Session $AdminSession -Email 'bulk10').UserName | Sort-Object | Should -Be @('bulk10@example.com', 'bulk100@example.com', 'bulk101@example.com', 'bulk102@example.com', 'bulk103@example.com', 'bulk104@example.com', 'bulk105@example.com')
        (Get-CloudreveUser -Session $AdminSession -NickName 'Bulk 5' -Email 'bulk5@').UserName | Should -Be 'bulk5@example.com'
    }

    It 'filters by group and status and blocks users from the pipeline' {
        Get-CloudreveUser -Session $AdminSession -Email 'bulk9' | Disable-CloudreveUser -Session $AdminSession -Confirm:$false
        $banned = Get-CloudreveUser -Session $AdminSession -Status Banned
        $banned.UserName | Sort-Object | Should -Be @('bulk9@example.com', 'bulk90@example.com', 'bulk91@example.com', 'bulk92@example.com', 'bulk93@example.com', 'bulk94@example.com', 'bulk95@example.com', 'bulk96@example.com', 'bulk97@example.com', 'bulk98@example.com', 'bulk99@example.com')
        @(Get-CloudreveUser -Session $AdminSession -Group Admin).UserName | Should -Be @($Sandbox.AdminEmail)
        $banned | Enable-CloudreveUser -Session $AdminSession
        Get-CloudreveUser -Session $AdminSession -Status Banned | Should -BeNullOrEmpty
    }

    It 'a blocked user cannot log in' {
        $u = New-CloudreveUser -Session $AdminSession -Email 'blocked@example.com' -Password (ConvertTo-SecureString 'Blocked-1' -AsPlainText -Force)
        $u | Disable-CloudreveUser -Session $AdminSession -Confirm:$false -PassThru | Select-Object -ExpandProperty Status | Should -Be 'Banned'
        { Connect-Cloudreve -Uri $Sandbox.Uri -Credential (New-TestCredential 'blocked@example.com' 'Blocked-1') } | Should -Throw -ErrorId 'CloudreveAccountBlocked,*'
    }

    It 'gets, changes and deletes a user by numeric id, keeping what was not changed' {
        $u = New-CloudreveUser -Session $AdminSession -Email 'change@example.com' -NickName 'Before' -Password (ConvertTo-SecureString 'Change-1' -AsPlainText -Force)
        $id = $u.NumericId
        (Get-CloudreveUser -Session $AdminSession -Id $id).NickName | Should -Be 'Before'
        $after = Set-CloudreveUser -Session $AdminSession -Id $id -NickName 'After' -Group Admin -PassThru
        $after.NickName | Should -Be 'After'
        $after.GroupName | Should -Be 'Admin'
        $after.UserName | Should -Be 'change@example.com'
        Set-CloudreveUser -Session $AdminSession -Id $id -Password (ConvertTo-SecureString 'Changed-2' -AsPlainText -Force)
        $s = Connect-Cloudreve -Uri $Sandbox.Uri -Credential (New-TestCredential 'change@example.com' 'Changed-2') -PassThru
        $s.NickName | Should -Be 'After'
        Disconnect-Cloudreve -Session $s
        Remove-CloudreveUser -Session $AdminSession -Id $id -Confirm:$false
        { Get-CloudreveUser -Session $AdminSession -Id $id -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'accepts the own hashid and refuses other non-numeric ids clearly' {
        (Get-CloudreveUser -Session $AdminSession -Id $AdminSession.UserId).UserName | Should -Be $Sandbox.AdminEmail
        $err = { Get-CloudreveUser -Session $AdminSession -Id 'abcd' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.Exception.Message | Should -Match 'numeric'
    }

    It 'reports unknown user ids instead of deleting nothing silently' {
        { Remove-CloudreveUser -Session $AdminSession -Id 99999 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveNotFound,*'
    }

    It 'puts new users in the built-in registered-users group by default' {
        (New-CloudreveUser -Session $AdminSession -Email 'default-group@example.com' -Password (ConvertTo-SecureString 'Pass-1234' -AsPlainText -Force)).GroupId | Should -Be 2
    }

    It 'refuses to block or delete the first user' {
        { Disable-CloudreveUser -Session $AdminSession -Id 1 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
        { Remove-CloudreveUser -Session $AdminSession -Id 1 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CloudreveInvalidArgument,*'
    }

    It 'lists groups' {
        $groups = Get-CloudreveGroup -Session $AdminSession
        $groups.Name | Should -Contain 'Admin'
        $groups.Name | Should -Contain 'User'
        (Get-CloudreveGroup -Session $AdminSession -Name 'Us*').Id | Should -Be 2
    }

    It 'gives a non-admin session one clear permission error and sends nothing' {
        Clear-SandboxRequest $Sandbox
        foreach ($command in 'Get-CloudreveUser', 'Get-CloudreveGroup') {
            $err = { & $command } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike "CloudrevePermissionDenied,*"
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err.Exception.Message | Should -Match 'administrator'
        }
        $err = { 1..3 | ForEach-Object { "$_" } | Disable-CloudreveUser -Confirm:$false } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudrevePermissionDenied,*'
        (Get-Requests 'POST' (Get-ApiPath 'admin/*')).Count + (Get-Requests 'GET' (Get-ApiPath 'admin/*')).Count + (Get-Requests 'PATCH' (Get-ApiPath 'admin/*')).Count + (Get-Requests 'PUT' (Get-ApiPath 'admin/*')).Count | Should -Be 0
    }
}

# What a user sees: quota columns in one unit, user listings with the values the server returns.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--user', "dora@example.com:$UserPassword",
        '--user', "guest@example.com:$($UserPassword):Anonymous",
        '--user-max-storage', '1073741824')
    $script:Dora = New-TestCredential -UserName 'dora@example.com' -Password $UserPassword
    $script:Admin = New-TestCredential -UserName $Sandbox.AdminEmail -Password $Sandbox.AdminPassword

    function Get-SizeCell([string] $Text) {
        # "1.00 GB" -> @{ Value = 1.0; Unit = 'GB' } for each size in a line of table text
        [regex]::Matches($Text, '(\d+(?:\.\d+)?) (B|KB|MB|GB|TB)\b') | ForEach-Object {
            [pscustomobject]@{ Value = [double]::Parse($_.Groups[1].Value, [cultureinfo]::InvariantCulture); Unit = $_.Groups[2].Value }
        }
    }
    function Test-Bit([string] $Base64, [int] $Bit) {
        # Cloudreve 4 group permissions: base64 bytes, bit n in byte n/8 at position n%8 (inventory/types GroupPermission)
        $bytes = if ($Base64) { [Convert]::FromBase64String($Base64) } else { [byte[]]@() }
        [bool]($Bit / 8 -lt $bytes.Length -and ($bytes[[math]::Floor($Bit / 8)] -band (1 -shl ($Bit % 8))))
    }
    function Get-RawAdminUser {
        # The admin user list straight from the server (independent of the module), as one shape for both generations.
        $raw = Connect-SandboxRaw $Sandbox $Admin
        if (Test-SandboxV4) {
            $body = @{ page = 1; page_size = 100; order_by = 'id'; order_direction = 'asc'; conditions = @{} } | ConvertTo-Json
            $users = (Invoke-RestMethod -Method Post -Uri "$($raw.Api)admin/user" -Body $body -ContentType 'application/json' -Headers $raw.Headers).data.users
            return $users | ForEach-Object {
                $g = $_.edges.group
                [pscustomobject]@{ ID = $_.id; Email = $_.email; HashId = $_.hash_id
                    Share = Test-Bit $g.permissions 2; WebDav = Test-Bit $g.permissions 3
                    Archive = Test-Bit $g.permissions 4; AdvanceDelete = Test-Bit $g.permissions 12 }
            }
        }
        $body = @{ page = 1; page_size = 100; order_by = 'id asc'; conditions = @{}; searches = @{} } | ConvertTo-Json
        (Invoke-RestMethod -Method Post -Uri "$($raw.Api)admin/user/list" -Body $body -ContentType 'application/json' -WebSession $raw.WebSession).data.items | ForEach-Object {
            [pscustomobject]@{ ID = $_.ID; Email = $_.Email; HashId = $null
                Share = [bool]$_.Group.ShareEnabled; WebDav = [bool]$_.Group.WebDAVEnabled
                Archive = [bool]$_.Group.OptionsSerialized.PSObject.Properties['archive_download']
                AdvanceDelete = [bool]$_.Group.OptionsSerialized.PSObject.Properties['advance_delete'] }
        }
    }
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'Get-CloudreveQuota display' {
    BeforeAll {
        # 1 byte used of 1 GiB: free is 1073741823 bytes, which used to print as "1024 MB" next to "1.00 GB"
        Publish-SandboxFile -Sandbox $Sandbox -Credential $Dora -Path '/one.txt' -Content 'x'
        $script:DoraSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Dora -PassThru -NoDrive
    }
    AfterAll { Disconnect-Cloudreve -Session $DoraSession -ErrorAction SilentlyContinue }

    It 'shows used, free and total in one unit that matches the bytes' {
        $quota = Get-CloudreveQuota -Session $DoraSession
        $quota.Used | Should -Be 1
        $quota.Total | Should -Be 1073741824
        $quota.Free | Should -Be 1073741823
        $row = @(($quota | Format-Table | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match 'dora@example\.com' })
        $row.Count | Should -Be 1
        $cells = @(Get-SizeCell $row[0])
        $cells.Count | Should -Be 3
        $cells.Unit | Select-Object -Unique | Should -Be 'GB'
        $row[0] | Should -Not -Match '1024 MB'
        $cells[0].Value | Should -Be 0
        $cells[1].Value | Should -Be 1
        $cells[2].Value | Should -Be 1
    }

    It 'picks the unit from the largest figure and keeps each figure within rounding' {
        foreach ($case in @(@{ Used = 300MB; Free = 724MB }, @{ Used = 5KB; Free = 1019KB }, @{ Used = 3GB; Free = 497GB }, @{ Used = 10; Free = 20 })) {
            $quota = [Cloudreve.CloudreveQuota]@{ UserName = 'x@example.com'; Used = $case.Used; Free = $case.Free; Total = $case.Used + $case.Free }
            $row = @(($quota | Format-Table | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match 'x@example\.com' })[0]
            $cells = @(Get-SizeCell $row)
            $cells.Count | Should -Be 3
            @($cells.Unit | Select-Object -Unique).Count | Should -Be 1 -Because $row
            $scale = [math]::Pow(1024, @('B', 'KB', 'MB', 'GB', 'TB').IndexOf($cells[0].Unit))
            $bytes = @($quota.Used, $quota.Free, $quota.Total)
            for ($i = 0; $i -lt 3; $i++) { [math]::Abs($cells[$i].Value * $scale - $bytes[$i]) | Should -BeLessOrEqual (0.005 * $scale) -Because $row }
        }
        "$([Cloudreve.CloudreveQuota]@{ Used = 1; Free = 1GB - 1; Total = 1GB })" | Should -Be '0.00 GB of 1.00 GB used'
    }

    It 'never rounds a size up to 1024 of a unit' {
        [Cloudreve.SizeFormatter]::Format(1GB - 1) | Should -Be '1.00 GB'
        [Cloudreve.SizeFormatter]::Format(1MB - 1) | Should -Be '1.00 MB'
        [Cloudreve.SizeFormatter]::Format(1023) | Should -Be '1023 B'
        [Cloudreve.SizeFormatter]::Format(1536) | Should -Be '1.50 KB'
        [Cloudreve.SizeFormatter]::Format(100MB - 1) | Should -Be '100 MB'
    }
}

Describe 'Get-CloudreveUser values' {
    BeforeAll {
        $script:AdminSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Admin -PassThru -NoDrive
        $script:Listed = @(Get-CloudreveUser -Session $AdminSession)
        $script:Raw = @(Get-RawAdminUser)
    }
    AfterAll { Disconnect-Cloudreve -Session $AdminSession -ErrorAction SilentlyContinue }

    It 'shows the admin''s group permissions, not false' {
        $me = $Listed | Where-Object UserName -EQ $Sandbox.AdminEmail
        $me.NumericId | Should -Be 1
        $me.IsAdmin | Should -BeTrue
        $me.CanShare | Should -BeTrue
        $me.CanUseWebDav | Should -BeTrue
        $me.CanArchiveDownload | Should -BeTrue
        $me.CanAdvancedDelete | Should -BeTrue
        $me.SourceLinkBatchLimit | Should -Be 1000
    }

    It 'carries the hashid only where the administrator route does (3.x: null; 4.x: hash_id), and the table shows the numeric id' {
        foreach ($user in $Listed) {
            $r = $Raw | Where-Object ID -EQ $user.NumericId
            if (Test-SandboxV4) { $user.Id | Should -Be $r.HashId }
            else { $null -eq $user.Id | Should -BeTrue -Because 'an id the route does not carry is null, not a blank string' }
        }
        $line = @(($Listed | Format-Table | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match [regex]::Escape($Sandbox.AdminEmail) })[0]
        $line | Should -Match '^\s*1\s'
    }

    It 'matches what the server returns for every user, in the list and by id' {
        $Raw.Count | Should -Be $Listed.Count
        $Raw.Count | Should -BeGreaterOrEqual 3
        foreach ($r in $Raw) {
            $user = $Listed | Where-Object NumericId -EQ $r.ID
            $user.UserName | Should -Be $r.Email
            $user.CanShare | Should -Be $r.Share -Because $r.Email
            $user.CanUseWebDav | Should -Be $r.WebDav -Because $r.Email
            $user.CanArchiveDownload | Should -Be $r.Archive -Because $r.Email
            $user.CanAdvancedDelete | Should -Be $r.AdvanceDelete -Because $r.Email
            $one = Get-CloudreveUser -Session $AdminSession -Id $r.ID
            $one.CanShare | Should -Be $user.CanShare
            $one.CanUseWebDav | Should -Be $user.CanUseWebDav
            $one.Id | Should -Be $user.Id
        }
        $guest = $Listed | Where-Object UserName -EQ 'guest@example.com'
        $guest.CanShare | Should -BeFalse
        $guest.CanUseWebDav | Should -BeFalse
        $dora = $Listed | Where-Object UserName -EQ 'dora@example.com'
        $dora.CanShare | Should -BeTrue
        # a fresh 4.18's User group has no WebDAV; 3.8.3's has
        $dora.CanUseWebDav | Should -Be (-not (Test-SandboxV4))
        $dora.CanAdvancedDelete | Should -BeFalse
        $dora.SourceLinkBatchLimit | Should -Be 10
    }

    It 'agrees with what the user''s own session reports' {
        $session = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Dora -PassThru -NoDrive
        try {
            $own = Get-CloudreveSite -Session $session
            $listed = $Listed | Where-Object UserName -EQ 'dora@example.com'
            $own.User.CanShare | Should -Be $listed.CanShare
            $own.User.CanUseWebDav | Should -Be $listed.CanUseWebDav
            $own.User.Id | Should -Not -BeNullOrEmpty
        }
        finally { Disconnect-Cloudreve -Session $session }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:TotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--admin-totp-secret', $TotpSecret,
        '--user', "alice@example.com:$UserPassword")
    $script:Uri = $Sandbox.Uri
    $script:Alice = New-TestCredential -UserName 'alice@example.com' -Password $UserPassword
    $script:Admin = New-TestCredential -UserName $Sandbox.AdminEmail -Password $Sandbox.AdminPassword
    $script:SecureTotp = ConvertTo-SecureString $TotpSecret -AsPlainText -Force
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'Connect-Cloudreve' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'logs in and returns a session that becomes the default' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $session | Should -BeOfType ([Cloudreve.CloudreveSession])
        $session.UserName | Should -Be 'alice@example.com'
        $session.NickName | Should -Not -BeNullOrEmpty
        $session.UserId | Should -Not -BeNullOrEmpty
        $session.GroupName | Should -Be 'User'
        $session.ServerVersion | Should -Be '3.8.3'
        $session.Uri | Should -Be ([uri]"$Uri")
        $session.IsDefault | Should -BeTrue
        (Get-CloudreveSession -Default).Id | Should -Be $session.Id
    }

    It 'writes nothing without -PassThru' {
        $output = Connect-Cloudreve -Uri $Uri -Credential $Alice
        $output | Should -BeNullOrEmpty
        @(Get-CloudreveSession).Count | Should -Be 1
    }

    It 'makes the newest session the default and keeps the others' {
        $first = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $second = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru
        @(Get-CloudreveSession).Count | Should -Be 2
        (Get-CloudreveSession -Default).Id | Should -Be $second.Id
        $first.IsDefault | Should -BeFalse
        (Get-CloudreveQuota).UserName | Should -Be $Sandbox.AdminEmail
        (Get-CloudreveQuota -Session $first).UserName | Should -Be 'alice@example.com'
    }

    It 'accepts the site address with a trailing /api/v3' {
        $session = Connect-Cloudreve -Uri ([uri]::new($Uri, '/api/v3')) -Credential $Alice -PassThru
        $session.Uri | Should -Be ([uri]"$Uri")
    }

    It 'reports a wrong password as CloudreveInvalidCredential' {
        $bad = New-TestCredential -UserName 'alice@example.com' -Password 'wrong-password'
        $err = { Connect-Cloudreve -Uri $Uri -Credential $bad } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'CloudreveInvalidCredential,Cloudreve.Commands.ConnectCloudreveCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.TargetObject | Should -Be $Uri
        $err.Exception.Message | Should -Match 'alice@example.com'
        $err.Exception.Message | Should -Not -Match 'wrong-password'
        @(Get-CloudreveSession).Count | Should -Be 0
    }

    It 'reports an unreachable host as CloudreveServerUnreachable' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $err = { Connect-Cloudreve -Uri "http://127.0.0.1:$port" -Credential $Alice } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveServerUnreachable,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'reports a web server that is not Cloudreve as CloudreveNotACloudreveServer' {
        $err = { Connect-Cloudreve -Uri ([uri]::new($Uri, '/not-cloudreve/')) -Credential $Alice } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotACloudreveServer,*'
        $err.CategoryInfo.Category | Should -Be 'ProtocolError'
    }

    It 'refuses an address that is not http or https' {
        $err = { Connect-Cloudreve -Uri 'ftp://127.0.0.1/' -Credential $Alice } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Connect-Cloudreve with two-factor authentication' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'computes the code from -TotpSecret' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru
        $session.UserName | Should -Be $Sandbox.AdminEmail
        $session.IsAdmin | Should -BeTrue
    }

    It 'uses -OtpCode' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -OtpCode (Get-TotpCode $TotpSecret) -PassThru
        $session.UserName | Should -Be $Sandbox.AdminEmail
    }

    It 'reports a wrong code as CloudreveInvalidOtpCode' {
        $good = Get-TotpCode $TotpSecret
        $wrong = (([int]$good + 500000) % 1000000).ToString('000000')
        $err = { Connect-Cloudreve -Uri $Uri -Credential $Admin -OtpCode $wrong } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidOtpCode,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'fails with CloudreveOtpRequired when no code can be had in a non-interactive session' {
        $err = { Connect-Cloudreve -Uri $Uri -Credential $Admin } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveOtpRequired,*'
        $err.Exception.Message | Should -Match 'TotpSecret'
    }

    It 'refuses a TOTP secret that is not base32' {
        $err = { Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret (ConvertTo-SecureString 'not base32 !!' -AsPlainText -Force) } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.Exception.Message | Should -Not -Match 'not base32'
    }
}

Describe 'A server that demands a login captcha' {
    BeforeAll {
        $script:CaptchaSandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--login-captcha', '--user', "alice@example.com:$UserPassword")
    }
    AfterAll { if ($CaptchaSandbox) { Stop-CloudreveSandbox $CaptchaSandbox } }

    It 'gives CloudreveLoginCaptchaRequired' {
        $err = { Connect-Cloudreve -Uri $CaptchaSandbox.Uri -Credential $Alice } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveLoginCaptchaRequired,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        (Get-CloudreveSite -Uri $CaptchaSandbox.Uri).LoginCaptcha | Should -BeTrue
    }
}

Describe 'Session expiry on the server' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'logs in again once, transparently, with the stored credential' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        Clear-SandboxRequest $Sandbox
        $quota = Get-CloudreveQuota -Session $session
        $quota.Total | Should -BeGreaterThan 0
        $logins = @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/api/v3/user/session' })
        $logins.Count | Should -Be 1
    }

    It 'logs in again with the second factor when -TotpSecret was given' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        (Get-CloudreveQuota -Session $session).UserName | Should -Be $Sandbox.AdminEmail
    }

    It 'reports CloudreveSessionExpired when only a one-time code was given' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -OtpCode (Get-TotpCode $TotpSecret) -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        $err = { Get-CloudreveQuota -Session $session -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveSessionExpired,*'
        $err.Exception.Message | Should -Match 'Connect-Cloudreve'
    }
}

Describe 'Get-CloudreveSite' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'works anonymously with -Uri' {
        $site = Get-CloudreveSite -Uri $Uri
        $site | Should -BeOfType ([Cloudreve.CloudreveSiteInfo])
        $site.Version | Should -Be '3.8.3'
        $site.Title | Should -Not -BeNullOrEmpty
        $site.LoginCaptcha | Should -BeFalse
        $site.User | Should -BeNullOrEmpty
    }

    It 'shows the logged-in user with a session' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $site = $session | Get-CloudreveSite
        $site.User.UserName | Should -Be 'alice@example.com'
        $site.User.GroupName | Should -Be 'User'
    }

    It 'writes an error, not an exception, for an unreachable server' {
        $result = Get-CloudreveSite -Uri 'http://127.0.0.1:1' -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveServerUnreachable,*'
    }

    It 'needs a session when neither -Uri nor -Session is given' {
        $err = { Get-CloudreveSite } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotLoggedIn,*'
    }
}

Describe 'Test-CloudreveConnection' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'is true for a Cloudreve server' {
        Test-CloudreveConnection -Uri $Uri | Should -BeTrue
    }

    It 'is false, without an error, for an unreachable server' {
        $result = Test-CloudreveConnection -Uri 'http://127.0.0.1:1' -ErrorVariable problems
        $result | Should -BeFalse
        $problems | Should -BeNullOrEmpty
    }

    It 'is false for a web server that is not Cloudreve' {
        Test-CloudreveConnection -Uri ([uri]::new($Uri, '/not-cloudreve/')) | Should -BeFalse
    }

    It 'is true for a live session and false once it is disconnected' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        Test-CloudreveConnection -Session $session | Should -BeTrue
        Disconnect-Cloudreve -Session $session
        Test-CloudreveConnection -Session $session | Should -BeFalse
    }
}

Describe 'Get-CloudreveQuota' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'returns used, free and total bytes consistent with each other' {
        Connect-Cloudreve -Uri $Uri -Credential $Alice
        $quota = Get-CloudreveQuota
        $quota | Should -BeOfType ([Cloudreve.CloudreveQuota])
        $quota.Total | Should -BeGreaterThan 0
        ($quota.Used + $quota.Free) | Should -Be $quota.Total
        $quota.PercentUsed | Should -BeGreaterOrEqual 0
    }

    It 'prints sizes readably' {
        Connect-Cloudreve -Uri $Uri -Credential $Alice
        $text = Get-CloudreveQuota | Out-String
        $text | Should -Match '\d+(\.\d+)? (B|KB|MB|GB|TB)'
    }

    It 'fails clearly without any session' {
        $err = { Get-CloudreveQuota } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveNotLoggedIn,*'
        $err.Exception.Message | Should -Match 'Connect-Cloudreve'
    }
}

Describe 'Disconnect-Cloudreve and Get-CloudreveSession' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'does nothing with -WhatIf' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        Disconnect-Cloudreve -WhatIf
        @(Get-CloudreveSession).Count | Should -Be 1
        Test-CloudreveConnection -Session $session | Should -BeTrue
    }

    It 'logs out on the server and hands the default to the remaining session' {
        $first = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $second = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru
        Clear-SandboxRequest $Sandbox
        $second | Disconnect-Cloudreve
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'DELETE' -and $_.path -eq '/api/v3/user/session' }).Count | Should -Be 1
        $second.IsConnected | Should -BeFalse
        (Get-CloudreveSession -Default).Id | Should -Be $first.Id
        { Get-CloudreveQuota -Session $second } | Should -Throw -ExpectedMessage '*disconnected*'
    }

    It 'returns nothing when there is no session' {
        Get-CloudreveSession | Should -BeNullOrEmpty
        Get-CloudreveSession -Default | Should -BeNullOrEmpty
    }
}

Describe 'Secrets stay secret' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'never shows the password, the TOTP secret or the cookie in output, verbose text or exports' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru -Verbose 4>&1 |
            Tee-Object -Variable everything | Where-Object { $_ -is [Cloudreve.CloudreveSession] }
        $text = @(
            ($everything | Out-String)
            ($session | Format-List * | Out-String)
            ($session | ConvertTo-Json -Depth 4)
            ([System.Management.Automation.PSSerializer]::Serialize($session, 4))
            (Get-CloudreveQuota -Verbose 4>&1 | Out-String)
        ) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($Sandbox.AdminPassword))
        $text | Should -Not -Match $TotpSecret
        $text | Should -Not -Match 'cloudreve-session'
        $session.PSObject.Properties.Name | Should -Not -Contain 'Credential'
    }
}

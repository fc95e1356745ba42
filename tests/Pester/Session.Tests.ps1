# One body for both generations: run with CLOUDREVE_SERVER_VERSION unset (3.8.3) and set to 4.18.0.
# Tests marked (4.x) check what only Cloudreve 4 has (tokens: refresh, revocation); tests marked (3.x) the 3.x wire.
BeforeDiscovery {
    $script:IsV4 = [bool]($env:CLOUDREVE_SERVER_VERSION -like '4.*')   # as Test-SandboxV4 in Common.ps1
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:IsV4 = Test-SandboxV4
    # The routes of each generation (v3 reference; v4 reference sections 2 and 3).
    $script:Wire = if ($IsV4) {
        @{ Version = '4.18.0'; Api = 'v4'; Login = '/api/v4/session/token'; SecondFactor = '/api/v4/session/token/2fa'
            Logout = @('DELETE', '/api/v4/session/token'); Chunk = '/api/v4/file/upload/*/*' }
    }
    else {
        @{ Version = '3.8.3'; Api = 'v3'; Login = '/api/v3/user/session'; SecondFactor = '/api/v3/user/2fa'
            Logout = @('DELETE', '/api/v3/user/session'); Chunk = '/api/v3/file/upload/*/*' }
    }
    $script:TotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    $script:UserPassword = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Chunk = 65536
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--admin-totp-secret', $TotpSecret,
        '--chunk-size', "$Chunk",
        '--user', "alice@example.com:$UserPassword")
    $script:Uri = $Sandbox.Uri
    $script:Alice = New-TestCredential -UserName 'alice@example.com' -Password $UserPassword
    $script:Admin = New-TestCredential -UserName $Sandbox.AdminEmail -Password $Sandbox.AdminPassword
    $script:SecureTotp = ConvertTo-SecureString $TotpSecret -AsPlainText -Force
    $ProgressPreference = 'SilentlyContinue'

    function Get-ApiRequest([string] $Method, [string] $Like) {
        @(Get-SandboxRequest $Sandbox | Where-Object { (-not $Method -or $_.method -eq $Method) -and $_.path -like $Like })
    }
    # A JWT (header.payload...): what a 4.x access or refresh token looks like in any text.
    $script:JwtPattern = 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}'
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
        $session.ServerVersion | Should -Be $Wire.Version
        $session.ApiVersion | Should -Be $Wire.Api
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

    It 'accepts the site address with a trailing <_>' -ForEach '/api/v3', '/api/v4', '/api/v4/' {
        $session = Connect-Cloudreve -Uri ([uri]::new($Uri, $_)) -Credential $Alice -PassThru
        $session.Uri | Should -Be ([uri]"$Uri")
        $session.ApiVersion | Should -Be $Wire.Api
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

    It 'asks for the e-mail address when the user name is not one (40001)' {
        $err = { Connect-Cloudreve -Uri $Uri -Credential (New-TestCredential -UserName 'alice' -Password $UserPassword) } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveInvalidArgument,*'
        $err.Exception.Message | Should -Match 'e-mail address'
        $err.Exception.Message | Should -Not -Match ([regex]::Escape($UserPassword))
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

Describe 'Finding the server generation' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It '(4.x) probes /api/v4/site/ping first and never asks for /api/v3' -Skip:(-not $IsV4) {
        Clear-SandboxRequest $Sandbox
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $session.ApiVersion | Should -Be 'v4'
        $log = @(Get-SandboxRequest $Sandbox | Where-Object path -Like '/api/*')
        $log[0].method | Should -Be 'GET'
        $log[0].path | Should -Be '/api/v4/site/ping'
        $log[0].status | Should -Be 200
        @($log | Where-Object path -Like '/api/v3/*').Count | Should -Be 0
    }

    It '(3.x) probes /api/v4/site/ping, gets the plain 404, then /api/v3/site/ping' -Skip:$IsV4 {
        Clear-SandboxRequest $Sandbox
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $session.ApiVersion | Should -Be 'v3'
        $pings = @(Get-SandboxRequest $Sandbox | Where-Object path -Like '/api/*/site/ping')
        $pings[0].path | Should -Be '/api/v4/site/ping'
        $pings[0].status | Should -Be 404
        $pings[1].path | Should -Be '/api/v3/site/ping'
        $pings[1].status | Should -Be 200
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '/api/v4/*' -and $_.path -ne '/api/v4/site/ping' }).Count | Should -Be 0
    }

    It 'takes a 4.x ping with a -pro suffix as Cloudreve 4 (a stand-in server that answers only the ping)' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $server = [powershell]::Create()
        $null = $server.AddScript({
                param($listener)
                $seen = [System.Collections.Generic.List[string]]::new()
                for ($i = 0; $i -lt 4; $i++) {
                    $task = $listener.AcceptTcpClientAsync()
                    try { if (-not $task.Wait(20000)) { break } } catch { break }   # stopped by the test
                    $client = $task.Result
                    try {
                        $stream = $client.GetStream()
                        $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 1024, $true)
                        $line = $reader.ReadLine()
                        while ($reader.ReadLine()) { }
                        $path = ($line -split ' ')[1]
                        $seen.Add($path)
                        $body, $type, $status = if ($path -eq '/api/v4/site/ping') { '{"code":0,"data":"4.18.0-pro","msg":""}', 'application/json; charset=utf-8', '200 OK' }
                        else { '404 page not found', 'text/plain', '404 Not Found' }
                        $bytes = [System.Text.Encoding]::UTF8.GetBytes($body)
                        $head = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 $status`r`nContent-Type: $type`r`nContent-Length: $($bytes.Length)`r`nConnection: close`r`n`r`n")
                        $stream.Write($head, 0, $head.Length)
                        $stream.Write($bytes, 0, $bytes.Length)
                        $stream.Flush()
                        # A graceful close: end the sending side, then wait for the client to close its own.
                        $client.Client.Shutdown([System.Net.Sockets.SocketShutdown]::Send)
                        $client.ReceiveTimeout = 5000
                        $drain = [byte[]]::new(256)
                        try { while ($stream.Read($drain, 0, $drain.Length) -gt 0) { } } catch { }
                    }
                    finally { $client.Dispose() }
                }
                , $seen
            }).AddArgument($listener)
        $handle = $server.BeginInvoke()
        try {
            $all = Test-CloudreveConnection -Uri "http://127.0.0.1:$port/" -Verbose 4>&1
            $listener.Stop()
            $seen = @($server.EndInvoke($handle) | ForEach-Object { $_ })
            @($all | Where-Object { $_ -is [bool] }) | Should -Be @($true)
            ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'Cloudreve 4\.18\.0-pro'
            $seen.Count | Should -BeGreaterThan 0
            $seen | Should -Not -Contain '/api/v3/site/ping'
            @($seen | Select-Object -Unique) | Should -Be @('/api/v4/site/ping')
        }
        finally {
            $listener.Stop()
            $server.Dispose()
        }
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

    It 'sends the password, then the code to the second-factor route of the generation' {
        Clear-SandboxRequest $Sandbox
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru
        $session.IsAdmin | Should -BeTrue
        $steps = @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -in $Wire.Login, $Wire.SecondFactor })
        $steps.path | Should -Be @($Wire.Login, $Wire.SecondFactor)
    }

    It 'asks for the code at the host prompt when neither -OtpCode nor -TotpSecret is given' {
        # A fresh pwsh whose console reads the code from standard input; the password comes in the environment.
        $script = Join-Path $TestDrive 'prompt.ps1'
        Set-Content -LiteralPath $script -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:CLOUDREVE_MODULE_PATH
$credential = [pscredential]::new($env:SESSION_TEST_USER, (ConvertTo-SecureString $env:SESSION_TEST_PASSWORD -AsPlainText -Force))
$session = Connect-Cloudreve -Uri $env:SESSION_TEST_URI -Credential $credential -NoDrive -PassThru
"CONNECTED:$($session.UserName):$($session.IsAdmin)"
'@
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
        $saved = $env:CLOUDREVE_MODULE_PATH
        $env:CLOUDREVE_MODULE_PATH = (Resolve-Path -LiteralPath $ModuleManifest).Path
        $env:SESSION_TEST_USER = $Sandbox.AdminEmail
        $env:SESSION_TEST_PASSWORD = $Sandbox.AdminPassword
        $env:SESSION_TEST_URI = "$Uri"
        try {
            # The code is computed a moment before the child needs it; a slow start may cross a 30 s step, which
            # the server's one-step tolerance covers.
            $output = (Get-TotpCode $TotpSecret) | & $pwsh @prefix -NoProfile -File $script 2>&1 | Out-String
        }
        finally {
            $env:CLOUDREVE_MODULE_PATH = $saved
            Remove-Item env:SESSION_TEST_USER, env:SESSION_TEST_PASSWORD, env:SESSION_TEST_URI -ErrorAction SilentlyContinue
        }
        $output | Should -Match 'Enter the 6-digit code'
        $output | Should -Match ("CONNECTED:{0}:True" -f [regex]::Escape($Sandbox.AdminEmail))
        $output | Should -Not -Match ([regex]::Escape($Sandbox.AdminPassword))
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

    It 'gives CloudreveLoginCaptchaRequired without sending the password' {
        Clear-SandboxRequest $CaptchaSandbox
        $err = { Connect-Cloudreve -Uri $CaptchaSandbox.Uri -Credential $Alice } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveLoginCaptchaRequired,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'captcha'
        @(Get-SandboxRequest $CaptchaSandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq $Wire.Login }).Count | Should -Be 0
        (Get-CloudreveSite -Uri $CaptchaSandbox.Uri).LoginCaptcha | Should -BeTrue
        @(Get-CloudreveSession).Count | Should -Be 0
    }

    It 'is a server that refuses a login without the captcha (40026), as the generation reports it' {
        $password = $Alice.GetNetworkCredential().Password
        $answer = if ($IsV4) {
            (Invoke-RestMethod -Uri ([uri]::new($CaptchaSandbox.Uri, '/api/v4/site/config/login'))).data.login_captcha | Should -BeTrue
            Invoke-RestMethod -Method Post -Uri ([uri]::new($CaptchaSandbox.Uri, $Wire.Login)) -ContentType 'application/json' -Body (@{ email = $Alice.UserName; password = $password } | ConvertTo-Json)
        }
        else {
            (Invoke-RestMethod -Uri ([uri]::new($CaptchaSandbox.Uri, '/api/v3/site/config'))).data.loginCaptcha | Should -BeTrue
            Invoke-RestMethod -Method Post -Uri ([uri]::new($CaptchaSandbox.Uri, $Wire.Login)) -ContentType 'application/json' -Body (@{ userName = $Alice.UserName; Password = $password } | ConvertTo-Json)
        }
        $answer.code | Should -Be 40026
        $answer.msg | Should -Be 'CAPTCHA not match.'
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
        $logins = @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq $Wire.Login })
        $logins.Count | Should -Be 1
        (Get-CloudreveQuota -Session $session).Total | Should -Be $quota.Total
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq $Wire.Login }).Count | Should -Be 1
    }

    It '(4.x) tries the refresh token first, and logs in again only when the server refuses it (40020)' -Skip:(-not $IsV4) {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        Clear-SandboxRequest $Sandbox
        (Get-CloudreveQuota -Session $session).Total | Should -BeGreaterThan 0
        $steps = @(Get-SandboxRequest $Sandbox | Where-Object path -Like '/api/v4/*' | ForEach-Object { "$($_.method) $($_.path)" })
        $steps | Should -Be @('GET /api/v4/user/capacity', 'POST /api/v4/session/token/refresh', 'POST /api/v4/session/token', 'GET /api/v4/user/capacity')
    }

    It 'logs in again with the second factor when -TotpSecret was given' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        Clear-SandboxRequest $Sandbox
        (Get-CloudreveQuota -Session $session).UserName | Should -Be $Sandbox.AdminEmail
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq $Wire.Login }).Count | Should -Be 1
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq $Wire.SecondFactor }).Count | Should -Be 1
    }

    It 'finishes an upload when the server forgets the login halfway through it' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $file = Join-Path $TestDrive 'halfway.bin'
        $bytes = [byte[]]::new($Chunk * 6 + 11)
        [Random]::new(5).NextBytes($bytes)
        [IO.File]::WriteAllBytes($file, $bytes)
        Clear-SandboxRequest $Sandbox
        $trigger = Start-SandboxTrigger $Sandbox -Method POST -PathLike $Wire.Chunk -Count 2 -ControlPath '/_sandbox/sessions/expire'
        Send-CloudreveFile $file -Destination '/halfway' -Session $session -ErrorAction Stop
        Wait-SandboxTrigger $trigger | Should -Not -BeNullOrEmpty
        (Get-CloudreveItem '/halfway/halfway.bin' -Session $session).Size | Should -Be $bytes.Length
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq $Wire.Login }).Count | Should -Be 1
        $back = Join-Path $TestDrive 'halfway-back'
        $null = New-Item -ItemType Directory -Path $back
        Receive-CloudreveFile '/halfway/halfway.bin' -Destination $back -Session $session -ErrorAction Stop
        (Get-FileHash (Join-Path $back 'halfway.bin')).Hash | Should -Be (Get-FileHash $file).Hash
    }

    It 'reports CloudreveSessionExpired when only a one-time code was given' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -OtpCode (Get-TotpCode $TotpSecret) -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        $err = { Get-CloudreveQuota -Session $session -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CloudreveSessionExpired,*'
        $err.Exception.Message | Should -Match 'Connect-Cloudreve'
    }
}

Describe 'Access tokens on 4.x (4.x)' -Skip:(-not $IsV4) {
    BeforeAll {
        # Access tokens that live 4 s: the module renews them once less than half of that is left.
        $script:ShortSandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--access-token-ttl', '4', '--user', "alice@example.com:$UserPassword")
    }
    AfterAll { if ($ShortSandbox) { Stop-CloudreveSandbox $ShortSandbox } }
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It '(4.x) refreshes the access token ahead of access_expires, without a new login' {
        $session = Connect-Cloudreve -Uri $ShortSandbox.Uri -Credential $Alice -PassThru
        Start-Sleep -Milliseconds 2600
        Clear-SandboxRequest $ShortSandbox
        (Get-CloudreveQuota -Session $session).Total | Should -BeGreaterThan 0
        $steps = @(Get-SandboxRequest $ShortSandbox | Where-Object path -Like '/api/v4/*' | ForEach-Object { "$($_.method) $($_.path)" })
        $steps | Should -Be @('POST /api/v4/session/token/refresh', 'GET /api/v4/user/capacity')
    }

    It '(4.x) refreshes once after a 401 and repeats the request' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        Start-Sleep -Milliseconds 1100   # the sandbox expires access tokens issued before the current second
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/sessions/expire-access'))
        Clear-SandboxRequest $Sandbox
        (Get-CloudreveQuota -Session $session).Total | Should -BeGreaterThan 0
        $steps = @(Get-SandboxRequest $Sandbox | Where-Object path -Like '/api/v4/*' | ForEach-Object { "$($_.method) $($_.path)" })
        $steps | Should -Be @('GET /api/v4/user/capacity', 'POST /api/v4/session/token/refresh', 'GET /api/v4/user/capacity')
        Clear-SandboxRequest $Sandbox
        $null = Get-CloudreveQuota -Session $session
        @(Get-SandboxRequest $Sandbox | Where-Object path -Like '/api/v4/session/*').Count | Should -Be 0
    }

    It '(4.x) sends the access token to API routes of the Cloudreve origin only, never to the signed content URL' {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $file = Join-Path $TestDrive 'signed.txt'
        Set-Content -LiteralPath $file -Value 'signed content' -NoNewline
        Clear-SandboxRequest $Sandbox
        Send-CloudreveFile $file -Destination '/signed' -Session $session -ErrorAction Stop
        $back = Join-Path $TestDrive 'signed-back'
        $null = New-Item -ItemType Directory -Path $back
        Receive-CloudreveFile '/signed/signed.txt' -Destination $back -Session $session -ErrorAction Stop
        Get-Content -LiteralPath (Join-Path $back 'signed.txt') -Raw | Should -Be 'signed content'
        $log = @(Get-SandboxRequest $Sandbox)
        $content = @($log | Where-Object path -Like '/api/v4/file/content/*')
        $content.Count | Should -BeGreaterThan 0
        foreach ($r in $content) { Get-SandboxHeader $r 'Authorization' | Should -BeNullOrEmpty -Because "$($r.method) $($r.path) is a signed URL" }
        $api = @($log | Where-Object { $_.path -like '/api/v4/*' -and $_.path -notlike '/api/v4/file/content/*' })
        $api.Count | Should -BeGreaterThan 2
        foreach ($r in $api) { Get-SandboxHeader $r 'Authorization' | Should -Be '<redacted>' -Because "$($r.method) $($r.path)" }
        @($log | Where-Object origin -NE 'api').Count | Should -Be 0
    }
}

Describe 'Get-CloudreveSite' {
    AfterEach { Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue }

    It 'works anonymously with -Uri' {
        $site = Get-CloudreveSite -Uri $Uri
        $site | Should -BeOfType ([Cloudreve.CloudreveSiteInfo])
        $site.Version | Should -Be $Wire.Version
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
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq $Wire.Logout[0] -and $_.path -eq $Wire.Logout[1] }).Count | Should -Be 1
        $second.IsConnected | Should -BeFalse
        (Get-CloudreveSession -Default).Id | Should -Be $first.Id
        { Get-CloudreveQuota -Session $second } | Should -Throw -ExpectedMessage '*disconnected*'
    }

    It '(4.x) revokes the refresh token: the server has one live login fewer' -Skip:(-not $IsV4) {
        $session = Connect-Cloudreve -Uri $Uri -Credential $Alice -PassThru
        $before = (Invoke-RestMethod -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/sessions'))).tokenFamilies
        Clear-SandboxRequest $Sandbox
        $session | Disconnect-Cloudreve
        $signOut = @(Get-SandboxRequest $Sandbox | Where-Object path -Like '/api/v4/*')
        $signOut.Count | Should -Be 1
        $signOut[0].method | Should -Be 'DELETE'
        $signOut[0].path | Should -Be '/api/v4/session/token'
        $signOut[0].contentLength | Should -BeGreaterThan 100   # {"refresh_token": "<JWT>"}
        (Invoke-RestMethod -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/sessions'))).tokenFamilies | Should -Be ($before - 1)
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
        $text | Should -Not -Match $JwtPattern
        $session.PSObject.Properties.Name | Should -Not -Contain 'Credential'
    }

    It 'never shows a token or the cookie in verbose or debug text, error records or Export-Clixml, across a renewal' {
        # The pattern does catch this sandbox's credentials: a bearer token (4.x) or the session cookie (3.x).
        $raw = Connect-SandboxRaw $Sandbox $Alice
        if ($IsV4) { $raw.Headers.Authorization | Should -Match $JwtPattern }
        else { @($raw.WebSession.Cookies.GetAllCookies()).Name | Should -Contain 'cloudreve-session' }
        $secret = if ($IsV4) { $JwtPattern } else { 'cloudreve-session' }

        $DebugPreference = 'Continue'
        $session = Connect-Cloudreve -Uri $Uri -Credential $Admin -TotpSecret $SecureTotp -PassThru -Verbose -Debug *>&1 |
            Tee-Object -Variable connecting | Where-Object { $_ -is [Cloudreve.CloudreveSession] }
        if ($IsV4) {
            Start-Sleep -Milliseconds 1100
            $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/sessions/expire-access'))
        }
        else { Invoke-SandboxSessionExpiry $Sandbox }
        $renewing = Get-CloudreveQuota -Session $session -Verbose -Debug *>&1
        Invoke-SandboxSessionExpiry $Sandbox
        $relogging = Get-CloudreveQuota -Session $session -Verbose -Debug *>&1
        $missing = Get-CloudreveItem '/no/such/item' -Session $session -Verbose -Debug -ErrorAction SilentlyContinue -ErrorVariable problems *>&1
        $problems.Count | Should -BeGreaterThan 0
        $oneTime = Connect-Cloudreve -Uri $Uri -Credential $Admin -OtpCode (Get-TotpCode $TotpSecret) -NoDrive -PassThru
        Invoke-SandboxSessionExpiry $Sandbox
        $expired = { Get-CloudreveQuota -Session $oneTime -ErrorAction Stop } | Should -Throw -PassThru
        $DebugPreference = 'SilentlyContinue'
        $clixml = Join-Path $TestDrive 'session.clixml'
        $session | Export-Clixml -LiteralPath $clixml -Depth 5

        # The renewals really happened while the streams were captured (4.x: a refresh, then a new login; 3.x: new logins).
        ($renewing | Out-String) | Should -Match $(if ($IsV4) { 'Refreshing the access token' } else { 'logging in again' })
        ($relogging | Out-String) | Should -Match 'logging in again'
        $text = @(
            ($connecting | Out-String), ($renewing | Out-String), ($relogging | Out-String), ($missing | Out-String)
            ($problems | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() })
            ($expired | Format-List * -Force | Out-String), $expired.Exception.ToString()
            (Get-Content -LiteralPath $clixml -Raw)
            ($session | Format-List * -Force | Out-String), ($oneTime | ConvertTo-Json -Depth 4)
        ) -join "`n"
        $text | Should -Match 'alice|admin'   # the text is really there
        $text | Should -Not -Match $secret
        $text | Should -Not -Match ([regex]::Escape($Sandbox.AdminPassword))
        $text | Should -Not -Match $TotpSecret
    }
}

Describe 'A Pro edition server (its ping answers the version with -pro)' {
    BeforeAll {
        $script:ProSandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--pro', '--user', "alice@example.com:$UserPassword")
    }
    AfterAll {
        if ($ProSandbox) { Stop-CloudreveSandbox $ProSandbox }
    }

    It 'connects, keeps the edition in ServerVersion and works as its generation' {
        $pro = Connect-Cloudreve -Uri $ProSandbox.Uri -Credential $Alice -NoDrive -PassThru -ErrorAction Stop
        try {
            $pro.ServerVersion | Should -Be "$($Wire.Version)-pro"
            $pro.ApiVersion | Should -Be $Wire.Api
            $local = Join-Path $TestDrive 'pro.bin'
            $bytes = [byte[]]::new(3 * $Chunk + 11)
            [Random]::new(5).NextBytes($bytes)
            [IO.File]::WriteAllBytes($local, $bytes)
            Send-CloudreveFile -Path $local -Destination /pro -Session $pro -ErrorAction Stop | Out-Null
            $back = Join-Path $TestDrive 'pro-back'
            $null = New-Item -ItemType Directory -Path $back
            Receive-CloudreveFile -Path /pro/pro.bin -Destination $back -Session $pro -ErrorAction Stop
            (Get-FileHash (Join-Path $back 'pro.bin')).Hash | Should -Be (Get-FileHash $local).Hash
        }
        finally { Disconnect-Cloudreve -Session $pro }
    }

    It 'gates features by the version number, not the suffix (Clear-CloudreveTrash needs 4.18)' {
        $pro = Connect-Cloudreve -Uri $ProSandbox.Uri -Credential $Alice -NoDrive -PassThru -ErrorAction Stop
        try {
            if ($IsV4) {
                New-CloudreveFile -Path /pro-trash/t.txt -Session $pro | Out-Null
                Remove-CloudreveItem -Path /pro-trash/t.txt -Session $pro -Confirm:$false
                @(Get-CloudreveTrashItem -Session $pro | Where-Object Name -EQ 't.txt').Count | Should -Be 1
                Clear-CloudreveTrash -Session $pro -Confirm:$false -ErrorAction Stop
                @(Get-CloudreveTrashItem -Session $pro).Count | Should -Be 0
            }
            else {
                { Clear-CloudreveTrash -Session $pro -Confirm:$false -ErrorAction Stop } |
                    Should -Throw -ErrorId 'CloudreveNotSupportedByServer,*'
            }
        }
        finally { Disconnect-Cloudreve -Session $pro }
    }
}

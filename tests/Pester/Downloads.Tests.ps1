# Download URLs for many files: one body for both generations; run with CLOUDREVE_SERVER_VERSION unset (3.8.3) and
# set to 4.18.0. 4.x makes the URLs of many files in one POST /api/v4/file/url; 3.x has one PUT
# /api/v3/file/download/{id} per file.
BeforeDiscovery {
    $script:IsV4 = [bool]($env:CLOUDREVE_SERVER_VERSION -like '4.*')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Password = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @('--user', "dana@example.com:$Password")
    $script:Dana = New-TestCredential -UserName 'dana@example.com' -Password $Password
    $script:DanaSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Dana -NoDrive -PassThru
    $script:V4 = $DanaSession.ApiVersion -eq 'v4'
    $ProgressPreference = 'SilentlyContinue'

    function Get-Hash([string] $Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }

    function Get-UrlRequest {
        # The requests that make download URLs: 4.x POST /api/v4/file/url, 3.x PUT /api/v3/file/download/{id}.
        if ($V4) { @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/api/v4/file/url' }) }
        else { @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq 'PUT' -and $_.path -like '/api/v3/file/download/*' }) }
    }

    function Set-Faults([hashtable] $Faults) {
        $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/faults')) -ContentType 'application/json' -Body ($Faults | ConvertTo-Json)
    }

    # 30 files of different sizes and content, uploaded once.
    $script:Source = Join-Path ([IO.Path]::GetTempPath()) ('cr-many-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Source
    $script:Hashes = @{}
    foreach ($i in 0..29) {
        $bytes = [byte[]]::new(1000 + 997 * $i)
        [Random]::new(100 + $i).NextBytes($bytes)
        $path = Join-Path $Source ('m-{0:00}.bin' -f $i)
        [IO.File]::WriteAllBytes($path, $bytes)
        $Hashes[(Split-Path $path -Leaf)] = Get-Hash $path
    }
    Get-ChildItem -LiteralPath $Source -File | Send-CloudreveFile -Destination /many -ErrorAction Stop | Out-Null
    New-CloudreveFolder -Path /kept, /aside | Out-Null
}

AfterAll {
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
    if ($Source) { Remove-Item -LiteralPath $Source -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Receive-CloudreveFile with many files' {
    It 'gets the URLs of 30 piped files in one request on 4.x (one per file on 3.x), content byte for byte' {
        $files = @(Get-CloudreveChildItem /many -File)
        $files.Count | Should -Be 30
        $dst = Join-Path $TestDrive 'all'
        $null = New-Item -ItemType Directory -Path $dst
        Clear-SandboxRequest $Sandbox
        $got = @($files | Receive-CloudreveFile -Destination $dst -PassThru -ErrorAction Stop)
        $got.Count | Should -Be 30
        foreach ($name in $Hashes.Keys) { Get-Hash (Join-Path $dst $name) | Should -Be $Hashes[$name] -Because $name }
        @(Get-UrlRequest).Count | Should -Be $(if ($V4) { 1 } else { 30 })
    }

    It 'with -Recurse gets the URLs of a whole folder in one request on 4.x' {
        $dst = Join-Path $TestDrive 'tree'
        $null = New-Item -ItemType Directory -Path $dst
        Clear-SandboxRequest $Sandbox
        Receive-CloudreveFile /many -Destination $dst -Recurse -ErrorAction Stop
        foreach ($name in $Hashes.Keys) { Get-Hash (Join-Path $dst "many/$name") | Should -Be $Hashes[$name] -Because $name }
        @(Get-UrlRequest).Count | Should -Be $(if ($V4) { 1 } else { 30 })
    }

    # 4.x addresses files by path, so a moved file is missing; 3.x addresses them by id and still finds it.
    It 'reports a file moved away after it was listed as its own error and receives the others (4.x)' -Skip:(-not $IsV4) {
        $files = @(Get-CloudreveChildItem /many -File)
        # Another client moves two of the listed files away.
        $other = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Dana -NoDrive -PassThru
        try {
            Move-CloudreveItem -Path /many/m-03.bin, /many/m-17.bin -Destination /kept -Session $other | Out-Null
            $dst = Join-Path $TestDrive 'partial'
            $null = New-Item -ItemType Directory -Path $dst
            Clear-SandboxRequest $Sandbox
            $got = @($files | Receive-CloudreveFile -Destination $dst -PassThru -ErrorAction SilentlyContinue -ErrorVariable failed)
            $got.Count | Should -Be 28
            $failed.Count | Should -Be 2
            @($failed | ForEach-Object { $_.Exception.Message } | Where-Object { $_ -match '/many/m-(03|17)\.bin' }).Count | Should -Be 2
            @($failed | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Select-Object -Unique) | Should -Be 'CloudreveNotFound'
            foreach ($name in $Hashes.Keys | Where-Object { $_ -notin 'm-03.bin', 'm-17.bin' }) {
                Get-Hash (Join-Path $dst $name) | Should -Be $Hashes[$name] -Because $name
            }
            Test-Path (Join-Path $dst 'm-03.bin') | Should -BeFalse
            # 4.x: one request for all 30, then each of the two missing files asks alone and gets its own answer.
            @(Get-UrlRequest).Count | Should -Be $(if ($V4) { 3 } else { 30 })
        }
        finally {
            Move-CloudreveItem -Path /kept/m-03.bin, /kept/m-17.bin -Destination /many -Session $other | Out-Null
            Disconnect-Cloudreve -Session $other
        }
    }

    It 'still receives every file when the server expires the batched URLs mid-way (fresh URLs per file)' {
        $files = @(Get-CloudreveChildItem /many -File)
        $dst = Join-Path $TestDrive 'expired'
        $null = New-Item -ItemType Directory -Path $dst
        Clear-SandboxRequest $Sandbox
        # Every request waits 300 ms before the server looks at it. 4.x: the URLs of all 30 files came in one answer,
        # so expiring them after the third content GET leaves 27 files with dead URLs. 3.x makes each file's URL just
        # before its GET: expiring after the fifth URL answer catches that file's GET (and the other workers') in the wait.
        Set-Faults @{ latencyMs = 300 }
        $trigger = if ($V4) { Start-SandboxTrigger $Sandbox -Method 'GET' -PathLike '/api/v4/file/content/*' -Count 3 -ControlPath '/_sandbox/downloads/expire' }
        else { Start-SandboxTrigger $Sandbox -Method 'PUT' -PathLike '/api/v3/file/download/*' -Count 5 -ControlPath '/_sandbox/downloads/expire' }
        try {
            $got = @($files | Receive-CloudreveFile -Destination $dst -PassThru -ErrorAction Stop)
            $ended = [datetime]::UtcNow
        }
        finally {
            $fired = Wait-SandboxTrigger $trigger
            Set-Faults @{ latencyMs = 0 }
        }
        $fired | Should -Not -BeNullOrEmpty
        $fired | Should -BeLessThan $ended -Because 'the URLs must expire while files are still being received'
        $got.Count | Should -Be 30
        foreach ($name in $Hashes.Keys) { Get-Hash (Join-Path $dst $name) | Should -Be $Hashes[$name] -Because $name }
        # Files that had not started when their URLs were expired asked for fresh ones.
        @(Get-UrlRequest).Count | Should -BeGreaterThan $(if ($V4) { 1 } else { 30 })
    }
}

Describe 'Get-CloudreveDownloadUrl with many files' {
    It 'answers 30 piped files in input order from one request on 4.x, each URL serving its file' {
        $files = @(Get-CloudreveChildItem /many -File)
        Clear-SandboxRequest $Sandbox
        $urls = @($files | Get-CloudreveDownloadUrl -ErrorAction Stop)
        $urls.Count | Should -Be 30
        @(Get-UrlRequest).Count | Should -Be $(if ($V4) { 1 } else { 30 })
        foreach ($k in 0, 11, 29) {
            $out = Join-Path $TestDrive "url-$k.bin"
            Invoke-WebRequest -Uri $urls[$k] -OutFile $out
            Get-Hash $out | Should -Be $Hashes[$files[$k].Name] -Because $files[$k].Name
        }
    }

    It 'writes the first URLs of a long input before the input ends (4.x: windows of 50, then 100, ...)' {
        New-CloudreveFile -Path (0..119 | ForEach-Object { '/long/l-{0:000}.txt' -f $_ }) | Out-Null
        try {
            $files = @(Get-CloudreveChildItem /long -File | Sort-Object Name)
            $files.Count | Should -Be 120
            $events = [System.Collections.Generic.List[string]]::new()
            Clear-SandboxRequest $Sandbox
            $urls = @($files | ForEach-Object { $events.Add("in $($_.Name)"); $_ } |
                Get-CloudreveDownloadUrl -ErrorAction Stop | ForEach-Object { $events.Add('url'); $_ })
            $urls.Count | Should -Be 120
            # 4.x: the first 50 files are asked for together as soon as the 50th arrives, the other 70 (a window of
            # 100 not yet full) at the end: two requests. 3.x: every file is asked for as it arrives.
            $events.IndexOf('url') | Should -Be $(if ($V4) { 50 } else { 1 })
            @(Get-UrlRequest).Count | Should -Be $(if ($V4) { 2 } else { 120 })
            # Input order: each URL serves its own file (4.x content URLs end in the file name; a 3.x download
            # answers with the name in its Content-Disposition).
            if ($V4) {
                for ($k = 0; $k -lt 120; $k++) { ([uri]$urls[$k]).AbsolutePath | Should -BeLike "*/$($files[$k].Name)" }
            }
            else {
                foreach ($k in 0, 77, 119) {
                    $answer = Invoke-WebRequest -Uri $urls[$k]
                    "$($answer.Headers['Content-Disposition'])" | Should -BeLike "*$($files[$k].Name)*"
                }
            }
        }
        finally {
            Remove-CloudreveItem -Path /long -Permanent -Confirm:$false -ErrorAction SilentlyContinue
        }
    }

    It 'gives a file moved away its own error and the others their URLs (4.x)' -Skip:(-not $IsV4) {
        $files = @(Get-CloudreveChildItem /many -File | Select-Object -First 5)
        $other = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Dana -NoDrive -PassThru
        try {
            Move-CloudreveItem -Path /many/m-02.bin -Destination /aside -Session $other | Out-Null
            $urls = @($files | Get-CloudreveDownloadUrl -ErrorAction SilentlyContinue -ErrorVariable failed)
            $urls.Count | Should -Be 4
            $failed.Count | Should -Be 1
            $failed[0].TargetObject | Should -Be '/many/m-02.bin'
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'CloudreveNotFound,*'
        }
        finally {
            Move-CloudreveItem -Path /aside/m-02.bin -Destination /many -Session $other | Out-Null
            Disconnect-Cloudreve -Session $other
        }
    }
}

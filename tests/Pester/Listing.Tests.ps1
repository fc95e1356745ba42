# Streamed folder listings: one body for both generations; run with CLOUDREVE_SERVER_VERSION unset (3.8.3) and
# set to 4.18.0. The sandbox caps pages at 50 items (--page-size-limit, the 4.18 max_page_size setting; 3.8.3 has no
# paging and ignores it), so the /big folder (123 items) takes three pages on 4.x and one response on 3.x.
BeforeDiscovery {
    # The generation, known before the tests are set up (as Test-SandboxV4 in Common.ps1 tells it).
    $script:IsV4 = [bool]($env:CLOUDREVE_SERVER_VERSION -like '4.*')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Add-Type -AssemblyName System.Web
    $script:PageLimit = 50
    $script:Password = 'User-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Sandbox = Start-CloudreveSandbox -SandboxPath $SandboxPath -ExtraArgument @(
        '--user', "lena@example.com:$Password", '--page-size-limit', "$PageLimit")
    $script:Lena = New-TestCredential -UserName 'lena@example.com' -Password $Password
    $script:LenaSession = Connect-Cloudreve -Uri $Sandbox.Uri -Credential $Lena -DriveName ListL -PassThru
    $script:V4 = $LenaSession.ApiVersion -eq 'v4'
    # A drive that trusts its listings for ten minutes, so what the cache holds is observable.
    New-PSDrive -PSProvider Cloudreve -Name ListC -Root / -Session $LenaSession -CacheSeconds 600 | Out-Null

    function Get-FolderListingRequest([string] $Folder) {
        # The listing requests of one folder: 3.x GET /api/v3/directory{path}; 4.x GET /api/v4/file?uri=<its URI>.
        $all = @(Get-SandboxRequest $Sandbox | Where-Object method -EQ 'GET')
        if ($V4) {
            $want = ConvertTo-SandboxUri $Folder
            @($all | Where-Object { $_.path -eq '/api/v4/file' } | Where-Object {
                    $q = [System.Web.HttpUtility]::ParseQueryString($_.query)
                    $q['uri'] -ceq $want -or $q['uri'] -ceq ($want.TrimEnd('/'))
                } | ForEach-Object {
                    $q = [System.Web.HttpUtility]::ParseQueryString($_.query)
                    [pscustomobject]@{ PageSize = [int]$q['page_size']; Token = $q['next_page_token']; Query = $_.query }
                })
        }
        else {
            @($all | Where-Object { $_.path -ceq "/api/v3/directory$Folder" })
        }
    }

    # /big: 3 folders and 120 files (three pages of 50 on 4.x); /big/d-1 holds 60 more files (two pages).
    $script:FileNames = @(0..119 | ForEach-Object { 'f-{0:000}.txt' -f $_ })
    $script:FolderNames = @('d-0', 'd-1', 'd-2')
    New-CloudreveFolder -Path ($FolderNames | ForEach-Object { "/big/$_" }) | Out-Null
    New-CloudreveFile -Path ($FileNames | ForEach-Object { "/big/$_" }) | Out-Null
    $script:InnerNames = @(0..59 | ForEach-Object { 'g-{0:00}.txt' -f $_ })
    New-CloudreveFile -Path ($InnerNames | ForEach-Object { "/big/d-1/$_" }) | Out-Null
    $script:BigCount = $FileNames.Count + $FolderNames.Count
}

AfterAll {
    Remove-PSDrive ListC -ErrorAction SilentlyContinue
    Get-CloudreveSession | Disconnect-Cloudreve -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-CloudreveSandbox $Sandbox }
}

Describe 'The generation under test' {
    It 'is the one CLOUDREVE_SERVER_VERSION asks for' {
        $V4 | Should -Be (Test-SandboxV4)
    }
}

Describe 'Get-CloudreveChildItem streams listings' {
    It 'stops after the first page when the pipeline wants only the first item' {
        Clear-SandboxRequest $Sandbox
        $first = @(Get-CloudreveChildItem /big | Select-Object -First 1)
        $first.Count | Should -Be 1
        $first[0].Name | Should -Be 'd-0'
        # 4.x: one page of three was fetched; 3.x: its one response.
        @(Get-FolderListingRequest /big).Count | Should -Be 1
    }

    It 'asks for the next page only when the pipeline takes more than the first page holds' {
        Clear-SandboxRequest $Sandbox
        $some = @(Get-CloudreveChildItem /big | Select-Object -First ($PageLimit + 5))
        $some.Count | Should -Be ($PageLimit + 5)
        @($some.Name | Select-Object -Unique).Count | Should -Be ($PageLimit + 5)
        @(Get-FolderListingRequest /big).Count | Should -Be $(if ($V4) { 2 } else { 1 })
    }

    It 'returns every item of a folder larger than a page exactly once' {
        Clear-SandboxRequest $Sandbox
        $all = @(Get-CloudreveChildItem /big)
        $all.Count | Should -Be $BigCount
        @($all.Name | Sort-Object -Unique -CaseSensitive).Count | Should -Be $BigCount
        @($all | Where-Object IsFolder).Name | Should -Be $FolderNames
        (@($all | Where-Object { -not $_.IsFolder }).Name | Sort-Object -CaseSensitive) -join ',' | Should -Be ($FileNames -join ',')
        @(Get-FolderListingRequest /big).Count | Should -Be $(if ($V4) { [math]::Ceiling($BigCount / $PageLimit) } else { 1 })
    }

    It 'with -Recurse lists every level to the end, every item once' {
        Clear-SandboxRequest $Sandbox
        $all = @(Get-CloudreveChildItem /big -Recurse)
        $all.Count | Should -Be ($BigCount + $InnerNames.Count)
        @($all.Path | Sort-Object -Unique -CaseSensitive).Count | Should -Be $all.Count
        @($all | Where-Object ParentPath -EQ '/big/d-1').Count | Should -Be $InnerNames.Count
        @(Get-FolderListingRequest /big/d-1).Count | Should -Be $(if ($V4) { 2 } else { 1 })
    }

    It 'from the root, stops after the first page too (the root is looked up from that same page)' {
        New-CloudreveFile -Path (0..59 | ForEach-Object { '/root-{0:00}.txt' -f $_ }) | Out-Null
        try {
            Clear-SandboxRequest $Sandbox
            $first = @(Get-CloudreveChildItem | Select-Object -First 1)
            $first[0].Name | Should -Be 'big'
            @(Get-FolderListingRequest /).Count | Should -Be 1
            @(Get-CloudreveChildItem).Count | Should -Be 61
        }
        finally {
            Get-CloudreveItem -Path '/root-*.txt' | Remove-CloudreveItem -Confirm:$false
        }
    }
}

Describe 'Listing pages on 4.x' {
    It 'asks for the largest page 4.18 allows, then what this server reports as its max_page_size (4.x)' -Skip:(-not $IsV4) {
        Clear-SandboxRequest $Sandbox
        @(Get-CloudreveChildItem /big).Count | Should -Be $BigCount
        $asked = @(Get-FolderListingRequest /big)
        $asked.Count | Should -Be 3
        # 2000 is the default max_page_size of 4.18 (and the most the client ever asks for); this sandbox caps at 50
        # and says so in props.max_page_size, so the following pages ask for exactly that.
        $asked[0].PageSize | Should -Be 2000
        $asked[0].Token | Should -BeNullOrEmpty
        @($asked | Select-Object -Skip 1 | ForEach-Object PageSize) | Should -Be @($PageLimit, $PageLimit)
        @($asked | Select-Object -Skip 1 | Where-Object { -not $_.Token }).Count | Should -Be 0
    }

    It 'the server clamps a larger page to its max_page_size and follows next_token to a last page without one (4.x)' -Skip:(-not $IsV4) {
        $raw = Connect-SandboxRaw $Sandbox $Lena
        $uri = "$($raw.Api)file?uri=$([uri]::EscapeDataString((ConvertTo-SandboxUri /big)))&page_size=5000"
        $page = (Invoke-RestMethod -Uri $uri -Headers $raw.Headers).data
        $page.files.Count | Should -Be $PageLimit
        $page.pagination.page_size | Should -Be $PageLimit
        $page.props.max_page_size | Should -Be $PageLimit
        $page.pagination.is_cursor | Should -BeTrue
        $names = [System.Collections.Generic.List[string]]::new()
        $names.AddRange([string[]]$page.files.name)
        while ($page.pagination.next_token) {
            $page = (Invoke-RestMethod -Uri "$uri&next_page_token=$([uri]::EscapeDataString($page.pagination.next_token))" -Headers $raw.Headers).data
            $names.AddRange([string[]]$page.files.name)
        }
        $names.Count | Should -Be $BigCount
        @($names | Sort-Object -Unique -CaseSensitive).Count | Should -Be $BigCount
    }
}

Describe 'The Cloudreve drive streams listings and caches only complete ones' {
    It 'Get-ChildItem | Select-Object -First 3 fetches one page, and that partial listing is not cached as the folder' {
        Clear-SandboxRequest $Sandbox
        $three = @(Get-ChildItem ListC:\big | Select-Object -First 3)
        $three.Count | Should -Be 3
        @(Get-FolderListingRequest /big).Count | Should -Be 1

        Clear-SandboxRequest $Sandbox
        $all = @(Get-ChildItem ListC:\big)
        $all.Count | Should -Be $BigCount
        @($all.Name | Sort-Object -Unique -CaseSensitive).Count | Should -Be $BigCount
        # 4.x: the first listing stopped after one of three pages, so nothing was cached and this one lists afresh;
        # 3.x: that one response was the whole folder, so it was cached and this listing needs no request.
        @(Get-FolderListingRequest /big).Count | Should -Be $(if ($V4) { 3 } else { 0 })

        Clear-SandboxRequest $Sandbox
        @(Get-ChildItem ListC:\big).Count | Should -Be $BigCount
        Test-Path ListC:\big\f-119.txt | Should -BeTrue
        Test-Path ListC:\big\f-120.txt | Should -BeFalse
        @(Get-FolderListingRequest /big).Count | Should -Be 0
    }

    It 'Get-ChildItem of the drive root | Select-Object -First 1 fetches one page of the root' {
        New-CloudreveFile -Path (0..59 | ForEach-Object { '/droot-{0:00}.txt' -f $_ }) | Out-Null
        try {
            Clear-SandboxRequest $Sandbox
            $first = @(Get-ChildItem ListC:\ -Force | Select-Object -First 1)
            $first.Count | Should -Be 1
            @(Get-FolderListingRequest /).Count | Should -Be 1
            Clear-SandboxRequest $Sandbox
            @(Get-ChildItem ListC:\ -Force).Count | Should -Be 61
            @(Get-FolderListingRequest /).Count | Should -Be $(if ($V4) { 2 } else { 1 })
        }
        finally {
            Get-CloudreveItem -Path '/droot-*.txt' | Remove-CloudreveItem -Confirm:$false
        }
    }

    It 'Get-ChildItem -Recurse lists every level to the end' {
        $all = @(Get-ChildItem ListC:\big -Recurse -Force)
        $all.Count | Should -Be ($BigCount + $InnerNames.Count)
        @($all | Where-Object { $_.PSParentPath -like '*d-1' }).Count | Should -Be $InnerNames.Count
    }
}

Describe 'Stopping a listing' {
    It 'Stop() on a slow pipeline ends promptly and asks for no further page' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Uri, $Credential)
                    Import-Module $Manifest
                    Connect-Cloudreve -Uri $Uri -Credential $Credential -NoDrive | Out-Null
                    Get-CloudreveChildItem /big | ForEach-Object { Start-Sleep -Milliseconds 200; $_.Name }
                }).AddArgument($ModuleManifest).AddArgument($Sandbox.Uri).AddArgument($Lena)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            Clear-SandboxRequest $Sandbox
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($output.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline -and -not $async.IsCompleted) { Start-Sleep -Milliseconds 50 }
            $output.Count | Should -BeGreaterOrEqual 2
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $output.Count | Should -BeLessThan $BigCount
            @(Get-FolderListingRequest /big).Count | Should -Be 1
        }
        finally { $ps.Dispose() }
    }
}

# The module manifest (Gallery fields, release notes, one version) and the package build.ps1 -Task Package makes:
# built with the same script (tools/Build-Package.ps1), installed with Install-PSResource from a temporary file
# repository into a temporary folder, imported in a fresh pwsh. Offline. The child processes run with HOME set to a
# temporary folder (PSResourceGet keeps its repository list and CurrentUser installs under HOME/.local/share on
# Linux and macOS), so the user's repository registrations and modules are never touched.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:BuiltManifest = if ($env:CLOUDREVE_MODULE_PATH) { $env:CLOUDREVE_MODULE_PATH } else { Join-Path $RepoRoot 'out/Cloudreve/Cloudreve.psd1' }
    $script:ModuleFolder = Split-Path (Resolve-Path -LiteralPath $BuiltManifest).ProviderPath
    $script:Manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'Cloudreve.psd1')
    $script:Version = $Manifest.ModuleVersion

    function Invoke-FreshPwsh {
        # A new pwsh (same version as this one) whose home folder is $HomePath and whose module path is the default one
        # for that home; returns its last output line.
        param([string] $HomePath, [string[]] $Arguments)
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; PSModulePath = $env:PSModulePath }
        # .NET resolves the data and config folders only when they exist (else settings files land in the current folder)
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $HomePath '.local/share'), (Join-Path $HomePath '.config')
        $env:HOME = $HomePath
        $env:XDG_DATA_HOME = $null
        $env:PSModulePath = $null
        Push-Location -LiteralPath $HomePath
        try {
            $output = & $pwsh @prefix -NoProfile -NonInteractive @Arguments 2>&1
            if ($LASTEXITCODE -ne 0) { throw "pwsh $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join "`n")" }
            @($output | Where-Object { $_ -is [string] }) | Select-Object -Last 1
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest without warnings' {
        $warnings = $null
        $info = Test-ModuleManifest -Path $BuiltManifest -WarningVariable warnings -ErrorAction Stop
        $info.Version | Should -Be ([version]$Version)
        @($warnings).Count | Should -Be 0
    }

    It 'has what the PowerShell Gallery needs' {
        $Manifest.Author | Should -Not -BeNullOrEmpty
        $Manifest.Description.Length | Should -BeGreaterThan 20
        $psData = $Manifest.PrivateData.PSData
        ([uri]$psData.ProjectUri).IsAbsoluteUri | Should -BeTrue
        ([uri]$psData.LicenseUri).IsAbsoluteUri | Should -BeTrue
        $psData.Tags.Count | Should -BeGreaterThan 3
        $psData.Tags | Where-Object { $_ -match '\s' } | Should -BeNullOrEmpty
        $psData.Tags | Should -Contain 'PSEdition_Core'
    }

    It 'has release notes for this version that cover every area of cmdlets' {
        $notes = $Manifest.PrivateData.PSData.ReleaseNotes
        ($notes -split "`r?`n")[0].Trim() | Should -Be $Version
        $notes | Should -Not -Match '^\s*First release'
        foreach ($area in 'Send-CloudreveFile', 'Receive-CloudreveFile', 'CloudreveShare', 'CloudreveWebDavAccount', 'CloudreveUser', 'CloudreveItem', 'drive') {
            $notes | Should -Match ([regex]::Escape($area)) -Because "the notes should mention $area"
        }
    }

    It 'keeps the version in the manifest only and stamps it into the assembly' {
        [xml] $props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props')
        $props.Project.PropertyGroup.Version | Should -Not -Match '^\d+\.\d+'
        [xml] $project = Get-Content -Raw (Join-Path $RepoRoot 'src/Cloudreve/Cloudreve.csproj')
        @($project.Project.PropertyGroup | Where-Object { $_['Version'] }).Count | Should -Be 0
        $dll = Join-Path $ModuleFolder 'Cloudreve.PowerShell.dll'
        [Reflection.AssemblyName]::GetAssemblyName($dll).Version | Should -Be ([version]"$Version.0")
        [Diagnostics.FileVersionInfo]::GetVersionInfo($dll).ProductVersion | Should -Match ('^' + [regex]::Escape($Version) + '(\+|$)')
    }
}

Describe 'Gallery package' {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('cloudreve-package-test-' + [guid]::NewGuid().ToString('N'))
        $script:Feed = New-Item -ItemType Directory -Path (Join-Path $Work 'feed')
        $script:HomePath = (New-Item -ItemType Directory -Path (Join-Path $Work 'home')).FullName
        $script:Saved = (New-Item -ItemType Directory -Path (Join-Path $Work 'modules')).FullName
        # the package as build.ps1 -Task Package makes it, from the built module
        $null = Invoke-FreshPwsh -HomePath $HomePath -Arguments @('-File', (Join-Path $RepoRoot 'tools/Build-Package.ps1'), '-ModulePath', $ModuleFolder, '-OutputPath', $Feed.FullName)
        $script:Package = Get-Item (Join-Path $Feed.FullName "Cloudreve.$Version.nupkg") -ErrorAction SilentlyContinue
        Write-Host "    package: $($Package.Name), $('{0:N0}' -f $Package.Length) bytes"
        $script:Installed = Invoke-FreshPwsh -HomePath $HomePath -Arguments @('-File', (Join-Path $PSScriptRoot 'Child/PackageInstall.ps1'), '-Feed', $Feed.FullName, '-Name', 'Cloudreve', '-Destination', $Saved) | ConvertFrom-Json
        $importArgs = @('-File', (Join-Path $PSScriptRoot 'Child/PackageImport.ps1'))
        if ($IsWindows) { $importArgs += @('-ModuleRoot', $Saved) }
        $script:Imported = Invoke-FreshPwsh -HomePath $HomePath -Arguments $importArgs | ConvertFrom-Json
    }
    AfterAll {
        if ($Work) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'is Cloudreve.<version>.nupkg with the manifest''s metadata' {
        $Package | Should -Not -BeNullOrEmpty
        $Package.Length | Should -BeGreaterThan 100KB
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try {
            $entries = @($zip.Entries.FullName)
            $entries | Should -Contain 'Cloudreve.psd1'
            $entries | Should -Contain 'Cloudreve.PowerShell.dll'
            $entries | Should -Contain 'Cloudreve.Format.ps1xml'
            $entries | Should -Contain 'en-US/Cloudreve.PowerShell.dll-Help.xml'
            @($entries | Where-Object { $_ -like 'dependencies/*.dll' }).Count | Should -BeGreaterThan 0
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'Cloudreve.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $meta = $nuspec.package.metadata
        $meta.id | Should -Be 'Cloudreve'
        $meta.version | Should -Be $Version
        $meta.authors | Should -Be $Manifest.Author
        $meta.description | Should -Be $Manifest.Description
        $meta.projectUrl | Should -Be $Manifest.PrivateData.PSData.ProjectUri
        $meta.releaseNotes | Should -Match ([regex]::Escape($Version))
        $meta.tags -split ' ' | Should -Contain 'PSModule'
    }

    It 'installs with Install-PSResource into the temporary folder' {
        $Installed.Name | Should -Be 'Cloudreve'
        $Installed.Version | Should -Be $Version
        $Installed.Repository | Should -Be $Installed.RepositoryName
        $Installed.InstalledLocation | Should -BeLike "$Work*"
    }

    It 'imports by name in a fresh pwsh from where it was installed' {
        $Imported.ModuleBase | Should -BeLike "$Work*"
        $Imported.Version | Should -Be $Version
        $Imported.AssemblyVersion | Should -Be "$Version.0"
    }

    It 'exports every cmdlet the manifest lists' {
        ($Imported.Cmdlets -join ',') | Should -Be (($Manifest.CmdletsToExport | Sort-Object) -join ',')
    }

    It 'ships the help' {
        Split-Path $Imported.HelpFile -Leaf | Should -Be 'Cloudreve.PowerShell.dll-Help.xml'
        $Imported.HelpFile | Should -BeLike "$Work*"
        $Imported.HelpFile | Should -Exist
        $Imported.HelpSynopsis | Should -Not -BeNullOrEmpty
        $Imported.HelpSynopsis | Should -Not -Match '^Connect-Cloudreve\s+\['
        $Imported.HelpExamples | Should -BeGreaterOrEqual 2
        $Imported.AboutTopic | Should -BeTrue
    }

    It 'ships the format data' {
        foreach ($type in 'CloudreveQuota', 'CloudreveSession', 'CloudreveUser', 'CloudreveFile', 'CloudreveShare') {
            $Imported.FormatTypes | Should -Contain "Cloudreve.$type"
        }
        $Imported.QuotaTable | Should -Match 'Used%'
        $Imported.QuotaTable | Should -Match '0\.00 GB\s+1\.00 GB\s+1\.00 GB'
    }

    It 'is clean for Test-ModuleManifest where it was installed' {
        $Imported.ManifestOk | Should -BeTrue
        @($Imported.ManifestWarnings).Count | Should -Be 0
    }

    It 'left no repository registered in the temporary settings and no settings files in the current folder' -Skip:$IsWindows {
        $settings = Join-Path $HomePath '.local/share/PSResourceGet/PSResourceRepository.xml'
        $settings | Should -Exist
        (Get-Content -Raw $settings) | Should -Not -Match 'CloudreveTest|CloudreveBuild'
        # the children ran in $HomePath: settings written relative to the current folder would show up here
        $names = @(Get-ChildItem -LiteralPath $HomePath -Force).Name
        $names | Should -Contain '.local'
        $names | Should -Not -Contain 'NuGet'
        $names | Should -Not -Contain 'PSResourceGet'
    }
}

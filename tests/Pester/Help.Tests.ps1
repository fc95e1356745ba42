#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Checks that every exported cmdlet ships real help (June Blender's Module.Help.Tests pattern) and that
    the MAML file matches the module. Run it in a fresh process: Get-Help caches help per session.
    Module: $env:CLOUDREVE_MODULE_PATH (manifest or module folder), default <repo>/out/Cloudreve/Cloudreve.psd1.
#>

BeforeDiscovery {
    $manifest = if ($env:CLOUDREVE_MODULE_PATH) { $env:CLOUDREVE_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Cloudreve/Cloudreve.psd1' }
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Module not found at '$manifest'. Build it first (build.ps1 -Task Build) or set CLOUDREVE_MODULE_PATH." }
    $module = Import-Module (Resolve-Path -LiteralPath $manifest).ProviderPath -Force -PassThru -ErrorAction Stop
    $common = [System.Management.Automation.Cmdlet]::CommonParameters

    $cmdletCases = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
        @{
            Name           = $_.Name
            ParameterCases = @($_.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object | ForEach-Object { @{ Parameter = $_ } })
        }
    })
}

BeforeAll {
    $manifest = if ($env:CLOUDREVE_MODULE_PATH) { $env:CLOUDREVE_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Cloudreve/Cloudreve.psd1' }
    $module = Import-Module (Resolve-Path -LiteralPath $manifest).ProviderPath -Force -PassThru -ErrorAction Stop
    $cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet)
}

Describe 'Module help' {
    It 'exports cmdlets to test' {
        $cmdlets.Count | Should -BeGreaterThan 0
    }

    It 'has the about_<_> topic' -ForEach 'Cloudreve' {
        $topic = Get-Help "about_$_" -ErrorAction Stop
        $topic | Should -Not -BeNullOrEmpty
        "$topic" | Should -Match 'SHORT DESCRIPTION'
        "$topic" | Should -Match "about_$_"
    }
}

Describe 'MAML file' {
    BeforeAll {
        # PowerShell looks for a binary cmdlet's help in <module>/<culture>/<assembly file>-Help.xml (en-US fallback).
        $helpFileNames = @($cmdlets | ForEach-Object HelpFile | Sort-Object -Unique)
        $helpPath = Join-Path (Join-Path $module.ModuleBase 'en-US') $helpFileNames[0]
        $xmlNs = @{ msh = 'http://msh'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; maml = 'http://schemas.microsoft.com/maml/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
    }

    It 'all cmdlets share one help file' {
        $helpFileNames.Count | Should -Be 1
    }

    It 'exists in the module''s en-US folder' {
        $helpPath | Should -Exist
    }

    It 'has one command:command per exported cmdlet' {
        $commands = @(Select-Xml -LiteralPath $helpPath -XPath '/msh:helpItems/command:command' -Namespace $xmlNs)
        $commands.Count | Should -Be $cmdlets.Count
        $names = @(Select-Xml -LiteralPath $helpPath -XPath '/msh:helpItems/command:command/command:details/command:name' -Namespace $xmlNs | ForEach-Object { $_.Node.InnerText })
        ($names | Sort-Object) -join ',' | Should -Be (($cmdlets.Name | Sort-Object) -join ',')
    }

    It 'has at least two examples with code for every command' {
        foreach ($name in $cmdlets.Name) {
            $codes = @(Select-Xml -LiteralPath $helpPath -XPath "/msh:helpItems/command:command[command:details/command:name='$name']/command:examples/command:example/dev:code" -Namespace $xmlNs |
                Where-Object { $_.Node.InnerText.Trim() })
            $codes.Count | Should -BeGreaterOrEqual 2 -Because "$name needs two examples with code"
        }
    }
}

Describe 'Help for <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
    }

    It 'has a synopsis that is not auto-generated' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without help, Get-Help shows the syntax line as the synopsis.
        $synopsis | Should -Not -BeLike "$Name *"
        $synopsis | Should -Not -BeLike '*`[<CommonParameters>`]*'
    }

    It 'has a description' {
        (@($help.Description | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        $examples = @($help.Examples.Example | Where-Object { $_ })   # @($null) would count as one
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.Code)".Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.Title)' needs code"
        }
    }

    It 'documents no parameter that the cmdlet lacks' {
        $real = @((Get-Command -Name $Name).Parameters.Keys)
        foreach ($documented in @($help.Parameters.Parameter | ForEach-Object Name)) {
            $real | Should -Contain $documented
        }
    }

    Context 'Parameter -<Parameter>' -ForEach $ParameterCases {
        It 'has a description' {
            $parameterHelp = Get-Help -Name $Name -Parameter $Parameter
            (@($parameterHelp.Description | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
        }
    }
}

# Starts and stops the Cloudreve sandbox server for the demo and the tests (not part of the module).

function Start-CloudreveSandbox {
    <#
    .SYNOPSIS
        Starts the sandbox on a free loopback port and returns where it listens and how to log in.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $SandboxPath,
        [string] $AdminPassword = ('Adm1n-' + [guid]::NewGuid().ToString('N').Substring(0, 12)),
        [string[]] $ExtraArgument = @(),
        [int] $TimeoutSeconds = 60
    )
    $dll = Join-Path $SandboxPath 'Cloudreve.Sandbox.dll'
    if (-not (Test-Path $dll)) { throw "The sandbox is not built: $dll is missing. Run ./build.ps1 first." }
    $work = Join-Path ([IO.Path]::GetTempPath()) ('cr-sandbox-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $work
    $ready = Join-Path $work 'ready.json'
    $data = Join-Path $work 'data'
    $arguments = @($dll, '--urls', 'http://127.0.0.1:0', '--data', $data, '--ready-file', $ready, '--admin-password', $AdminPassword) + $ExtraArgument
    # The generation the sandbox plays: -ExtraArgument '--server-version', ... wins, else CLOUDREVE_SERVER_VERSION, else 3.8.3.
    if ($env:CLOUDREVE_SERVER_VERSION -and $ExtraArgument -notcontains '--server-version') {
        $arguments += @('--server-version', $env:CLOUDREVE_SERVER_VERSION)
    }
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $process = Start-Process -FilePath $dotnet -ArgumentList $arguments -PassThru -RedirectStandardOutput (Join-Path $work 'stdout.txt') -RedirectStandardError (Join-Path $work 'stderr.txt')
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path $ready)) {
        if ($process.HasExited) {
            $err = Get-Content (Join-Path $work 'stderr.txt') -Raw -ErrorAction SilentlyContinue
            $stdout = Get-Content (Join-Path $work 'stdout.txt') -Raw -ErrorAction SilentlyContinue
            throw "The sandbox exited with code $($process.ExitCode): $stdout $err"
        }
        if ([DateTime]::UtcNow -gt $deadline) { $process.Kill(); throw "The sandbox did not start within $TimeoutSeconds seconds." }
        Start-Sleep -Milliseconds 100
    }
    $info = Get-Content $ready -Raw | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName    = 'Cloudreve.TestSandbox'
        Uri           = [uri] $info.uri
        ProviderUri   = if ($info.providerUri) { [uri] $info.providerUri } else { $null }
        AdminEmail    = $info.adminEmail
        AdminPassword = $AdminPassword
        Process       = $process
        WorkFolder    = $work
    }
}

function Stop-CloudreveSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Sandbox)
    process {
        if ($Sandbox.Process -and -not $Sandbox.Process.HasExited) {
            $Sandbox.Process.Kill($true)
            $null = $Sandbox.Process.WaitForExit(10000)
        }
        Remove-Item -LiteralPath $Sandbox.WorkFolder -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function New-TestCredential {
    param([Parameter(Mandatory)] [string] $UserName, [Parameter(Mandatory)] [string] $Password)
    [pscredential]::new($UserName, (ConvertTo-SecureString $Password -AsPlainText -Force))
}

Export-ModuleMember -Function Start-CloudreveSandbox, Stop-CloudreveSandbox, New-TestCredential

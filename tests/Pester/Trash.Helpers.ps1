# Helpers of Trash.Tests.ps1: which generation the sandbox plays and small set-up steps.
function Test-TrashGeneration {
    # True when the sandbox plays Cloudreve 4.x (the generation that has a trash).
    $env:CLOUDREVE_SERVER_VERSION -like '4.*'
}

function New-TrashFile {
    # Creates empty files (parents as needed) and returns them as items.
    param([Parameter(Mandatory)] [string[]] $Path)
    New-CloudreveFile -Path $Path
}

function Get-TrashRequestCount {
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path)
    @(Get-SandboxRequest $Sandbox | Where-Object { $_.method -eq $Method -and $_.path -eq $Path }).Count
}

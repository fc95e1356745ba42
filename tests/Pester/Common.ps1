# Shared set-up for the Pester suites: the built module, the sandbox helpers and small utilities.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:CLOUDREVE_MODULE_PATH) { $env:CLOUDREVE_MODULE_PATH } else { Join-Path $RepoRoot 'out/Cloudreve/Cloudreve.psd1' }
$script:SandboxPath = if ($env:CLOUDREVE_SANDBOX_PATH) { $env:CLOUDREVE_SANDBOX_PATH } else { Join-Path $RepoRoot 'out/sandbox' }
Import-Module $ModuleManifest -Force
Import-Module (Join-Path $RepoRoot 'tools/Sandbox.psm1') -Force

function Get-TotpCode {
    # RFC 6238 (SHA-1, 6 digits, 30 s), written here independently of the module's own code.
    param([Parameter(Mandatory)] [string] $Secret, [datetime] $At = [datetime]::UtcNow)
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    $bits = ($Secret.ToUpperInvariant().TrimEnd('=').ToCharArray() | ForEach-Object { [Convert]::ToString($alphabet.IndexOf($_), 2).PadLeft(5, '0') }) -join ''
    $key = [byte[]]@(for ($i = 0; $i + 8 -le $bits.Length; $i += 8) { [Convert]::ToByte($bits.Substring($i, 8), 2) })
    $counter = [long][math]::Floor(([DateTimeOffset]$At).ToUnixTimeSeconds() / 30)
    $message = [BitConverter]::GetBytes($counter)
    if ([BitConverter]::IsLittleEndian) { [array]::Reverse($message) }
    $hash = [System.Security.Cryptography.HMACSHA1]::new($key).ComputeHash($message)
    $offset = $hash[-1] -band 0x0f
    $value = (([int]$hash[$offset] -band 0x7f) -shl 24) -bor ([int]$hash[$offset + 1] -shl 16) -bor ([int]$hash[$offset + 2] -shl 8) -bor [int]$hash[$offset + 3]
    ($value % 1000000).ToString('000000')
}

function Get-SandboxRequest {
    # What the sandbox received (its own control route, not part of Cloudreve).
    param([Parameter(Mandatory)] $Sandbox)
    $answer = Invoke-RestMethod -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/requests'))
    if ($answer.PSObject.Properties['requests']) { $answer.requests } else { $answer }
}

function Clear-SandboxRequest {
    param([Parameter(Mandatory)] $Sandbox)
    $null = Invoke-RestMethod -Method Delete -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/requests'))
}

function Invoke-SandboxSessionExpiry {
    param([Parameter(Mandatory)] $Sandbox)
    $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/_sandbox/sessions/expire'))
}

function Test-SandboxV4 {
    # True when the suites run against a 4.18.0 sandbox (CLOUDREVE_SERVER_VERSION, read by Start-CloudreveSandbox).
    [bool]($env:CLOUDREVE_SERVER_VERSION -like '4.*')
}

function ConvertTo-SandboxUri {
    # A remote path as a 4.x cloudreve://my URI, each segment percent-encoded (section 4 of the v4 reference).
    param([Parameter(Mandatory)] [string] $Path)
    $segments = @($Path.Trim('/').Split('/') | Where-Object { $_ } | ForEach-Object { [uri]::EscapeDataString($_) })
    'cloudreve://my/' + ($segments -join '/')
}

function Connect-SandboxRaw {
    # Logs in through the raw API of the sandbox's generation, independent of the module: a web session
    # (v3 cookie) or the headers that carry the v4 access token.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [pscredential] $Credential)
    $password = $Credential.GetNetworkCredential().Password
    if (Test-SandboxV4) {
        $login = @{ email = $Credential.UserName; password = $password } | ConvertTo-Json
        $answer = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/api/v4/session/token')) -Body $login -ContentType 'application/json'
        if ($answer.code -ne 0) { throw "login failed: $($answer.code)" }
        return @{ Api = [uri]::new($Sandbox.Uri, '/api/v4/'); Headers = @{ Authorization = "Bearer $($answer.data.token.access_token)" } }
    }
    $web = $null
    $login = @{ userName = $Credential.UserName; Password = $password } | ConvertTo-Json
    $answer = Invoke-RestMethod -Method Post -Uri ([uri]::new($Sandbox.Uri, '/api/v3/user/session')) -Body $login -ContentType 'application/json' -SessionVariable web
    if ($answer.code -ne 0) { throw "login failed: $($answer.code)" }
    @{ Api = [uri]::new($Sandbox.Uri, '/api/v3/'); WebSession = $web }
}

function Publish-SandboxFile {
    # Puts a small file on the sandbox through the raw upload routes of its generation (local policy),
    # independent of the module, so tests can tell files apart by content.
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)] [pscredential] $Credential,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $Content
    )
    $raw = Connect-SandboxRaw $Sandbox $Credential
    $api = $raw.Api
    $bytes = [Text.Encoding]::UTF8.GetBytes($Content)
    if (Test-SandboxV4) {
        $body = @{ uri = (ConvertTo-SandboxUri $Path); size = $bytes.Length; last_modified = 0 } | ConvertTo-Json
        $upload = Invoke-RestMethod -Method Put -Uri "$($api)file/upload" -Body $body -ContentType 'application/json' -Headers $raw.Headers
        if ($upload.code -ne 0) { throw "upload session failed: $($upload.code) $($upload.msg)" }
        $chunk = Invoke-RestMethod -Method Post -Uri "$($api)file/upload/$($upload.data.session_id)/0" -Body $bytes -ContentType 'application/octet-stream' -Headers $raw.Headers
        if ($chunk.code -ne 0) { throw "chunk failed: $($chunk.code) $($chunk.msg)" }
        return
    }
    $web = $raw.WebSession
    $root = Invoke-RestMethod -Uri "$($api)directory/" -WebSession $web
    $folder = $Path.Substring(0, $Path.LastIndexOf('/')); if (-not $folder) { $folder = '/' }
    $name = $Path.Substring($Path.LastIndexOf('/') + 1)
    $body = @{ path = $folder; size = $bytes.Length; name = $name; policy_id = $root.data.policy.id; last_modified = 0 } | ConvertTo-Json
    $upload = Invoke-RestMethod -Method Put -Uri "$($api)file/upload" -Body $body -ContentType 'application/json' -WebSession $web
    if ($upload.code -ne 0) { throw "upload session failed: $($upload.code) $($upload.msg)" }
    $chunk = Invoke-RestMethod -Method Post -Uri "$($api)file/upload/$($upload.data.sessionID)/0" -Body $bytes -ContentType 'application/octet-stream' -WebSession $web
    if ($chunk.code -ne 0) { throw "chunk failed: $($chunk.code) $($chunk.msg)" }
}

function Start-SandboxTrigger {
    # Watches the sandbox's request log from a background runspace and, once $Count answered requests match
    # $Method and $PathLike, posts each of $ControlPath (control routes such as /_sandbox/uploads/expire) in order,
    # with the matching JSON bodies of $Body ('' for none). Wait-SandboxTrigger returns when (UTC) it fired, or $null.
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)] [string] $Method,
        [Parameter(Mandatory)] [string] $PathLike,
        [int] $Count = 1,
        [Parameter(Mandatory)] [string[]] $ControlPath,
        [string[]] $Body = @(),
        [int] $TimeoutSeconds = 60
    )
    # The watcher is armed (its first poll of the log answered) before this returns: a cold runspace can take
    # seconds for its first request, and a trigger that fires after the work is done tests nothing.
    $state = [hashtable]::Synchronized(@{ Armed = $false })
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Base, $Method, $PathLike, $Count, $ControlPath, $Body, $TimeoutSeconds, $State)
            $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
            while ([datetime]::UtcNow -lt $deadline) {
                $log = Invoke-RestMethod -Uri ([uri]::new($Base, '/_sandbox/requests'))
                $State.Armed = $true
                $seen = @($log.requests | Where-Object { $_.method -eq $Method -and $_.path -like $PathLike -and $_.status -lt 300 })
                if ($seen.Count -ge $Count) {
                    $at = [datetime]::UtcNow
                    for ($i = 0; $i -lt $ControlPath.Count; $i++) {
                        $json = if ($i -lt $Body.Count) { $Body[$i] } else { '' }
                        if ($json) { $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Base, $ControlPath[$i])) -ContentType 'application/json' -Body $json }
                        else { $null = Invoke-RestMethod -Method Post -Uri ([uri]::new($Base, $ControlPath[$i])) }
                    }
                    return $at
                }
                Start-Sleep -Milliseconds 20
            }
            $null
        }).AddArgument($Sandbox.Uri).AddArgument($Method).AddArgument($PathLike).AddArgument($Count).AddArgument($ControlPath).AddArgument($Body).AddArgument($TimeoutSeconds).AddArgument($state)
    $handle = $ps.BeginInvoke()
    $armedBy = [datetime]::UtcNow.AddSeconds(30)
    while (-not $state.Armed -and -not $handle.IsCompleted -and [datetime]::UtcNow -lt $armedBy) { Start-Sleep -Milliseconds 10 }
    if (-not $state.Armed) { throw "The sandbox trigger on $Method $PathLike did not start watching the request log within 30 s." }
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle }
}

function Wait-SandboxTrigger {
    param([Parameter(Mandatory)] $Trigger)
    try { @($Trigger.PowerShell.EndInvoke($Trigger.Handle)) | Select-Object -Last 1 }
    finally { $Trigger.PowerShell.Dispose() }
}

function Get-SandboxListing {
    # The raw listing of a remote folder, independent of the module, as the v3 objects look: name, size and the
    # modified time as the raw string in `date` (v3 GET /api/v3/directory{path}; v4 GET /api/v4/file?uri=, whose
    # updated_at is mapped to `date`).
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)] [pscredential] $Credential,
        [Parameter(Mandatory)] [string] $Path
    )
    $raw = Connect-SandboxRaw $Sandbox $Credential
    if (Test-SandboxV4) {
        $uri = "$($raw.Api)file?uri=$([uri]::EscapeDataString((ConvertTo-SandboxUri $Path)))&page_size=2000"
        $answer = Invoke-WebRequest -Uri $uri -Headers $raw.Headers
        $files = ($answer.Content | ConvertFrom-Json -DateKind String).data.files
        return $files | ForEach-Object {
            [pscustomobject]@{ name = $_.name; size = $_.size; type = if ($_.type -eq 1) { 'dir' } else { 'file' }; date = $_.updated_at; id = $_.id }
        }
    }
    # keep the raw date strings (no DateTime conversion)
    $answer = Invoke-WebRequest -Uri "$($raw.Api)directory$Path" -WebSession $raw.WebSession
    ($answer.Content | ConvertFrom-Json -DateKind String).data.objects
}

function Get-SandboxHeader {
    # A logged request's header value (names are case-insensitive), or $null.
    param([Parameter(Mandatory)] $Request, [Parameter(Mandatory)] [string] $Name)
    $p = $Request.headers.PSObject.Properties[$Name]
    if ($p) { $p.Value } else { $null }
}

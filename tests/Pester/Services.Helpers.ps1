# Helpers for Services.Tests.ps1 that hide which Cloudreve generation the sandbox plays
# (CLOUDREVE_SERVER_VERSION unset = 3.8.3, '4.18.0' = 4.x). Raw routes only for checks outside the module.

$script:IsV4 = "$env:CLOUDREVE_SERVER_VERSION" -like '4*'

function Get-ApiPath([string] $Rest) {
    # The sandbox request-log path of an API route of this generation.
    if ($script:IsV4) { "/api/v4/$Rest" } else { "/api/v3/$Rest" }
}

function Get-ShareInfo($Sandbox, [string] $Key) {
    # The anonymous share info as {Code, Name, Locked}, read through the generation's own route.
    $info = Invoke-RestMethod ([uri]::new($Sandbox.Uri, (Get-ApiPath "share/info/$Key")))
    if ($script:IsV4) {
        [pscustomobject]@{ Code = $info.code; Name = $info.data.name; Locked = -not $info.data.unlocked }
    } else {
        [pscustomobject]@{ Code = $info.code; Name = $info.data.source.name; Locked = [bool]$info.data.locked }
    }
}

function Publish-ServiceFile($Sandbox, [pscredential] $Credential, [string] $Path, [string] $Content) {
    # A small file put on the server without the module: v3 through Common.ps1's helper, 4.x through
    # its own upload routes (PUT /file/upload, one chunk).
    if (-not $script:IsV4) { return Publish-SandboxFile $Sandbox $Credential $Path $Content }
    $api = [uri]::new($Sandbox.Uri, '/api/v4/')
    $login = @{ email = $Credential.UserName; password = $Credential.GetNetworkCredential().Password } | ConvertTo-Json
    $token = (Invoke-RestMethod -Method Post -Uri "$($api)session/token" -Body $login -ContentType 'application/json').data.token.access_token
    $headers = @{ Authorization = "Bearer $token" }
    $bytes = [Text.Encoding]::UTF8.GetBytes($Content)
    $segments = ($Path.Trim('/') -split '/') | ForEach-Object { [uri]::EscapeDataString($_) }
    $uri = 'cloudreve://my/' + ($segments -join '/')
    $session = Invoke-RestMethod -Method Put -Uri "$($api)file/upload" -Headers $headers -ContentType 'application/json' -Body (@{ uri = $uri; size = $bytes.Length } | ConvertTo-Json)
    if ($session.code -ne 0) { throw "upload session failed: $($session.code) $($session.msg)" }
    $done = Invoke-RestMethod -Method Post -Uri "$($api)file/upload/$($session.data.session_id)/0" -Headers $headers -ContentType 'application/octet-stream' -Body $bytes
    if ($done.code -ne 0) { throw "upload failed: $($done.code) $($done.msg)" }
}

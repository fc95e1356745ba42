# The curl references of bench/Bench.ps1: the HTTP calls the module makes, done by curl, for each Cloudreve
# generation. Dot-sourced by Bench.ps1. 3.8.3: cookie login and /api/v3 routes (/work/shared/cloudreve-v3-api.md);
# 4.18.0: bearer token and /api/v4 routes (cloudreve-v4-api.md sections 2.1, 10, 12; captures 107, 13, 14, 17, 18).
# Credentials go to curl through files in the work folder (a cookie jar, a header file), never on its command line.

function Invoke-CurlJson {
    # One JSON call; returns data of the envelope, throws on curl failure or a non-zero code.
    param($Ref, [string] $Method, [string] $Route, [string] $Body)
    $curlArgs = @('-s', '-S', '-X', $Method) + $Ref.Auth
    if ($Body) {
        $bodyFile = Join-Path $Ref.Folder 'body.json'
        Set-Content -LiteralPath $bodyFile -Value $Body -NoNewline
        $curlArgs += @('-H', 'Content-Type: application/json', '--data-binary', "@$bodyFile")
    }
    $raw = & curl @curlArgs "$($Ref.Site)$Route"
    if ($LASTEXITCODE) { throw "curl $Method $Route failed (exit code $LASTEXITCODE)." }
    $reply = $raw | ConvertFrom-Json
    if ($reply.code -ne 0) { throw "curl $Method $Route answered code $($reply.code): $($reply.msg)" }
    $reply.data
}

function Connect-CurlReference {
    # Logs curl in: 3.8.3 POST /api/v3/user/session into a cookie jar; 4.18.0 POST /api/v4/session/token and the
    # access token into a header file ("Authorization: Bearer ..."), used with curl -H @file.
    param([string] $ServerVersion, [uri] $Uri, [string] $Email, [string] $Password, [string] $Folder)
    $site = $Uri.GetLeftPart('Authority')
    $ref = [pscustomobject]@{ ServerVersion = $ServerVersion; Site = $site; Folder = $Folder; Auth = @(); Policy = $null }
    if ($ServerVersion -eq '3.8.3') {
        $jar = Join-Path $Folder 'cookies.txt'
        $ref.Auth = @('-c', $jar, '-b', $jar)
        $null = Invoke-CurlJson $ref POST '/api/v3/user/session' (@{ userName = $Email; Password = $Password; captchaCode = '' } | ConvertTo-Json -Compress)
        $ref.Auth = @('-b', $jar)
        $ref.Policy = (Invoke-CurlJson $ref GET '/api/v3/directory/').policy.id
    }
    else {
        $token = (Invoke-CurlJson $ref POST '/api/v4/session/token' (@{ email = $Email; password = $Password } | ConvertTo-Json -Compress)).token
        $header = Join-Path $Folder 'auth-header.txt'
        Set-Content -LiteralPath $header -Value "Authorization: Bearer $($token.access_token)" -NoNewline
        $ref.Auth = @('-H', "@$header")
    }
    Remove-Item -LiteralPath (Join-Path $Folder 'body.json') -ErrorAction SilentlyContinue   # held the password
    $ref
}

function ConvertTo-CurlUri([string] $Path) {
    # cloudreve://my/<percent-encoded segments> (v4 section 4); the bench names need no encoding beyond this.
    'cloudreve://my/' + (($Path.Trim('/') -split '/' | ForEach-Object { [uri]::EscapeDataString($_) }) -join '/')
}

function New-CurlUploadSession {
    # PUT /file/upload; returns the session id and the chunk size the server chose.
    param($Ref, [string] $Folder, [string] $Name, [long] $Size)
    if ($Ref.ServerVersion -eq '3.8.3') {
        $body = @{ path = $Folder; size = $Size; name = $Name; policy_id = $Ref.Policy; last_modified = 0 } | ConvertTo-Json -Compress
        $data = Invoke-CurlJson $Ref PUT '/api/v3/file/upload' $body
        [pscustomobject]@{ Id = $data.sessionID; ChunkSize = [long]$data.chunkSize }
    }
    else {
        $body = @{ uri = (ConvertTo-CurlUri "$Folder/$Name"); size = $Size; last_modified = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() } | ConvertTo-Json -Compress
        $data = Invoke-CurlJson $Ref PUT '/api/v4/file/upload' $body
        [pscustomobject]@{ Id = $data.session_id; ChunkSize = [long]$data.chunk_size }
    }
}

function Send-CurlFile {
    # One upload session, then one POST per chunk over one connection (curl --next), as the module does it.
    param($Ref, [string] $Folder, [string] $Name, [long] $Size, [IO.FileInfo[]] $ChunkFiles, [long] $ChunkSize)
    $session = New-CurlUploadSession $Ref $Folder $Name $Size
    if ($session.ChunkSize -ne $ChunkSize) { throw "The server chose chunks of $($session.ChunkSize) bytes; the reference split the file into $ChunkSize." }
    $api = if ($Ref.ServerVersion -eq '3.8.3') { 'v3' } else { 'v4' }
    $curlArgs = [System.Collections.Generic.List[string]]::new()
    $replies = [System.Collections.Generic.List[string]]::new()
    for ($i = 0; $i -lt $ChunkFiles.Count; $i++) {
        if ($i) { $curlArgs.Add('--next') }
        $curlArgs.AddRange([string[]](@('-s', '-S', '-w', '\n') + $Ref.Auth + @('-X', 'POST', '-H', 'Content-Type: application/octet-stream', '-T', $ChunkFiles[$i].FullName, "$($Ref.Site)/api/$api/file/upload/$($session.Id)/$i")))
    }
    & curl @curlArgs | ForEach-Object { if ($_) { $replies.Add($_) } }
    if ($LASTEXITCODE) { throw "curl chunk upload failed (exit code $LASTEXITCODE)." }
    $bad = @($replies | Where-Object { ($_ | ConvertFrom-Json).code -ne 0 })
    if ($replies.Count -ne $ChunkFiles.Count -or $bad) { throw "curl chunk upload: $($replies.Count) replies for $($ChunkFiles.Count) chunks, $($bad.Count) not code 0: $($bad | Select-Object -First 1)" }
}

function Receive-CurlFile {
    # Asks for a download URL (3.8.3: PUT /api/v3/file/download/{id}, relative URL; 4.18.0: POST /api/v4/file/url
    # {uris,download:true}, absolute signed URL), then GETs it in one stream.
    param($Ref, $Item, [string] $OutFile)
    if ($Ref.ServerVersion -eq '3.8.3') {
        $url = Invoke-CurlJson $Ref PUT "/api/v3/file/download/$($Item.Id)"
        if ($url -notmatch '^https?://') { $url = $Ref.Site + $url }
    }
    else {
        $body = @{ uris = @(ConvertTo-CurlUri $Item.Path); download = $true } | ConvertTo-Json -Compress
        $url = (Invoke-CurlJson $Ref POST '/api/v4/file/url' $body).urls[0].url
    }
    & curl -s -S -f -o $OutFile $url
    if ($LASTEXITCODE) { throw "curl download failed (exit code $LASTEXITCODE)." }
}

function Get-CurlSmallLoop {
    # A bash loop over a folder: per file one upload session and one chunk, two curl processes and nothing else
    # (bash itself picks the session id out of the reply).
    param($Ref)
    if ($Ref.ServerVersion -eq '3.8.3') {
        @'
set -e
site="$1"; dir="$2"; dest="$3"; size="$4"; jar="$5"; policy="$6"
for f in "$dir"/*; do
  name=${f##*/}
  reply=$(curl -sS -b "$jar" -H 'Content-Type: application/json' -X PUT \
        --data "{\"path\":\"$dest\",\"size\":$size,\"name\":\"$name\",\"policy_id\":\"$policy\",\"last_modified\":0}" \
        "$site/api/v3/file/upload")
  [[ $reply =~ \"sessionID\":\"([^\"]+)\" ]] || { echo "no upload session for $name: $reply" >&2; exit 1; }
  curl -sS -o /dev/null -b "$jar" -X POST -H 'Content-Type: application/octet-stream' -T "$f" "$site/api/v3/file/upload/${BASH_REMATCH[1]}/0"
done
'@
    }
    else {
        @'
set -e
site="$1"; dir="$2"; dest="$3"; size="$4"; header="$5"
for f in "$dir"/*; do
  name=${f##*/}
  ms=${EPOCHREALTIME/[.,]/}; ms=${ms:0:13}
  reply=$(curl -sS -H "@$header" -H 'Content-Type: application/json' -X PUT \
        --data "{\"uri\":\"cloudreve://my$dest/$name\",\"size\":$size,\"last_modified\":$ms}" \
        "$site/api/v4/file/upload")
  [[ $reply =~ \"session_id\":\"([^\"]+)\" ]] || { echo "no upload session for $name: $reply" >&2; exit 1; }
  curl -sS -o /dev/null -H "@$header" -X POST -H 'Content-Type: application/octet-stream' -T "$f" "$site/api/v4/file/upload/${BASH_REMATCH[1]}/0"
done
'@
    }
}

function Get-CurlSmallLoopArgument($Ref) {
    # The loop's trailing arguments: the credential file (and the v3 policy id).
    if ($Ref.ServerVersion -eq '3.8.3') { @($Ref.Auth[1], $Ref.Policy) } else { @($Ref.Auth[1].TrimStart('@')) }
}

# Content checks of bench/Bench.ps1 (dot-sourced): SHA-256 of local files and of remote files fetched back through
# a download URL in one stream, so a transfer that lost or changed bytes fails the benchmark. All untimed.

$script:verifyClient = [System.Net.Http.HttpClient]::new()
$script:verifyClient.Timeout = [timespan]::FromHours(1)

function Get-LocalHash([string] $Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }

function Get-RemoteHash([string] $RemotePath) {
    # The bytes the server stores: a fresh download URL, streamed through SHA-256 (constant memory).
    $url = Get-CloudreveDownloadUrl -LiteralPath $RemotePath -ErrorAction Stop
    $response = $script:verifyClient.GetAsync($url, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
    try {
        if (-not $response.IsSuccessStatusCode) { throw "GET of the download URL of $RemotePath answered HTTP $([int]$response.StatusCode)." }
        $stream = $response.Content.ReadAsStreamAsync().GetAwaiter().GetResult()
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try { [Convert]::ToHexString($sha.ComputeHash($stream)) } finally { $sha.Dispose(); $stream.Dispose() }
    }
    finally { $response.Dispose() }
}

function Assert-LocalHash([string] $Path, [string] $Expected, [string] $What) {
    if (-not (Test-Path -LiteralPath $Path)) { throw "Content check failed: $What left no file at $Path." }
    $actual = Get-LocalHash $Path
    if ($actual -ne $Expected) { throw "Content check failed: $What has SHA-256 $actual, the source $Expected." }
}

function Assert-RemoteHash([string] $RemotePath, [string] $Expected, [string] $What) {
    $actual = Get-RemoteHash $RemotePath
    if ($actual -ne $Expected) { throw "Content check failed: $What stored SHA-256 $actual at $RemotePath, the source is $Expected." }
}

function Assert-RemoteFolderHash([string] $RemoteFolder, [hashtable] $Expected, [string] $What) {
    # Every expected file is there once, with its content, and nothing else is.
    $items = @(Get-CloudreveChildItem -LiteralPath $RemoteFolder -File -ErrorAction Stop)
    if ($items.Count -ne $Expected.Count) { throw "Content check failed: $What left $($items.Count) files in $RemoteFolder, expected $($Expected.Count)." }
    foreach ($item in $items) {
        if (-not $Expected.ContainsKey($item.Name)) { throw "Content check failed: $What left an unexpected file $($item.Path)." }
        $actual = Get-RemoteHash $item.Path
        if ($actual -ne $Expected[$item.Name]) { throw "Content check failed: $What stored $($item.Path) with SHA-256 $actual, the source is $($Expected[$item.Name])." }
    }
}

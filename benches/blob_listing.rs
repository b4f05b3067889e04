//! Listing throughput of `acr-preflight blob` against the JSON readers alone, on a
//! generated `az storage blob list` listing (not a timed test: it prints figures).
//!
//! `cargo bench --bench blob_listing [-- BLOBS]`; peak memory and the comparison with
//! jq, Python and md5sum are measured by `bench/blob-bench.sh`, which runs the binary.

// Printing the figures is what this program is for.
#![allow(clippy::print_stdout)]

use std::io::Write;
use std::time::Instant;

use acr_preflight::blob::{self, BlobOptions, DumpSource};
use acr_preflight::context::Context;
use chrono::{TimeZone, Utc};

fn record(i: usize) -> String {
    let md5 = if i % 50 == 7 {
        String::from("null")
    } else {
        format!(
            "\"{}\"",
            blob::values::to_base64(&(i as u128).to_le_bytes())
        )
    };
    let category = if i % 200 == 3 {
        "refreshed"
    } else {
        "category"
    };
    format!(
        r#"  {{
    "container": "transfer", "content": "", "deleted": null, "encryptedMetadata": null,
    "encryptionKeySha256": null, "encryptionScope": null, "hasLegalHold": null,
    "hasVersionsOnly": null, "immutabilityPolicy": {{ "expiryTime": null, "policyMode": null }},
    "isAppendBlobSealed": null, "isCurrentVersion": null, "lastAccessedOn": null,
    "metadata": {{ "{category}": "acr-transfer-blob" }},
    "name": "exports/run-{i:08}.tar",
    "objectReplicationDestinationPolicy": null, "objectReplicationSourceProperties": null,
    "properties": {{
      "appendBlobCommittedBlockCount": null, "blobTier": "Hot", "blobTierChangeTime": null,
      "blobTierInferred": true, "blobType": "BlockBlob", "contentLength": {size},
      "contentRange": null,
      "contentSettings": {{
        "cacheControl": null, "contentDisposition": null, "contentEncoding": null,
        "contentLanguage": null, "contentMd5": {md5}, "contentType": "application/octet-stream"
      }},
      "copy": {{ "completionTime": null, "destinationSnapshot": null, "id": null,
        "incrementalCopy": null, "progress": null, "source": null, "status": null,
        "statusDescription": null }},
      "creationTime": "2026-11-20T10:15:01+00:00", "deletedTime": null,
      "etag": "0x8DE0B1C2A3F{i:04X}", "lastModified": "2026-11-20T10:15:02+00:00",
      "lease": {{ "duration": null, "state": "available", "status": "unlocked" }},
      "pageBlobSequenceNumber": null, "pageRanges": null, "rehydrationStatus": null,
      "remainingRetentionDays": null, "serverEncrypted": true
    }},
    "rehydratePriority": null, "requestServerEncrypted": null, "snapshot": null,
    "tagCount": null, "tags": null, "versionId": null
  }}"#,
        size = 1000 + i
    )
}

fn mib_per_s(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / 1_048_576.0 / seconds
}

fn main() {
    let blobs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("listing.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let _ = out.write_all(b"[\n");
    for i in 0..blobs {
        let sep: &[u8] = if i == 0 { b"" } else { b",\n" };
        let _ = out.write_all(sep);
        let _ = out.write_all(record(i).as_bytes());
    }
    let _ = out.write_all(b"\n]\n");
    drop(out);
    let text = std::fs::read_to_string(&path).expect("read back");
    let bytes = text.len();
    println!(
        "listing: {blobs} blobs, {:.1} MiB",
        bytes as f64 / 1_048_576.0
    );

    let start = Instant::now();
    let tree = acr_preflight::json::parse(&text).expect("valid JSON");
    let ours_alone = start.elapsed().as_secs_f64();
    drop(tree);
    let start = Instant::now();
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let serde = start.elapsed().as_secs_f64();
    drop(value);
    drop(text);

    let start = Instant::now();
    let mut split = 0usize;
    let file =
        std::io::BufReader::with_capacity(256 * 1024, std::fs::File::open(&path).expect("open"));
    let mut elements = blob::stream::ArrayElements::new(file, 0, 1);
    while let Some(Ok(element)) = elements.next_element() {
        split += element.bytes.len();
    }
    let split_time = start.elapsed().as_secs_f64();
    assert!(split > 0);

    let start = Instant::now();
    let file =
        std::io::BufReader::with_capacity(256 * 1024, std::fs::File::open(&path).expect("open"));
    let mut elements = blob::stream::ArrayElements::new(file, 0, 1);
    while let Some(Ok(element)) = elements.next_element() {
        let text = String::from_utf8(element.bytes).expect("UTF-8");
        let _ = acr_preflight::json::parse(&text);
    }
    let split_parse = start.elapsed().as_secs_f64();

    let ctx = Context::pinned(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
    let start = Instant::now();
    let check = blob::check_file(
        "listing",
        DumpSource::Path(&path),
        &BlobOptions::default(),
        &ctx,
    )
    .expect("check");
    let stream = start.elapsed().as_secs_f64();
    assert_eq!(check.blobs.len(), blobs);

    println!(
        "crate::json::parse, whole text:  {:.2} s  {:.0} MiB/s",
        ours_alone,
        mib_per_s(bytes, ours_alone)
    );
    println!(
        "serde_json::Value, whole text:   {:.2} s  {:.0} MiB/s",
        serde,
        mib_per_s(bytes, serde)
    );
    println!(
        "split into elements only:        {:.2} s  {:.0} MiB/s",
        split_time,
        mib_per_s(bytes, split_time)
    );
    println!(
        "split + json::parse per element: {:.2} s  {:.0} MiB/s",
        split_parse,
        mib_per_s(bytes, split_parse)
    );
    println!(
        "blob::check_file, streamed file: {:.2} s  {:.0} MiB/s",
        stream,
        mib_per_s(bytes, stream)
    );
    println!("ratio check_file / json::parse: {:.2}", stream / ours_alone);
    println!(
        "ratio check_file / split + json::parse: {:.2}",
        stream / split_parse
    );
    println!("ratio check_file / serde_json:  {:.2}", stream / serde);
}

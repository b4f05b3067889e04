"""Writes a fake `az storage blob list --include m` listing of N blobs to a file.

Every value is invented. One blob in 50 has no ContentMD5 and one in 200 has no
category, so the check has failing blobs to report as it would on a real container.
"""

import base64
import hashlib
import sys

RECORD = """  {
    "container": "transfer",
    "content": "",
    "deleted": null,
    "encryptedMetadata": null,
    "encryptionKeySha256": null,
    "encryptionScope": null,
    "hasLegalHold": null,
    "hasVersionsOnly": null,
    "immutabilityPolicy": {
      "expiryTime": null,
      "policyMode": null
    },
    "isAppendBlobSealed": null,
    "isCurrentVersion": null,
    "lastAccessedOn": null,
    "metadata": %(metadata)s,
    "name": "exports/run-%(i)08d.tar",
    "objectReplicationDestinationPolicy": null,
    "objectReplicationSourceProperties": null,
    "properties": {
      "appendBlobCommittedBlockCount": null,
      "blobTier": "Hot",
      "blobTierChangeTime": null,
      "blobTierInferred": true,
      "blobType": "BlockBlob",
      "contentLength": %(size)d,
      "contentRange": null,
      "contentSettings": {
        "cacheControl": null,
        "contentDisposition": null,
        "contentEncoding": null,
        "contentLanguage": null,
        "contentMd5": %(md5)s,
        "contentType": "application/octet-stream"
      },
      "copy": {
        "completionTime": null,
        "destinationSnapshot": null,
        "id": null,
        "incrementalCopy": null,
        "progress": null,
        "source": null,
        "status": null,
        "statusDescription": null
      },
      "creationTime": "2026-11-20T10:15:01+00:00",
      "deletedTime": null,
      "etag": "0x8DE0B1C2A3F%(i)04X",
      "lastModified": "2026-11-20T10:15:02+00:00",
      "lease": {
        "duration": null,
        "state": "available",
        "status": "unlocked"
      },
      "pageBlobSequenceNumber": null,
      "pageRanges": null,
      "rehydrationStatus": null,
      "remainingRetentionDays": null,
      "serverEncrypted": true
    },
    "rehydratePriority": null,
    "requestServerEncrypted": null,
    "snapshot": null,
    "tagCount": null,
    "tags": null,
    "versionId": null
  }"""


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w") as out:
        out.write("[\n")
        for i in range(count):
            digest = base64.b64encode(hashlib.md5(b"%d" % i).digest()).decode()
            md5 = "null" if i % 50 == 7 else '"%s"' % digest
            meta = '{\n      "refreshed": "true"\n    }' if i % 200 == 3 else \
                '{\n      "category": "acr-transfer-blob"\n    }'
            if i:
                out.write(",\n")
            out.write(RECORD % {"i": i, "md5": md5, "metadata": meta, "size": 1000 + i})
        out.write("\n]\n")


if __name__ == "__main__":
    main()

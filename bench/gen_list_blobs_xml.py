"""Writes a fake List Blobs XML body (include=metadata) of N blobs to a file, one line.

Every value is invented. One blob in 50 has no Content-MD5 and one in 200 has no
category, as in gen_listing.py.
"""

import base64
import hashlib
import sys


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?><EnumerationResults '
                  'ServiceEndpoint="https://fake.blob.core.windows.net/" ContainerName="transfer">'
                  "<Blobs>")
        for i in range(count):
            digest = base64.b64encode(hashlib.md5(b"%d" % i).digest()).decode()
            md5 = "<Content-MD5 />" if i % 50 == 7 else "<Content-MD5>%s</Content-MD5>" % digest
            meta = "<refreshed>true</refreshed>" if i % 200 == 3 else \
                "<category>acr-transfer-blob</category>"
            out.write(
                "<Blob><Name>exports/run-%08d.tar</Name><Properties>"
                "<Creation-Time>Fri, 20 Nov 2026 10:15:01 GMT</Creation-Time>"
                "<Last-Modified>Fri, 20 Nov 2026 10:15:02 GMT</Last-Modified>"
                "<Etag>0x8DE0B1C2A3F%04X</Etag><Content-Length>%d</Content-Length>"
                "<Content-Type>application/octet-stream</Content-Type>%s"
                "<BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus>"
                "<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>"
                "</Properties><Metadata>%s</Metadata></Blob>" % (i, i, 1000 + i, md5, meta))
        out.write("</Blobs><NextMarker /></EnumerationResults>")


if __name__ == "__main__":
    main()

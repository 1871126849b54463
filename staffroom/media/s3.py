"""Media in S3-compatible object storage (AWS S3, MinIO, Garage, Ceph...), through boto3.

Chosen when ``STAFFROOM_S3_BUCKET`` is set (``Runtime.build``); boto3 comes with the ``s3``
extra and is imported only then. Credentials come the usual boto3 way (``AWS_ACCESS_KEY_ID``
/ ``AWS_SECRET_ACCESS_KEY`` or an instance role). Objects are written with their content
type and a year-long immutable ``Cache-Control`` (a key is never reused); they must be
readable by everyone at ``STAFFROOM_S3_PUBLIC_URL`` (a bucket policy or a CDN in front:
Staffroom sets no ACLs, which buckets with ACLs disabled refuse).
"""

from __future__ import annotations

from typing import Any

CACHE_CONTROL = "public, max-age=31536000, immutable"


class S3MediaStorage:
    """``MediaStorage`` on a bucket; URLs are ``<public_url>/<key>``."""

    def __init__(
        self,
        bucket: str,
        *,
        public_url: str,
        endpoint_url: str | None = None,
        region: str | None = None,
        client: Any = None,
    ) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region)
        self.client = client
        self.bucket = bucket
        self.public_url = public_url.rstrip("/")

    def put(self, key: str, data: bytes, content_type: str) -> str:
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )
        return f"{self.public_url}/{key}"

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)  # a missing key is no error
